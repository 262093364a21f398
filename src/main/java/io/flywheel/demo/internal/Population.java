package io.flywheel.demo.internal;

/**
 * Who the simulated persons are: the traits that never change during the run, kept in primitive
 * arrays (about 30 bytes a person) so that a million persons fit comfortably in memory.
 * Person {@code i} has person id {@code i + 1}; persons are numbered in the order they were
 * acquired, as user ids of a real shop grow over time.
 */
final class Population {

    static final int LOYAL = 1;
    static final int APP_USER = 2;
    static final int FEMALE = 4;

    static final String[] CITIES = {"上海", "北京", "深圳", "广州", "杭州", "成都", "重庆", "武汉", "南京", "西安", "苏州", "天津", "长沙", "郑州", "青岛"};
    private static final double[] CITY_WEIGHTS = Rng.cumulative(14, 13, 10, 9, 8, 8, 6, 6, 6, 5, 5, 4, 4, 3, 3);

    static final String[] AGE_BANDS = {"18-24", "25-34", "35-44", "45-54", "55+"};
    private static final double[] AGE_WEIGHTS = Rng.cumulative(22, 38, 22, 12, 6);

    static final String[] INTERESTS = {"服饰穿搭", "美妆护肤", "数码科技", "美食", "家居生活", "母婴亲子", "运动健身", "旅行", "阅读", "宠物"};
    /** The catalogue category an interest draws a person to, or -1. */
    private static final int[] INTEREST_CATEGORY = {0, 1, 2, 3, 4, 5, 0, -1, -1, 4};

    static final String[][] SURNAMES = {
            {"王", "wang"}, {"李", "li"}, {"张", "zhang"}, {"刘", "liu"}, {"陈", "chen"}, {"杨", "yang"}, {"黄", "huang"},
            {"赵", "zhao"}, {"吴", "wu"}, {"周", "zhou"}, {"徐", "xu"}, {"孙", "sun"}, {"马", "ma"}, {"朱", "zhu"},
            {"胡", "hu"}, {"郭", "guo"}, {"何", "he"}, {"林", "lin"}, {"罗", "luo"}, {"高", "gao"}};
    static final String[][] FEMALE_NAMES = {
            {"芳", "fang"}, {"娜", "na"}, {"敏", "min"}, {"静", "jing"}, {"丽", "li"}, {"婷", "ting"}, {"雪", "xue"},
            {"琳", "lin"}, {"欣怡", "xinyi"}, {"雨桐", "yutong"}, {"思琪", "siqi"}, {"佳怡", "jiayi"}, {"晓燕", "xiaoyan"},
            {"梦瑶", "mengyao"}};
    static final String[][] MALE_NAMES = {
            {"伟", "wei"}, {"强", "qiang"}, {"磊", "lei"}, {"军", "jun"}, {"洋", "yang"}, {"勇", "yong"}, {"杰", "jie"},
            {"涛", "tao"}, {"浩然", "haoran"}, {"子轩", "zixuan"}, {"宇航", "yuhang"}, {"俊杰", "junjie"}, {"志强", "zhiqiang"},
            {"明", "ming"}};

    /** Browsers by {@link #device}; 0, 2 and 5 are Apple devices. */
    static final int DEVICES = 7;
    private static final double[] DEVICE_WEIGHTS = Rng.cumulative(30, 38, 0, 0, 10, 7, 15);
    private static final int WECHAT_IOS = 2;
    private static final int WECHAT_ANDROID = 3;

    final int size;
    final short[] acquisitionDay;
    final byte[] channel;
    final byte[] flags;
    /** 0 for loyal persons, 1-5 for ever faster churn. */
    final byte[] decayClass;
    final float[] engagement;
    final float[] buying;
    final byte[] city;
    final byte[] ageBand;
    final byte[] device;
    final byte[] favouriteCategory;
    /** Up to three interest indexes plus one, four bits each. */
    final short[] interests;
    final byte[] surname;
    final byte[] givenName;

    Population(int size, long seed, double[] acquisitionWeights) {
        this.size = size;
        acquisitionDay = new short[size];
        channel = new byte[size];
        flags = new byte[size];
        decayClass = new byte[size];
        engagement = new float[size];
        buying = new float[size];
        city = new byte[size];
        ageBand = new byte[size];
        device = new byte[size];
        favouriteCategory = new byte[size];
        interests = new short[size];
        surname = new byte[size];
        givenName = new byte[size];
        assignAcquisitionDays(seed, Rng.cumulative(acquisitionWeights));
        double[] categoryWeights = new Catalogue().categoryWeights();
        Rng rng = new Rng(0);
        for (int person = 0; person < size; person++) {
            rng.reseed(Rng.derive(seed, 2, person));
            describe(person, rng, categoryWeights);
        }
    }

