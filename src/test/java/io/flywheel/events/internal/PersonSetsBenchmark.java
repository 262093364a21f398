package io.flywheel.events.internal;

import io.flywheel.events.Audience;
import io.flywheel.events.EventFilter;
import io.flywheel.events.LifecycleStage;
import io.flywheel.events.PersonCondition;
import io.flywheel.events.PersonCondition.All;
import io.flywheel.events.PersonCondition.Any;
import io.flywheel.events.PersonCondition.Count;
import io.flywheel.events.PersonCondition.Did;
import io.flywheel.events.PersonCondition.InSet;
import io.flywheel.events.PersonCondition.Not;
import io.flywheel.events.PersonCondition.Range;
import io.flywheel.events.PersonCondition.Rfm;
import io.flywheel.events.PersonCondition.Sequence;
import io.flywheel.events.PersonCondition.Stage;
import io.flywheel.events.PersonCondition.Step;
import io.flywheel.events.PersonCondition.Touch;
import io.flywheel.events.PersonCondition.Trait;
import io.flywheel.events.PersonCondition.Window;
import io.flywheel.events.PersonSets;
import io.flywheel.events.PersonSets.SetChange;
import io.flywheel.events.PersonSets.SetRule;
import io.flywheel.events.QueryControl;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Segment benchmark over data sets made by {@code generate-demo} (project 1): (a) the behavioural
 * segment of the target on the large set, (b) live counts of typical rules on the smaller set
 * (opened read-only, others may share it), (c) one incremental refresh of 100 varied segments for
 * 30,000 dirty persons ({@code -Ddirty=N} for another number; none of them has changed orders) on the large
 * set (which it writes: the segments' members). Each warm, median
 * of 5 runs. Run with {@code bench/segments.sh}.
 *
 * <pre>java ... PersonSetsBenchmark LARGE_DATA_DIR SMALL_DATA_DIR [END_DATE] [THREADS] [PARTS, e.g. abc]</pre>
 */
public final class PersonSetsBenchmark {

    private static final int RUNS = 5;
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final QueryControl CONTROL = QueryControl.withTimeout(Duration.ofMinutes(10));
    private static final String ORDER = "Order Completed";
    private static final String VIEWED = "Product Viewed";
    private static final String[] CITIES = {"上海", "北京", "深圳", "广州", "杭州", "成都", "重庆", "武汉", "南京", "西安", "苏州", "天津", "长沙", "郑州", "青岛"};
    private static final String[] EVENTS = {ORDER, VIEWED, "Product Added", "Checkout Started", "Products Searched", "Signed Up"};
    private static final String[] CHANNELS = {"SEO", "SEM", "WeChat", "Douyin", "Xiaohongshu", "Referral", "Direct"};
    private static final String[] SEGMENTS = {"important_value", "important_develop", "important_keep", "important_win_back",
            "general_value", "general_develop", "general_keep", "general_win_back"};
    private static final int[] DAYS = {7, 14, 30, 60, 90};

    /** The target: did Order Completed at least 3 times in the last 30 days and lives in 上海. */
    public static final PersonCondition TARGET = new All(List.of(
            new Did(ORDER, List.of(), Count.atLeast(3), Window.lastDays(30)),
            new Trait("city", EventFilter.Operator.EQUALS, List.of("上海"))));

    private PersonSetsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path large = Path.of(args[0]).resolve("events.duckdb");
        Path small = Path.of(args[1]).resolve("events.duckdb");
        LocalDate end = args.length > 2 ? LocalDate.parse(args[2]) : LocalDate.now(ZONE);
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
        String parts = args.length > 4 ? args[4] : "abc";
        // the last moment of the data's last day
        Audience audience = new Audience(1, ZONE, end.plusDays(1).atStartOfDay(ZONE).toInstant().minusSeconds(1));
        System.out.printf(Locale.ROOT, "now = %s; %d threads; median of %d warm runs%n", audience.now(), threads, RUNS);
        if (parts.contains("a") || parts.contains("c")) {
            // -DtimeIndexEntries=0 turns the time index off; by default it takes a quarter of the heap (HEAP=10g for 100M events)
            long indexEntries = Long.getLong("timeIndexEntries", -1);
            try (DuckDbEventStore store = new DuckDbEventStore(new EventStoreProperties(large, "8GB", threads, indexEntries))) {
                describe(store, "large");
                long loading = System.nanoTime();
                store.timeIndex().awaitLoaded(10, java.util.concurrent.TimeUnit.MINUTES);
                System.out.printf(Locale.ROOT, "time index: %s (waited %,d ms for its load)%n",
                        store.timeIndex().snapshot(1) == null ? "off for project 1" : "on", (System.nanoTime() - loading) / 1_000_000);
                PersonSets sets = new DuckDbPersonSets(store);
                if (parts.contains("a")) {
                    report("(a) count: Order Completed >= 3 in 30 days AND city = 上海", () -> sets.count(audience, TARGET, CONTROL));
                }
                if (parts.contains("c")) {
                    refresh(store, sets, audience);
                }
            }
        }
        if (parts.contains("b")) {
            try (DuckDbEventStore store = DuckDbEventStore.readOnly(small, "4GB", threads)) {
                describe(store, "small");
                PersonSets sets = new DuckDbPersonSets(store);
                report("(b) live count: the target segment", () -> sets.count(audience, TARGET, CONTROL));
                report("(b) live count: city = 上海", () -> sets.count(audience, trait("city", "上海"), CONTROL));
                report("(b) live count: ordered in the last 7 days", () -> sets.count(audience, did(ORDER, 1, 7), CONTROL));
                report("(b) live count: no event in the last 30 days", () -> sets.count(audience, didNot(PersonCondition.ANY_EVENT, 30),
                        CONTROL));
                report("(b) live count: first touch WeChat AND viewed >= 5 products in 14 days AND NOT ordered in 14 days",
                        () -> sets.count(audience, new All(List.of(new Touch(true, Set.of("WeChat")), did(VIEWED, 5, 14), didNot(ORDER, 14))),
                                CONTROL));
                report("(b) live count: viewed then ordered within 1 day, last 30 days", () -> sets.count(audience, sequence(VIEWED, ORDER, 30),
                        CONTROL));
                report("(b) live count: RFM important_value over 90 days", () -> sets.count(audience, new Rfm(90, Set.of("important_value"),
                        Range.all(), Range.all(), Range.all()), CONTROL));
                report("(b) live count: (female AND 25-34) OR ordered > 500 in 90 days",
                        () -> sets.count(audience, new Any(List.of(new All(List.of(trait("gender", "female"), trait("age_band", "25-34"))),
                                new Did(ORDER, List.of(new EventFilter("$revenue", EventFilter.Operator.GT, List.of("500"))), Count.atLeast(1),
                                        Window.lastDays(90)))), CONTROL));
            }
        }
    }

    private static void refresh(DuckDbEventStore store, PersonSets sets, Audience audience) throws Exception {
        List<SetRule> rules = rules();
        if (sets.sizes(1).size() < rules.size() / 2 || Boolean.getBoolean("full")) {
            long started = System.nanoTime();
            List<SetChange> full = sets.refresh(audience, rules, null);
            System.out.printf(Locale.ROOT, "%-100s %,10.0f ms (once; %,d members in all)%n", "(c) full refresh of 100 segments",
                    (System.nanoTime() - started) / 1e6, full.stream().mapToLong(SetChange::size).sum());
        }
        List<Long> dirty = new ArrayList<>();
        try (Connection connection = store.reader(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT person_id FROM persons WHERE project_id = 1 "
                        + "USING SAMPLE reservoir(" + Integer.getInteger("dirty", 30000) + " ROWS) REPEATABLE (42)")) {
            while (row.next()) {
                dirty.add(row.getLong(1));
            }
        }
        report("(c) incremental refresh of 100 segments, " + dirty.size() + " dirty persons", () -> sets.refresh(audience, rules, dirty));
    }

    /** 100 segments of every kind, some referring to earlier ones. */
    public static List<SetRule> rules() {
        List<SetRule> rules = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int days = DAYS[i % DAYS.length];
            PersonCondition condition = switch (i % 10) {
                case 0 -> new All(List.of(did(ORDER, 1 + i % 4, 30), trait("city", CITIES[i % CITIES.length])));
                case 1 -> new Trait("city", EventFilter.Operator.IN, List.of(CITIES[i % CITIES.length], CITIES[(i + 3) % CITIES.length]));
                case 2 -> did(EVENTS[i % EVENTS.length], 1 + i % 5, days);
                case 3 -> new All(List.of(didNot(ORDER, days), did(VIEWED, 1, 7)));
                case 4 -> sequence(VIEWED, i % 20 == 4 ? ORDER : "Product Added", 30);
                case 5 -> new All(List.of(new Touch(i % 20 == 5, Set.of(CHANNELS[i % CHANNELS.length])), did(PersonCondition.ANY_EVENT, 1, 7)));
                case 6 -> new Rfm(i % 20 == 6 ? 90 : 30, Set.of(SEGMENTS[i % SEGMENTS.length]), Range.all(), Range.all(), Range.all());
                case 7 -> new Any(List.of(new All(List.of(trait("gender", "female"), trait("age_band", "25-34"))),
                        new Did(ORDER, List.of(new EventFilter("$revenue", EventFilter.Operator.GT, List.of(String.valueOf(100 * i)))),
                                Count.atLeast(1), Window.lastDays(90))));
                case 8 -> new All(List.of(new Not(did(PersonCondition.ANY_EVENT, 1, 14)),
                        new Trait("interests", EventFilter.Operator.CONTAINS, List.of("美食"))));
                default -> new Any(List.of(new All(List.of(new InSet("segment:" + (i - 9)), new Stage(Set.of(LifecycleStage.ACTIVE)))),
                        new All(List.of(did("Checkout Started", 1, 7), new Not(new InSet("segment:" + (i - 7)))))));
            };
            rules.add(new SetRule("segment:" + i, condition));
        }
        return rules;
    }

    private static Trait trait(String key, String value) {
        return new Trait(key, EventFilter.Operator.EQUALS, List.of(value));
    }

    private static Did did(String event, long atLeast, int days) {
        return new Did(event, List.of(), Count.atLeast(atLeast), Window.lastDays(days));
    }

    private static Did didNot(String event, int days) {
        return new Did(event, List.of(), Count.atMost(0), Window.lastDays(days));
    }

    private static Sequence sequence(String first, String then, int days) {
        return new Sequence(new Step(first, List.of()), new Step(then, List.of()), Duration.ofDays(1), Window.lastDays(days));
    }

    private static void describe(DuckDbEventStore store, String name) throws Exception {
        try (Connection connection = store.reader(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT (SELECT count(*) FROM events WHERE project_id = 1), "
                        + "(SELECT count(*) FROM persons WHERE project_id = 1), (SELECT count(*) FROM person_merges WHERE project_id = 1)")) {
            row.next();
            System.out.printf(Locale.ROOT, "%s data set: %,d events, %,d raw persons, %,d merges%n", name, row.getLong(1), row.getLong(2),
                    row.getLong(3));
        }
    }

    private static void report(String name, Callable<?> work) throws Exception {
        Object answer = work.call(); // warm-up
        double[] times = new double[RUNS];
        for (int run = 0; run < RUNS; run++) {
            long started = System.nanoTime();
            work.call();
            times[run] = (System.nanoTime() - started) / 1e6;
        }
        Arrays.sort(times);
        String shown = answer instanceof List<?> list ? list.size() + " sets" : String.valueOf(answer);
        System.out.printf(Locale.ROOT, "%-100s %,10.1f ms  (min %,.1f, max %,.1f)  answer %s%n", name, times[RUNS / 2], times[0],
                times[RUNS - 1], shown);
    }
}
