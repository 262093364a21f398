package io.flywheel.collect.internal;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Resolves the acquisition channel of a touch from UTM parameters, click ids and the referrer, by
 * ordered rules: the first rule that matches wins; a page view with none of these is Direct.
 * Messages that are not touches (server-side events without page data) get no channel.
 */
public final class ChannelRules {

    public static final String DIRECT = "Direct";

    /** One rule: a name for the console and the channel it assigns. */
    record Rule(String channel, Predicate<Touch> matches) {
    }

    /** What a rule looks at, normalised to lower case. */
    record Touch(String source, String medium, String clickId, String referrerHost, String pageHost) {

        boolean sourceIs(String... names) {
            return source != null && List.of(names).contains(source);
        }

        boolean mediumIs(String... names) {
            return medium != null && List.of(names).contains(medium);
        }

        boolean referrerEndsWith(String... hosts) {
            if (referrerHost == null) {
                return false;
            }
            for (String host : hosts) {
                if (referrerHost.equals(host) || referrerHost.endsWith("." + host)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final String[] SEARCH_ENGINES = {"google.com", "google.com.hk", "baidu.com", "bing.com", "so.com", "sogou.com",
            "sm.cn", "yandex.ru", "duckduckgo.com", "yahoo.com", "toutiao.com"};

    static final List<Rule> DEFAULTS = List.of(
            new Rule("SEM", touch -> touch.clickId() != null || touch.mediumIs("cpc", "ppc", "paid", "sem", "paidsearch", "paid_search")),
            new Rule("WeChat", touch -> touch.sourceIs("wechat", "weixin") || touch.referrerEndsWith("weixin.qq.com")),
            new Rule("Douyin", touch -> touch.sourceIs("douyin", "tiktok") || touch.referrerEndsWith("douyin.com")),
            new Rule("Xiaohongshu", touch -> touch.sourceIs("xiaohongshu", "xhs", "redbook") || touch.referrerEndsWith("xiaohongshu.com", "xhslink.com")),
            new Rule("Referral", touch -> touch.sourceIs("referral", "invite") || touch.mediumIs("referral", "invite")),
            new Rule("Email", touch -> touch.mediumIs("email", "edm")),
            new Rule("SEO", touch -> touch.source() == null && touch.referrerEndsWith(SEARCH_ENGINES)),
            new Rule("Social", touch -> touch.mediumIs("social") || touch.referrerEndsWith("weibo.com", "zhihu.com", "bilibili.com",
                    "facebook.com", "twitter.com", "x.com", "linkedin.com")),
            new Rule("Campaign", touch -> touch.source() != null),
            new Rule("Other sites", touch -> touch.referrerHost() != null));

    private final List<Rule> rules;

    public ChannelRules() {
        this(DEFAULTS);
    }

    ChannelRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The channel of this message's touch, or null when it is not a touch. */
    public String resolve(Message message) {
        boolean pageLike = message.type().equals("page") || message.type().equals("screen") || message.url() != null;
        boolean campaign = message.utmSource() != null || message.utmMedium() != null || message.clickId() != null;
        if (!pageLike && !campaign && message.referrer() == null) {
            return null;
        }
        String pageHost = host(message.url());
        String referrerHost = host(message.referrer());
        if (referrerHost != null && referrerHost.equals(pageHost) && !campaign) {
            return null; // moving around inside the site is not a new touch
        }
        Touch touch = new Touch(lower(message.utmSource()), lower(message.utmMedium()), message.clickId(), referrerHost, pageHost);
        for (Rule rule : rules) {
            if (rule.matches().test(touch)) {
                return rule.channel();
            }
        }
        return DIRECT;
    }

    static String host(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            String host = URI.create(url.strip().replace(" ", "%20")).getHost();
            if (host == null) {
                return null;
            }
            host = host.toLowerCase(Locale.ROOT);
            return host.startsWith("www.") ? host.substring(4) : host;
        }
        catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String lower(String value) {
        return value == null ? null : value.strip().toLowerCase(Locale.ROOT);
    }
}
