package io.flywheel.collect;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;

/**
 * One ordered channel rule: when {@code field} matches by {@code operator} against one of
 * {@code values}, the touch belongs to {@code channel}. Values compare case-insensitively.
 */
public record ChannelRule(String channel, Field field, Operator operator, List<String> values) {

    /** What a rule looks at. */
    public enum Field {
        UTM_SOURCE, UTM_MEDIUM, UTM_CAMPAIGN, REFERRER_HOST, CLICK_ID;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How it compares. */
    public enum Operator {
        EQUALS, CONTAINS, ENDS_WITH, IS_SET;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ChannelRule {
        requireNonNull(channel, "channel is null");
        requireNonNull(field, "field is null");
        requireNonNull(operator, "operator is null");
        values = values == null ? List.of() : values.stream().map(value -> value.strip().toLowerCase(Locale.ROOT))
                .filter(value -> !value.isEmpty()).toList();
        channel = channel.strip();
        if (channel.isEmpty() || channel.length() > 64) {
            throw new IllegalArgumentException("channel must be 1 to 64 characters");
        }
        if (operator != Operator.IS_SET && values.isEmpty()) {
            throw new IllegalArgumentException("values are required unless the operator is is_set");
        }
    }

    /** Whether a value (already lower case, may be null) matches. */
    public boolean matches(String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        return switch (operator) {
            case IS_SET -> true;
            case EQUALS -> values.contains(value);
            case CONTAINS -> values.stream().anyMatch(value::contains);
            case ENDS_WITH -> values.stream().anyMatch(suffix -> value.equals(suffix) || value.endsWith("." + suffix));
        };
    }

    /** The rules every project starts with, in order. */
    public static List<ChannelRule> defaults() {
        return List.of(
                rule("SEM", Field.CLICK_ID, Operator.IS_SET),
                rule("SEM", Field.UTM_MEDIUM, Operator.EQUALS, "cpc", "ppc", "paid", "sem", "paidsearch", "paid_search"),
                rule("WeChat", Field.UTM_SOURCE, Operator.EQUALS, "wechat", "weixin"),
                rule("WeChat", Field.REFERRER_HOST, Operator.ENDS_WITH, "weixin.qq.com"),
                rule("Douyin", Field.UTM_SOURCE, Operator.EQUALS, "douyin", "tiktok"),
                rule("Douyin", Field.REFERRER_HOST, Operator.ENDS_WITH, "douyin.com"),
                rule("Xiaohongshu", Field.UTM_SOURCE, Operator.EQUALS, "xiaohongshu", "xhs", "redbook"),
                rule("Xiaohongshu", Field.REFERRER_HOST, Operator.ENDS_WITH, "xiaohongshu.com", "xhslink.com"),
                rule("Referral", Field.UTM_SOURCE, Operator.EQUALS, "referral", "invite"),
                rule("Referral", Field.UTM_MEDIUM, Operator.EQUALS, "referral", "invite"),
                rule("Email", Field.UTM_MEDIUM, Operator.EQUALS, "email", "edm"),
                rule("Social", Field.UTM_MEDIUM, Operator.EQUALS, "social"),
                rule("Campaign", Field.UTM_SOURCE, Operator.IS_SET),
                rule("SEO", Field.REFERRER_HOST, Operator.ENDS_WITH, "google.com", "google.com.hk", "baidu.com", "bing.com", "so.com",
                        "sogou.com", "sm.cn", "yandex.ru", "duckduckgo.com", "yahoo.com", "toutiao.com"),
                rule("Social", Field.REFERRER_HOST, Operator.ENDS_WITH, "weibo.com", "zhihu.com", "bilibili.com", "facebook.com",
                        "twitter.com", "x.com", "linkedin.com"),
                rule("Other sites", Field.REFERRER_HOST, Operator.IS_SET));
    }

    private static ChannelRule rule(String channel, Field field, Operator operator, String... values) {
        return new ChannelRule(channel, field, operator, List.of(values));
    }
}
