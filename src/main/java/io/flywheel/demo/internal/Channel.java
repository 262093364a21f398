package io.flywheel.demo.internal;

import java.util.List;

/**
 * The seven acquisition channels of the demo shop. Volume and quality differ on purpose so that
 * channel reports have something to tell: paid search brings many visitors who rarely stay,
 * WeChat and referrals bring fewer who buy and come back.
 */
enum Channel {

    // label, share of acquisitions, bounce rate, sign-up rate, buying propensity, loyal share, activity
    SEO("SEO", 0.18, 0.30, 0.30, 1.00, 0.15, 1.00, Landing.DEEP, List.of(
            Touch.referrer("https://www.baidu.com/", 0.70),
            Touch.referrer("https://www.so.com/", 0.10),
            Touch.referrer("https://www.sogou.com/", 0.10),
            Touch.referrer("https://cn.bing.com/", 0.10))),
    SEM("SEM", 0.22, 0.38, 0.22, 0.85, 0.10, 0.80, Landing.BROAD, List.of(
            Touch.campaign("baidu", "cpc", "brand_search", "https://www.baidu.com/", 0.45),
            Touch.campaign("baidu", "cpc", "generic_search", "https://www.baidu.com/", 0.35),
            Touch.campaign("360", "cpc", "generic_search", "https://www.so.com/", 0.20))),
    WECHAT("WeChat", 0.16, 0.20, 0.42, 1.30, 0.22, 1.30, Landing.PRODUCT, List.of(
            Touch.campaign("wechat", "social", "official_account", null, 0.40),
            Touch.campaign("wechat", "cpc", "moments_ad", null, 0.30),
            Touch.campaign("wechat", "social", "group_share", null, 0.30))),
    DOUYIN("Douyin", 0.15, 0.45, 0.16, 0.70, 0.07, 0.70, Landing.PRODUCT, List.of(
            Touch.campaign("douyin", "video", "short_video", null, 0.60),
            Touch.campaign("douyin", "live", "live_stream", null, 0.40))),
    XIAOHONGSHU("Xiaohongshu", 0.10, 0.28, 0.30, 1.15, 0.14, 1.00, Landing.PRODUCT, List.of(
            Touch.campaign("xiaohongshu", "social", "note_seeding", null, 0.60),
            Touch.campaign("xiaohongshu", "kol", "kol_review", null, 0.40))),
    REFERRAL("Referral", 0.07, 0.15, 0.55, 1.40, 0.25, 1.30, Landing.INVITE, List.of(
            Touch.campaign("referral", "invite", "invite_friends", null, 1.0))),
    DIRECT("Direct", 0.12, 0.22, 0.38, 1.20, 0.20, 1.20, Landing.HOME, List.of(
            Touch.none()));

    private static final Channel[] ALL = values();
    private static final double[] SHARES = Rng.cumulative(shares());
    /** Channels that bring people back later: official account pushes, retargeting, new posts. */
    private static final Channel[] RETURNING = {WECHAT, SEM, DOUYIN, XIAOHONGSHU, SEO};
    private static final double[] RETURNING_SHARES = Rng.cumulative(0.35, 0.20, 0.15, 0.10, 0.20);

    final String label;
    final double share;
    final double bounce;
    final double signUp;
    final double buy;
    final double loyal;
    final double activity;
    final Landing landing;
    final List<Touch> touches;
    private final double[] touchShares;

    Channel(String label, double share, double bounce, double signUp, double buy, double loyal, double activity,
            Landing landing, List<Touch> touches) {
        this.label = label;
        this.share = share;
        this.bounce = bounce;
        this.signUp = signUp;
        this.buy = buy;
        this.loyal = loyal;
        this.activity = activity;
        this.landing = landing;
        this.touches = touches;
        this.touchShares = Rng.cumulative(touches.stream().mapToDouble(Touch::weight).toArray());
    }

    static Channel of(int ordinal) {
        return ALL[ordinal];
    }

    static Channel acquisition(Rng rng) {
        return ALL[rng.pick(SHARES)];
    }

    static Channel returning(Rng rng) {
        return RETURNING[rng.pick(RETURNING_SHARES)];
    }

    int touch(Rng rng) {
        return rng.pick(touchShares);
    }

    private static double[] shares() {
        double[] shares = new double[values().length];
        for (Channel channel : values()) {
            shares[channel.ordinal()] = channel.share;
        }
        return shares;
    }

    /** Where visitors of a channel land. */
    enum Landing {
        /** Search results lead to product and category pages. */
        DEEP,
        /** Ads lead to the home page and category pages. */
        BROAD,
        /** Posts and videos link a product. */
        PRODUCT,
        /** Invitation links open the invitation page. */
        INVITE,
        /** Typed addresses and bookmarks open the home page. */
        HOME
    }

    /** Campaign data a visit of this channel carries. Null fields are absent. */
    record Touch(String utmSource, String utmMedium, String utmCampaign, String referrer, double weight) {

        /** A visit from a search engine's results: only the referrer tells. */
        static Touch referrer(String referrer, double weight) {
            return new Touch(null, null, null, referrer, weight);
        }

        /** A visit without any campaign data. */
        static Touch none() {
            return new Touch(null, null, null, null, 1.0);
        }

        static Touch campaign(String source, String medium, String campaign, String referrer, double weight) {
            return new Touch(source, medium, campaign, referrer, weight);
        }

        String query() {
            if (utmSource == null) {
                return "";
            }
            return "utm_source=" + utmSource + "&utm_medium=" + utmMedium + "&utm_campaign=" + utmCampaign;
        }
    }
}
