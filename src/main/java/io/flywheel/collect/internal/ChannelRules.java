package io.flywheel.collect.internal;

import io.flywheel.collect.ChannelRule;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Resolves the acquisition channel of a touch from UTM parameters, click ids and the referrer, by
 * ordered rules: the first rule that matches wins; a page view that none matches is Direct.
 * Messages that are not touches (server-side events without page data, moves inside the site) get
 * no channel.
 */
public final class ChannelRules {

    public static final String DIRECT = "Direct";

    /** The outcome of resolving a touch: the channel and the 0-based index of the rule that matched (-1 when none). */
    public record Resolution(String channel, int rule) {
    }

    private ChannelRules() {
    }

    /** The channel of this message's touch under the rules, or null when it is not a touch. */
    public static String resolve(Message message, List<ChannelRule> rules) {
        Resolution resolution = resolve(message.type(), message.url(), message.referrer(), message.utmSource(), message.utmMedium(),
                message.utmCampaign(), message.clickId(), rules);
        return resolution == null ? null : resolution.channel();
    }

    public static Resolution resolve(String type, String url, String referrer, String utmSource, String utmMedium, String utmCampaign,
            String clickId, List<ChannelRule> rules) {
        boolean pageLike = type.equals("page") || type.equals("screen") || url != null;
        boolean campaign = utmSource != null || utmMedium != null || clickId != null;
        if (!pageLike && !campaign && referrer == null) {
            return null;
        }
        String referrerHost = host(referrer);
        if (referrerHost != null && !campaign && referrerHost.equals(host(url))) {
            return null;
        }
        for (int i = 0; i < rules.size(); i++) {
            ChannelRule rule = rules.get(i);
            String value = switch (rule.field()) {
                case UTM_SOURCE -> lower(utmSource);
                case UTM_MEDIUM -> lower(utmMedium);
                case UTM_CAMPAIGN -> lower(utmCampaign);
                case REFERRER_HOST -> referrerHost;
                case CLICK_ID -> lower(clickId);
            };
            if (rule.matches(value)) {
                return new Resolution(rule.channel(), i);
            }
        }
        return new Resolution(DIRECT, -1);
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
