package io.flywheel.events.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.TestApplication;
import io.flywheel.events.Breakdown;
import io.flywheel.events.Event;
import io.flywheel.events.EventFilter;
import io.flywheel.events.FunnelCounts;
import io.flywheel.events.FunnelResult;
import io.flywheel.events.FunnelSpec;
import io.flywheel.events.IngestBatch;
import io.flywheel.events.Interval;
import io.flywheel.events.PersonMerge;
import io.flywheel.events.QueryCancelledException;
import io.flywheel.events.QueryControl;
import io.flywheel.events.RetentionCohort;
import io.flywheel.events.RetentionSpec;
import io.flywheel.events.Scope;
import io.flywheel.events.TrendRow;
import io.flywheel.events.TrendSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every expected figure here is worked out by hand from the events each test writes. */
class DuckDbEventAnalyticsTests {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final long PROJECT = 7;
    private static final QueryControl CONTROL = QueryControl.withTimeout(Duration.ofSeconds(30));
    /** 2026-03-02 00:00 in Shanghai. */
    private static final Instant DAY2 = Instant.parse("2026-03-01T16:00:00Z");

    private DuckDbEventStore store;
    private DuckDbEventAnalytics analytics;
    private java.nio.file.Path file;

    @BeforeEach
    void open() {
        file = TestApplication.freshDataDir().resolve("events.duckdb");
        store = new DuckDbEventStore(new EventStoreProperties(file, "256MB", 1));
        analytics = new DuckDbEventAnalytics(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static Event event(long person, String name, Instant at) {
        return event(person, name, at, "{}", null, null);
    }

    private static Event event(long person, String name, Instant at, String properties, String channel, Double revenue) {
        return new Event(PROJECT, UUID.randomUUID().toString(), "track", name, person, "anon-" + person, null, at, at,
                null, null, null, null, null, channel, null, revenue, null, properties, null);
    }

    private static Scope days(String from, String to) {
        return new Scope(PROJECT, SHANGHAI, LocalDate.parse(from), LocalDate.parse(to));
    }

    private static FunnelSpec funnel(Scope scope, Duration window, String... steps) {
        List<FunnelSpec.Step> list = new ArrayList<>();
        for (String step : steps) {
            list.add(new FunnelSpec.Step(step, List.of()));
        }
        return new FunnelSpec(scope, list, window, null);
    }

    private static Instant at(Instant base, Duration plus) {
        return base.plus(plus);
    }

    // ------------------------------------------------------------ funnel

    @Test
    void funnelCountsTheFurthestStepOfEachPersonWithinTheWindow() {
        Instant t0 = DAY2.plus(Duration.ofHours(10));
        store.append(List.of(
                // 1: A, B, C an hour apart -> 3
                event(1, "A", t0), event(1, "B", at(t0, Duration.ofHours(1))), event(1, "C", at(t0, Duration.ofHours(2))),
                // 2: A then C, never B -> 1
                event(2, "A", t0), event(2, "C", at(t0, Duration.ofHours(1))),
                // 3: only B -> not in the funnel
                event(3, "B", t0),
                // 4: B a second after the 7-day window -> 1
                event(4, "A", t0), event(4, "B", at(t0, Duration.ofDays(7).plusSeconds(1))),
                // 5: B exactly at the window's edge -> 2; C three hours after A
                event(5, "A", t0), event(5, "B", at(t0, Duration.ofDays(7))),
                // 6: C before B: order matters -> 2 (A, B), C is earlier than B
                event(6, "A", t0), event(6, "C", at(t0, Duration.ofMinutes(5))), event(6, "B", at(t0, Duration.ofMinutes(10)))));

        FunnelResult result = analytics.funnel(funnel(days("2026-03-02", "2026-03-02"), Duration.ofDays(7), "A", "B", "C"), CONTROL);

                assertThat(result.total().group()).isNull();
        assertThat(result.total().reached()).containsExactly(5, 3, 1);
        // A->B: persons 1 (1 h), 5 (7 d), 6 (10 min): median 1 h; B->C: person 1 only, 1 h
        assertThat(result.total().medianSeconds()).containsExactly(0, 3600, 3600);
    }

    @Test
    void eventsStoredOutOfOrderAreWalkedInTimeOrder() {
        Instant t0 = DAY2.plus(Duration.ofHours(1));
        store.append(List.of(event(1, "C", at(t0, Duration.ofHours(3)))));
        store.append(List.of(event(1, "B", at(t0, Duration.ofHours(2)))));
        store.append(List.of(event(1, "A", t0), event(2, "B", t0)));
        store.append(List.of(event(2, "A", at(t0, Duration.ofHours(1)))));

        FunnelResult result = analytics.funnel(funnel(days("2026-03-02", "2026-03-02"), Duration.ofDays(1), "A", "B", "C"), CONTROL);

        assertThat(result.total().reached()).containsExactly(2, 1, 1);
    }

    @Test
    void aLaterStartRescuesAChainThatRanOutOfTime() {
        Instant t0 = DAY2.plus(Duration.ofHours(1));
        store.append(List.of(
                event(1, "A", t0),
                event(1, "A", at(t0, Duration.ofHours(30))),
                // 31 h after the first A, 1 h after the second: inside a 1-day window only from the second
                event(1, "B", at(t0, Duration.ofHours(31)))));

        FunnelResult result = analytics.funnel(funnel(days("2026-03-02", "2026-03-03"), Duration.ofDays(1), "A", "B"), CONTROL);

        assertThat(result.total().reached()).containsExactly(1, 1);
        assertThat(result.total().medianSeconds()[1]).isEqualTo(3600);
    }

    @Test
    void repeatedStepsFollowWindowFunnelWhereOneEventMayMatchTwoSteps() {
        Instant t0 = DAY2.plus(Duration.ofHours(1));
        store.append(List.of(
                // one view only: windowFunnel counts it as steps 1 and 2 of [View, View]
                event(1, "View", t0),
                // two views and a buy
                event(2, "View", t0), event(2, "View", at(t0, Duration.ofMinutes(1))), event(2, "Buy", at(t0, Duration.ofMinutes(2))),
                // a buy at the same instant as the view: (t, step) order puts it after the view
                event(3, "Buy", t0), event(3, "View", t0)));

        assertThat(analytics.funnel(funnel(days("2026-03-02", "2026-03-02"), Duration.ofHours(1), "View", "View", "Buy"), CONTROL)
                .total().reached()).containsExactly(3, 3, 2);
        assertThat(analytics.funnel(funnel(days("2026-03-02", "2026-03-02"), Duration.ofHours(1), "View", "Buy"), CONTROL)
                .total().reached()).containsExactly(3, 2);
    }

    @Test
    void mergedPersonsCountOnceWithTheEventsOfAllTheirIds() {
        Instant t0 = DAY2.plus(Duration.ofHours(1));
        store.append(List.of(event(1, "A", t0), event(2, "B", at(t0, Duration.ofMinutes(5))), event(3, "A", t0)));
        store.apply(new IngestBatch(List.of(), List.of(), List.of(new PersonMerge(PROJECT, 2, 1, t0)), "test", 1));

        FunnelResult result = analytics.funnel(funnel(days("2026-03-02", "2026-03-02"), Duration.ofDays(1), "A", "B"), CONTROL);

        assertThat(result.total().reached()).containsExactly(2, 1);
    }

    @Test
    void theFirstStepMustFallInsideTheDaysOfTheProjectsZoneLaterStepsMayFollow() {
        store.append(List.of(
                // 23:30 on March 2nd in Shanghai: inside
                event(1, "A", Instant.parse("2026-03-02T15:30:00Z")), event(1, "B", Instant.parse("2026-03-02T17:00:00Z")),
                // 00:30 on March 3rd in Shanghai: outside
                event(2, "A", Instant.parse("2026-03-02T16:30:00Z")), event(2, "B", Instant.parse("2026-03-02T17:00:00Z")),
                // 23:59 on March 1st: outside
                event(3, "A", Instant.parse("2026-03-01T15:59:00Z")), event(3, "B", Instant.parse("2026-03-02T01:00:00Z"))));

        FunnelResult result = analytics.funnel(funnel(days("2026-03-02", "2026-03-02"), Duration.ofDays(1), "A", "B"), CONTROL);

        assertThat(result.total().reached()).containsExactly(1, 1);
    }

    @Test
    void anEmptyRangeHasZeroEverywhere() {
        store.append(List.of(event(1, "A", DAY2)));

        FunnelResult result = analytics.funnel(funnel(days("2026-04-01", "2026-04-30"), Duration.ofDays(1), "A", "B"), CONTROL);

                assertThat(result.total().reached()).containsExactly(0, 0);
        assertThat(result.total().medianSeconds()[1]).isNaN();
    }

    @Test
    void stepFiltersAndBreakdownsTakeTheFirstStepsValue() {
        Instant t0 = DAY2.plus(Duration.ofHours(1));
        store.append(List.of(
                event(1, "View", t0, "{\"category\":\"shoes\",\"price\":80}", null, null),
                event(1, "Buy", at(t0, Duration.ofMinutes(1)), "{\"category\":\"shoes\"}", null, null),
                event(2, "View", t0, "{\"category\":\"hats\",\"price\":20}", null, null),
                event(2, "Buy", at(t0, Duration.ofMinutes(1)), "{}", null, null),
                event(3, "View", t0, "{\"category\":\"shoes\",\"price\":120}", null, null),
                event(4, "View", t0, "{\"price\":10}", null, null)));

        FunnelSpec filtered = new FunnelSpec(days("2026-03-02", "2026-03-02"), List.of(
                new FunnelSpec.Step("View", List.of(new EventFilter("price", EventFilter.Operator.GTE, List.of("50")))),
                new FunnelSpec.Step("Buy", List.of())), Duration.ofHours(1), null);
        assertThat(analytics.funnel(filtered, CONTROL).total().reached()).containsExactly(2, 1);

        FunnelSpec split = new FunnelSpec(days("2026-03-02", "2026-03-02"), funnel(days("2026-03-02", "2026-03-02"),
                Duration.ofHours(1), "View", "Buy").steps(), Duration.ofHours(1), new Breakdown(Breakdown.Kind.EVENT_PROPERTY, "category", 10));
        FunnelResult splitResult = analytics.funnel(split, CONTROL);
        List<FunnelCounts> groups = splitResult.groups();
        assertThat(splitResult.total().reached()).containsExactly(4, 2);
        assertThat(splitResult.total().medianSeconds()[1]).isEqualTo(60);
        assertThat(groups).extracting(FunnelCounts::group).containsExactly("shoes", "$none", "hats");
        assertThat(groups.get(0).reached()).containsExactly(2, 1);
        assertThat(groups.get(1).reached()).containsExactly(1, 0);
        assertThat(groups.get(2).reached()).containsExactly(1, 1);

        FunnelSpec top = new FunnelSpec(split.scope(), split.steps(), split.window(), new Breakdown(Breakdown.Kind.EVENT_PROPERTY, "category", 1));
        List<FunnelCounts> folded = analytics.funnel(top, CONTROL).groups();
        assertThat(folded).extracting(FunnelCounts::group).containsExactly("shoes", "$other");
        assertThat(folded.get(1).reached()).containsExactly(2, 1);
    }

    @Test
    void funnelBreakdownByFirstTouchChannel() {
        Instant t0 = DAY2.plus(Duration.ofHours(1));
        store.append(List.of(
                event(1, "Page Viewed", at(t0, Duration.ofDays(-1)), "{}", "WeChat", null),
                event(1, "Page Viewed", t0, "{}", "SEO", null),
                event(1, "Buy", at(t0, Duration.ofMinutes(3))),
                event(2, "Page Viewed", t0, "{}", "SEO", null)));

        FunnelSpec spec = new FunnelSpec(days("2026-03-02", "2026-03-02"), funnel(days("2026-03-02", "2026-03-02"),
                Duration.ofHours(1), "Page Viewed", "Buy").steps(), Duration.ofHours(1), Breakdown.firstTouchChannel(5));
        List<FunnelCounts> groups = analytics.funnel(spec, CONTROL).groups();

        assertThat(groups).extracting(FunnelCounts::group).containsExactly("SEO", "WeChat");
        assertThat(groups.get(0).reached()).containsExactly(1, 0);
        assertThat(groups.get(1).reached()).containsExactly(1, 1);
    }

    // ------------------------------------------------------------ retention

    @Test
    void retentionCohortsByFirstEverCohortEvent() {
        Instant d0 = Instant.parse("2026-03-01T02:00:00Z"); // March 1st, 10:00 in Shanghai
        Duration day = Duration.ofDays(1);
        store.append(List.of(
                event(9, "Signed Up", d0.minus(day)), event(9, "Visit", d0.plus(day)), // first sign-up before the range
                event(1, "Signed Up", d0), event(1, "Visit", d0.plus(day)), event(1, "Signed Up", d0.plus(day)),
                event(2, "Signed Up", d0), event(2, "Visit", d0.plus(day.multipliedBy(2))),
                event(3, "Signed Up", d0.plus(day)),
                event(4, "Signed Up", d0.plus(day.multipliedBy(3))))); // after asOf: no cohort

        RetentionSpec any = new RetentionSpec(days("2026-03-01", "2026-03-03"), "Signed Up", List.of(), "$any", List.of(),
                Interval.DAY, 3, LocalDate.parse("2026-03-03"));
        List<RetentionCohort> cohorts = analytics.retention(any, CONTROL);

        assertThat(cohorts).extracting(RetentionCohort::start).containsExactly(LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-02"));
        assertThat(cohorts.get(0).size()).isEqualTo(2);
        assertThat(cohorts.get(0).values()).containsExactly(2, 1, 1);
        assertThat(cohorts.get(1).size()).isEqualTo(1);
        assertThat(cohorts.get(1).values()).containsExactly(1, 0);

        RetentionSpec visits = new RetentionSpec(any.scope(), "Signed Up", List.of(), "Visit", List.of(), Interval.DAY, 3, any.asOf());
        assertThat(analytics.retention(visits, CONTROL).get(0).values()).containsExactly(0, 1, 1);
    }

    @Test
    void retentionHonoursMergesWeeksAndEmptyRanges() {
        Instant monday = Instant.parse("2026-03-02T02:00:00Z"); // Monday March 2nd in Shanghai
        store.append(List.of(event(1, "Signed Up", monday), event(2, "Buy", monday.plus(Duration.ofDays(8))),
                event(3, "Signed Up", monday.plus(Duration.ofDays(2)))));
        store.apply(new IngestBatch(List.of(), List.of(), List.of(new PersonMerge(PROJECT, 2, 1, monday)), "test", 1));

        RetentionSpec weeks = new RetentionSpec(days("2026-03-02", "2026-03-08"), "Signed Up", List.of(), "Buy", List.of(),
                Interval.WEEK, 4, LocalDate.parse("2026-03-20"));
        List<RetentionCohort> cohorts = analytics.retention(weeks, CONTROL);

        assertThat(cohorts).hasSize(1);
        assertThat(cohorts.get(0).start()).isEqualTo(LocalDate.parse("2026-03-02"));
        assertThat(cohorts.get(0).size()).isEqualTo(2);
        assertThat(cohorts.get(0).values()).containsExactly(0, 1, 0);

        RetentionSpec empty = new RetentionSpec(days("2026-05-01", "2026-05-31"), "Signed Up", List.of(), "Buy", List.of(),
                Interval.DAY, 4, LocalDate.parse("2026-06-01"));
        assertThat(analytics.retention(empty, CONTROL)).isEmpty();
    }

    // ------------------------------------------------------------ trend

    @Test
    void trendMeasuresPerDay() {
        store.append(List.of(
                event(1, "Order Completed", Instant.parse("2026-03-01T15:30:00Z"), "{}", null, 100.0), // Mar 1, 23:30
                event(1, "Order Completed", Instant.parse("2026-03-01T16:30:00Z"), "{}", null, 50.0),  // Mar 2, 00:30
                event(2, "Order Completed", Instant.parse("2026-03-02T03:00:00Z"), "{}", null, 30.0),
                event(2, "Order Completed", Instant.parse("2026-03-02T04:00:00Z"), "{}", null, 20.0),
                event(3, "Page Viewed", Instant.parse("2026-03-02T04:00:00Z"))));
        Scope scope = days("2026-03-01", "2026-03-02");

        assertThat(values(trend(scope, "Order Completed", TrendSpec.Measure.TOTAL, null))).containsExactly(1.0, 3.0);
        assertThat(values(trend(scope, "Order Completed", TrendSpec.Measure.UNIQUES, null))).containsExactly(1.0, 2.0);
        assertThat(values(trend(scope, "$any", TrendSpec.Measure.UNIQUES, null))).containsExactly(1.0, 3.0);
        assertThat(values(trend(scope, "Order Completed", TrendSpec.Measure.SUM, "$revenue"))).containsExactly(100.0, 100.0);
        assertThat(values(trend(scope, "Order Completed", TrendSpec.Measure.AVG, "$revenue"))).containsExactly(100.0, 100.0 / 3);
        assertThat(values(trend(scope, "Order Completed", TrendSpec.Measure.MAX, "$revenue"))).containsExactly(100.0, 50.0);
        assertThat(trend(scope, "Order Completed", TrendSpec.Measure.TOTAL, null)).extracting(TrendRow::bucket)
                .containsExactly(LocalDateTime.parse("2026-03-01T00:00"), LocalDateTime.parse("2026-03-02T00:00"));
    }

    @Test
    void sessionsSplitOnGapsOfThirtyMinutes() {
        Instant ten = Instant.parse("2026-03-02T02:00:00Z");
        store.append(List.of(
                event(1, "Page Viewed", ten), event(1, "Page Viewed", ten.plus(Duration.ofMinutes(20))),
                event(1, "Page Viewed", ten.plus(Duration.ofMinutes(50))), // exactly 30 minutes later: a new session
                event(1, "Click", ten.plus(Duration.ofMinutes(55))),
                event(2, "Page Viewed", ten), event(3, "Click", ten)));

        assertThat(values(trend(days("2026-03-02", "2026-03-02"), "Page Viewed", TrendSpec.Measure.SESSIONS, null))).containsExactly(3.0);
        assertThat(values(trend(days("2026-03-02", "2026-03-02"), "$any", TrendSpec.Measure.SESSIONS, null))).containsExactly(4.0);
    }

    @Test
    void trendFiltersHoursInDaylightSavingZonesAndBreakdowns() {
        // Berlin moved to summer time at 01:00 UTC on 2026-03-29
        store.append(List.of(
                event(1, "View", Instant.parse("2026-03-29T00:30:00Z"), "{\"plan\":\"pro\",\"n\":5}", null, null),  // 01:30 CET
                event(2, "View", Instant.parse("2026-03-29T01:30:00Z"), "{\"plan\":\"free\",\"n\":1}", null, null), // 03:30 CEST
                event(3, "View", Instant.parse("2026-03-29T01:40:00Z"), "{\"plan\":\"team\",\"n\":2}", null, null),
                event(4, "View", Instant.parse("2026-03-29T01:50:00Z"), "{\"plan\":\"free\"}", null, null)));
        Scope scope = new Scope(PROJECT, BERLIN, LocalDate.parse("2026-03-29"), LocalDate.parse("2026-03-29"));

        List<TrendRow> hours = analytics.trend(new TrendSpec(scope, "View", TrendSpec.Measure.TOTAL, null, Interval.HOUR, List.of(), null), CONTROL);
        assertThat(hours).extracting(TrendRow::bucket).containsExactly(LocalDateTime.parse("2026-03-29T01:00"), LocalDateTime.parse("2026-03-29T03:00"));
        assertThat(values(hours)).containsExactly(1.0, 3.0);

        List<TrendRow> filtered = analytics.trend(new TrendSpec(scope, "View", TrendSpec.Measure.TOTAL, null, Interval.DAY,
                List.of(new EventFilter("n", EventFilter.Operator.GT, List.of("1")),
                        new EventFilter("plan", EventFilter.Operator.NOT_EQUALS, List.of("team"))), null), CONTROL);
        assertThat(values(filtered)).containsExactly(1.0);

        List<TrendRow> split = analytics.trend(new TrendSpec(scope, "View", TrendSpec.Measure.TOTAL, null, Interval.DAY, List.of(),
                new Breakdown(Breakdown.Kind.EVENT_PROPERTY, "plan", 1)), CONTROL);
        assertThat(split).extracting(TrendRow::group).containsExactly("$other", "free");
        assertThat(values(split)).containsExactly(2.0, 2.0);

        List<TrendRow> fixed = analytics.trend(new TrendSpec(scope, "View", TrendSpec.Measure.TOTAL, null, Interval.DAY, List.of(),
                new Breakdown(Breakdown.Kind.EVENT_PROPERTY, "plan", 1).onlyGroups(List.of("team", "none-such"))), CONTROL);
        assertThat(fixed).extracting(TrendRow::group).containsExactly("$other", "team");
        assertThat(values(fixed)).containsExactly(3.0, 1.0);
    }

    @Test
    void theHourlyActivityTableAnswersLikeTheEventsThemselves() throws Exception {
        java.util.Random random = new java.util.Random(7);
        Instant base = Instant.parse("2026-03-01T16:00:00Z"); // March 2nd, 00:00 in Shanghai
        for (int batch = 0; batch < 5; batch++) {
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                events.add(event(1 + random.nextInt(40), i % 3 == 0 ? "A" : "B", base.plusSeconds(random.nextInt(3 * 24 * 3600))));
            }
            store.append(events);
        }
        store.apply(new IngestBatch(List.of(), List.of(), List.of(new PersonMerge(PROJECT, 2, 1, base)), "test", 1));
        Scope scope = days("2026-03-02", "2026-03-04");
        // the $type filter always holds; it only sends the same question to the events table
        List<io.flywheel.events.EventFilter> viaEvents = List.of(new io.flywheel.events.EventFilter("$type", io.flywheel.events.EventFilter.Operator.IS_SET, List.of()));
        for (Interval interval : List.of(Interval.HOUR, Interval.DAY)) {
            for (TrendSpec.Measure measure : List.of(TrendSpec.Measure.TOTAL, TrendSpec.Measure.UNIQUES)) {
                List<TrendRow> hourly = analytics.trend(new TrendSpec(scope, "$any", measure, null, interval, List.of(), null), CONTROL);
                List<TrendRow> raw = analytics.trend(new TrendSpec(scope, "$any", measure, null, interval, viaEvents, null), CONTROL);
                assertThat(hourly).as(interval + " " + measure).isEqualTo(raw).isNotEmpty();
            }
        }
        RetentionSpec any = new RetentionSpec(scope, "A", List.of(), "$any", List.of(), Interval.DAY, 3, LocalDate.parse("2026-03-04"));
        RetentionSpec anyViaEvents = new RetentionSpec(scope, "A", List.of(), "$any", viaEvents, Interval.DAY, 3, LocalDate.parse("2026-03-04"));
        assertThat(analytics.retention(any, CONTROL)).usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(analytics.retention(anyViaEvents, CONTROL));
        List<TrendRow> before = analytics.trend(new TrendSpec(scope, "$any", TrendSpec.Measure.UNIQUES, null, Interval.DAY, List.of(), null), CONTROL);

        // a file without the table (as written by an older version) gets it rebuilt from the events on open
        store.close();
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection("jdbc:duckdb:" + file);
                java.sql.Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE person_hours");
        }
        store = new DuckDbEventStore(new EventStoreProperties(file, "256MB", 1));
        analytics = new DuckDbEventAnalytics(store);
        assertThat(analytics.trend(new TrendSpec(scope, "$any", TrendSpec.Measure.UNIQUES, null, Interval.DAY, List.of(), null), CONTROL))
                .isEqualTo(before);
    }

    @Test
    void eventNamesByFrequency() {
        store.append(List.of(event(1, "B", DAY2), event(2, "B", DAY2), event(1, "A", DAY2)));
        assertThat(analytics.eventNames(PROJECT, 10)).extracting(io.flywheel.events.EventAnalytics.EventName::name).containsExactly("B", "A");
        assertThat(analytics.eventNames(PROJECT, 1)).hasSize(1);
        assertThat(analytics.eventNames(PROJECT + 1, 10)).isEmpty();
    }

    @Test
    void unsafePropertyNamesAreRefused() {
        assertThatThrownBy(() -> Sql.property("a' OR 1=1 --")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Sql.property("$nope")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Sql.property("product.category")).isEqualTo("json_extract_string(e.properties, '$.\"product\".\"category\"')");
    }

    @Test
    void aCancelledQueryFailsAsCancelled() {
        QueryControl control = QueryControl.withTimeout(Duration.ofSeconds(30));
        control.cancel();
        assertThatThrownBy(() -> analytics.trend(new TrendSpec(days("2026-03-01", "2026-03-02"), "$any", TrendSpec.Measure.TOTAL, null,
                Interval.DAY, List.of(), null), control)).isInstanceOf(QueryCancelledException.class);
    }

    private List<TrendRow> trend(Scope scope, String event, TrendSpec.Measure measure, String property) {
        return analytics.trend(new TrendSpec(scope, event, measure, property, Interval.DAY, List.of(), null), CONTROL);
    }

    private static List<Double> values(List<TrendRow> rows) {
        return rows.stream().map(TrendRow::value).toList();
    }
}
