package io.flywheel.collect.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.collect.ChannelRule;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelRulesTests {

    private static String page(String url, String referrer) {
        var query = MessageParser.query(url);
        String clickId = query.keySet().stream().filter(MessageParser.CLICK_IDS::contains).findFirst().orElse(null);
        ChannelRules.Resolution resolution = ChannelRules.resolve("page", url, referrer, query.get("utm_source"), query.get("utm_medium"),
                query.get("utm_campaign"), clickId, ChannelRule.defaults());
        return resolution == null ? null : resolution.channel();
    }

    @Test
    void theDefaultRulesFollowTheProductDefinition() {
        assertThat(page("https://s.com/?utm_medium=cpc&utm_source=baidu", null)).isEqualTo("SEM");
        assertThat(page("https://s.com/?gclid=xyz", "https://www.google.com/")).isEqualTo("SEM");
        assertThat(page("https://s.com/?bd_vid=1", null)).isEqualTo("SEM");
        assertThat(page("https://s.com/", "https://www.baidu.com/s?wd=x")).isEqualTo("SEO");
        assertThat(page("https://s.com/", "https://www.google.com.hk/")).isEqualTo("SEO");
        assertThat(page("https://s.com/?utm_source=WeChat", null)).isEqualTo("WeChat");
        assertThat(page("https://s.com/", "https://mp.weixin.qq.com/s/abc")).isEqualTo("WeChat");
        assertThat(page("https://s.com/?utm_source=douyin", null)).isEqualTo("Douyin");
        assertThat(page("https://s.com/", "https://www.xiaohongshu.com/explore")).isEqualTo("Xiaohongshu");
        assertThat(page("https://s.com/?utm_source=referral&code=AB12", null)).isEqualTo("Referral");
        assertThat(page("https://s.com/?utm_source=newsletter&utm_medium=email", null)).isEqualTo("Email");
        assertThat(page("https://s.com/?utm_source=partner", "https://www.baidu.com/")).isEqualTo("Campaign");
        assertThat(page("https://s.com/", "https://www.zhihu.com/question/1")).isEqualTo("Social");
        assertThat(page("https://s.com/", "https://blog.example.org/post")).isEqualTo("Other sites");
        assertThat(page("https://s.com/", null)).isEqualTo("Direct");
        assertThat(page("https://s.com/b", "https://s.com/a")).isNull();
        assertThat(page("https://s.com/b?utm_source=wechat", "https://s.com/a")).isEqualTo("WeChat");
    }

    @Test
    void serverEventsWithoutPageDataAreNoTouch() {
        assertThat(ChannelRules.resolve("track", null, null, null, null, null, null, ChannelRule.defaults())).isNull();
        assertThat(ChannelRules.resolve("track", null, null, "wechat", null, null, null, ChannelRule.defaults()).channel())
                .isEqualTo("WeChat");
    }

    @Test
    void theFirstMatchingRuleWinsAndReportsItsIndex() {
        List<ChannelRule> rules = List.of(
                new ChannelRule("Partners", ChannelRule.Field.UTM_CAMPAIGN, ChannelRule.Operator.CONTAINS, List.of("partner")),
                new ChannelRule("Paid", ChannelRule.Field.UTM_MEDIUM, ChannelRule.Operator.EQUALS, List.of("cpc")));
        assertThat(ChannelRules.resolve("page", "https://s.com/", null, "x", "cpc", "spring-partner-push", null, rules))
                .isEqualTo(new ChannelRules.Resolution("Partners", 0));
        assertThat(ChannelRules.resolve("page", "https://s.com/", null, "x", "CPC", "spring", null, rules))
                .isEqualTo(new ChannelRules.Resolution("Paid", 1));
        assertThat(ChannelRules.resolve("page", "https://s.com/", null, "x", "email", "spring", null, rules))
                .isEqualTo(new ChannelRules.Resolution("Direct", -1));
    }

    @Test
    void rulesValidateThemselves() {
        assertThatThrownBy(() -> new ChannelRule(" ", ChannelRule.Field.UTM_SOURCE, ChannelRule.Operator.EQUALS, List.of("a")))
                .hasMessageContaining("channel");
        assertThatThrownBy(() -> new ChannelRule("X", ChannelRule.Field.UTM_SOURCE, ChannelRule.Operator.EQUALS, List.of(" ")))
                .hasMessageContaining("values are required");
        assertThat(new ChannelRule("X", ChannelRule.Field.REFERRER_HOST, ChannelRule.Operator.ENDS_WITH, List.of(" QQ.com ")).values())
                .containsExactly("qq.com");
    }
}