    /** Draws every person's acquisition day, then numbers persons in the order of those days. */
    private void assignAcquisitionDays(long seed, double[] cumulative) {
        int[] perDay = new int[cumulative.length];
        Rng rng = new Rng(Rng.derive(seed, 1, 0));
        for (int i = 0; i < size; i++) {
            perDay[rng.pick(cumulative)]++;
        }
        int person = 0;
        for (int day = 0; day < perDay.length; day++) {
            for (int i = 0; i < perDay[day]; i++) {
                acquisitionDay[person++] = (short) day;
            }
        }
    }

    private void describe(int person, Rng rng, double[] categoryWeights) {
        Channel source = Channel.acquisition(rng);
        channel[person] = (byte) source.ordinal();
        boolean female = rng.chance(0.58);
        boolean loyal = rng.chance(source.loyal);
        flags[person] = (byte) ((loyal ? LOYAL : 0) | (rng.chance(0.4) ? APP_USER : 0) | (female ? FEMALE : 0));
        decayClass[person] = (byte) (loyal ? 0 : 1 + rng.nextInt(5));
        engagement[person] = (float) clamp(StrictMath.exp(0.6 * rng.gaussian()), 0.15, 6);
        buying[person] = (float) clamp(source.buy * StrictMath.exp(0.45 * rng.gaussian()), 0.1, 5);
        city[person] = (byte) rng.pick(CITY_WEIGHTS);
        int age = rng.pick(AGE_WEIGHTS);
        ageBand[person] = (byte) age;
        int browser = rng.pick(DEVICE_WEIGHTS);
        if (source == Channel.WECHAT && browser <= 1) {
            browser = browser == 0 ? WECHAT_IOS : WECHAT_ANDROID;
        }
        device[person] = (byte) browser;
        int packed = pickInterests(rng, female, age);
        interests[person] = (short) packed;
        favouriteCategory[person] = (byte) favourite(packed, rng, categoryWeights, female);
        surname[person] = (byte) rng.nextInt(SURNAMES.length);
        givenName[person] = (byte) rng.nextInt(female ? FEMALE_NAMES.length : MALE_NAMES.length);
    }

    private static int pickInterests(Rng rng, boolean female, int age) {
        double[] weights = {1.0, 0.8, 0.8, 1.0, 0.7, 0.4, 0.6, 0.7, 0.5, 0.4};
        if (female) {
            weights[0] *= 1.4;
            weights[1] *= 2.2;
            weights[2] *= 0.6;
        }
        else {
            weights[1] *= 0.3;
            weights[2] *= 2.0;
            weights[6] *= 1.5;
        }
        weights[5] *= age == 1 || age == 2 ? 2.5 : age == 0 ? 0.2 : 0.6;
        double roll = rng.nextDouble();
        int count = roll < 0.4 ? 1 : roll < 0.8 ? 2 : 3;
        int packed = 0;
        for (int i = 0; i < count; i++) {
            int interest = rng.pick(Rng.cumulative(weights));
            weights[interest] = 0;
            packed |= (interest + 1) << (4 * i);
        }
        return packed;
    }

    private static int favourite(int packedInterests, Rng rng, double[] categoryWeights, boolean female) {
        for (int rest = packedInterests; rest != 0; rest >>>= 4) {
            int category = INTEREST_CATEGORY[(rest & 0xF) - 1];
            if (category >= 0) {
                return category;
            }
        }
        double[] weights = categoryWeights.clone();
        weights[female ? 1 : 2] *= 2;
        return rng.pick(Rng.cumulative(weights));
    }

    boolean is(int person, int flag) {
        return (flags[person] & flag) != 0;
    }

    boolean appleDevice(int person) {
        int browser = device[person];
        return browser == 0 || browser == WECHAT_IOS || browser == 5;
    }

    /** Index of the first person acquired after {@code day}. */
    int acquiredBy(int day) {
        int low = 0;
        int high = size;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (acquisitionDay[middle] <= day) {
                low = middle + 1;
            }
            else {
                high = middle;
            }
        }
        return low;
    }

    /** Segment traits of the person for the identify call at sign-up. */
    String traits(int person, String createdAt) {
        boolean female = is(person, FEMALE);
        String[] family = SURNAMES[surname[person]];
        String[] given = (female ? FEMALE_NAMES : MALE_NAMES)[givenName[person]];
        StringBuilder json = new StringBuilder(256).append('{');
        Json.field(json, "name", family[0] + given[0]).append(',');
        Json.field(json, "email", given[1] + "." + family[1] + (person + 1) + "@example.com").append(',');
        Json.field(json, "gender", female ? "female" : "male").append(',');
        Json.field(json, "city", CITIES[city[person]]).append(',');
        Json.field(json, "age_band", AGE_BANDS[ageBand[person]]).append(',');
        Json.string(json, "interests").append(":[");
        boolean first = true;
        for (int rest = interests[person]; rest != 0; rest >>>= 4) {
            if (!first) {
                json.append(',');
            }
            Json.string(json, INTERESTS[(rest & 0xF) - 1]);
            first = false;
        }
        json.append("],");
        Json.field(json, "createdAt", createdAt);
        return json.append('}').toString();
    }

    private static double clamp(double value, double min, double max) {
        return Math.max(min, Math.min(max, value));
    }
}
