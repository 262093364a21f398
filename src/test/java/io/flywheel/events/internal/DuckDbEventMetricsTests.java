package io.flywheel.events.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.flywheel.TestApplication;
import io.flywheel.events.ChannelQuality;
import io.flywheel.events.CohortEvents;
import io.flywheel.events.DailyActivity;
import io.flywheel.events.Event;
import io.flywheel.events.IngestBatch;
import io.flywheel.events.Interval;
import io.flywheel.events.MetricValues;
import io.flywheel.events.QueryControl;
import io.flywheel.events.RetentionCohort;
import io.flywheel.events.RetentionSpec;
import io.flywheel.events.RfmScore;
import io.flywheel.events.Scope;
import io.flywheel.events.TrendRow;
import io.flywheel.events.TrendSpec;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Metrics, channel quality and RFM on small data sets whose answers are worked out by hand in the comments. */
class DuckDbEventMetricsTests {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final long PROJECT = 3;
    private static final QueryControl CONTROL = QueryControl.withTimeout(Duration.ofSeconds(30));

    private DuckDbEventStore store;
    private DuckDbEventAnalytics analytics;

    @BeforeEach
    void open() {
        store = new DuckDbEventStore(new EventStoreProperties(TestApplication.freshDataDir().resolve("events.duckdb"), "256MB", 1));
        analytics = new DuckDbEventAnalytics(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** An event at a Shanghai wall-clock time. */
    private static Event event(long person, String type, String name, String local, String channel, String orderId, Double revenue) {
        var at = LocalDateTime.parse(local).atZone(SHANGHAI).toInstant();
        return new Event(PROJECT, UUID.randomUUID().toString(), type, name, person, "anon-" + person, person == 1 ? "u1" : null, at, at,
                null, null, null, null, null, channel, orderId, revenue, "CNY", "{}", null);
    }

    private static Event page(long person, String local, String channel) {
        return event(person, "page", "Page Viewed", local, channel, null, null);
    }

    private static Event track(long person, String name, String local) {
        return event(person, "track", name, local, null, null, null);
    }

    private static Event order(long person, String local, String orderId, double revenue) {
        return event(person, "track", "Order Completed", local, null, orderId, revenue);
    }

    private void shop() {
        store.append(List.of(
                // person 1: first seen in February on SEO; two sessions in the range, one order
                page(1, "2026-02-20T09:00", "SEO"),
                page(1, "2026-03-02T10:00", null), page(1, "2026-03-02T10:10", null), order(1, "2026-03-02T10:20", "o1", 100),
                page(1, "2026-03-03T09:00", null),
                // person 2: new on WeChat; four single-event sessions; an order that is refunded; back on day 7
                page(2, "2026-03-02T11:00", "WeChat"), track(2, "Signed Up", "2026-03-02T12:00"),
                order(2, "2026-03-03T10:00", "o2", 80), event(2, "track", "Order Refunded", "2026-03-03T11:00", null, "o2", 80.0),
                track(2, "Application Opened", "2026-03-09T20:00"),
                // person 3: new without any touch; activated the next day
                track(3, "Application Opened", "2026-03-03T08:00"), track(3, "Product Added", "2026-03-04T08:00")));
    }

    @Test
    void metricsOfTwoDays() {
        shop();
        MetricValues metrics = analytics.metrics(new Scope(PROJECT, SHANGHAI, LocalDate.parse("2026-03-02"), LocalDate.parse("2026-03-03")), CONTROL);

        assertThat(metrics.pageViews()).isEqualTo(4);
        assertThat(metrics.visitors()).isEqualTo(2);
        assertThat(metrics.activePersons()).isEqualTo(3);
        // sessions: person 1 has 2, person 2 has 4 (gaps of an hour), person 3 has 1
        assertThat(metrics.sessions()).isEqualTo(7);
        // only person 1's first session lasts: 20 minutes
        assertThat(metrics.averageSessionSeconds()).isCloseTo(1200.0 / 7, within(1e-9));
        // every session but person 1's first has a single event
        assertThat(metrics.bounceRate()).isCloseTo(6.0 / 7, within(1e-9));
        // active: 2 on March 2nd, 3 on March 3rd
        assertThat(metrics.averageDailyActive()).isEqualTo(2.5);
        assertThat(metrics.weeklyActive()).isEqualTo(3);
        assertThat(metrics.monthlyActive()).isEqualTo(3);
        assertThat(metrics.stickiness()).isCloseTo(2.5 / 3, within(1e-9));
        assertThat(metrics.newPersons()).isEqualTo(2);
        assertThat(metrics.orders()).isEqualTo(2);
        assertThat(metrics.refundedOrders()).isEqualTo(1);
        assertThat(metrics.gmv()).isEqualTo(100.0);
        assertThat(metrics.payingPersons()).isEqualTo(2);
        assertThat(metrics.arpu()).isCloseTo(100.0 / 3, within(1e-9));
        assertThat(metrics.arppu()).isEqualTo(50.0);
        assertThat(metrics.conversionRate()).isCloseTo(2.0 / 3, within(1e-9));
    }

    /** An imported row at a Shanghai wall-clock time: an identify call that is profile data, not activity. */
    private static Event imported(long person, String local) {
        var at = LocalDateTime.parse(local).atZone(SHANGHAI).toInstant();
        return new Event(PROJECT, "csv-" + UUID.randomUUID(), "identify", "Identify", person, null, "crm-" + person, at, at, null, null,
                null, null, null, null, null, null, null, "{\"plan\":\"gold\"}", null, false);
    }

    @Test
    void importedPersonsAndRowsAreNoActivityInAnyReport() {
        shop();
        Scope days = new Scope(PROJECT, SHANGHAI, LocalDate.parse("2026-03-02"), LocalDate.parse("2026-03-03"));
        MetricValues before = analytics.metrics(days, CONTROL);
        RetentionSpec anyReturn = new RetentionSpec(days, "$any", List.of(), "$any", List.of(), Interval.DAY, 2, LocalDate.parse("2026-03-03"));
        String retentionBefore = cohorts(analytics.retention(anyReturn, CONTROL));

        // a CRM list: rows for persons 1 and 3, who exist, and for persons 10 and 11, whom it creates, on both days
        store.apply(new IngestBatch(List.of(imported(1, "2026-03-02T15:00"), imported(3, "2026-03-02T15:00"),
                imported(10, "2026-03-03T09:00"), imported(11, "2026-03-03T09:00")), List.of(), List.of(), "wal", 1));

        MetricValues metrics = analytics.metrics(days, CONTROL);
        assertThat(metrics).isEqualTo(before);
        assertThat(metrics.activePersons()).isEqualTo(3);
        assertThat(metrics.newPersons()).as("persons 2 and 3; the imported ones are no new users").isEqualTo(2);
        assertThat(metrics.averageDailyActive()).isEqualTo(2.5);
        assertThat(metrics.sessions()).isEqualTo(7);
        // March 2nd: person 1's 3 events and person 2's 2; March 3rd: 1 of person 1, 2 of person 2, 1 of person 3
        assertThat(store.dailyActivity(PROJECT, SHANGHAI, LocalDate.parse("2026-03-02"), LocalDate.parse("2026-03-03"))).containsExactly(
                new DailyActivity(LocalDate.parse("2026-03-02"), 5, 2), new DailyActivity(LocalDate.parse("2026-03-03"), 4, 3));
        assertThat(analytics.trend(new TrendSpec(days, TrendSpec.ANY_EVENT, TrendSpec.Measure.UNIQUES, null, Interval.DAY, List.of(), null),
                CONTROL)).extracting(TrendRow::value).containsExactly(2.0, 3.0);
        assertThat(analytics.trend(new TrendSpec(days, "Identify", TrendSpec.Measure.TOTAL, null, Interval.DAY, List.of(), null), CONTROL))
                .isEmpty();
        assertThat(cohorts(analytics.retention(anyReturn, CONTROL))).isEqualTo(retentionBefore);
        assertThat(analytics.channels(days, new CohortEvents("Signed Up", "Product Added", LocalDate.parse("2026-03-10")), CONTROL))
                .extracting(ChannelQuality::channel).containsExactly("$none", "WeChat");
    }

    private static String cohorts(List<RetentionCohort> cohorts) {
        return cohorts.stream().map(cohort -> cohort.start() + ":" + cohort.size() + ":" + java.util.Arrays.toString(cohort.values())).toList()
                .toString();
    }

    @Test
    void metricsOfAnEmptyRangeAreZero() {
        shop();
        MetricValues metrics = analytics.metrics(new Scope(PROJECT, SHANGHAI, LocalDate.parse("2025-01-01"), LocalDate.parse("2025-01-31")), CONTROL);
        assertThat(metrics).isEqualTo(new MetricValues(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assertThat(metrics.stickiness()).isZero();
    }

    @Test
    void channelQualityFollowsThePersonsFirstSeenInTheRange() {
        shop();
        List<ChannelQuality> channels = analytics.channels(new Scope(PROJECT, SHANGHAI, LocalDate.parse("2026-03-02"), LocalDate.parse("2026-03-03")),
                new CohortEvents("Signed Up", "Product Added", LocalDate.parse("2026-03-10")), CONTROL);

        assertThat(channels).containsExactly(
                // person 3: no touch; activated; day 7 (March 10th) has come, but no event on it
                new ChannelQuality("$none", 1, 0, 1, 0, 1, 0, 0),
                // person 2: signed up, back on day 7 (March 9th), paid, but the order was refunded
                new ChannelQuality("WeChat", 1, 1, 0, 1, 1, 1, 0));

        List<ChannelQuality> early = analytics.channels(new Scope(PROJECT, SHANGHAI, LocalDate.parse("2026-03-02"), LocalDate.parse("2026-03-03")),
                new CohortEvents("Signed Up", "Product Added", LocalDate.parse("2026-03-08")), CONTROL);
        assertThat(early).extracting(ChannelQuality::eligibleDay7).containsExactly(0L, 0L);
    }

    @Test
    void mergedPersonsAreOnePersonInMetricsChannelsAndRfm() {
        store.append(List.of(
                page(7, "2026-03-02T10:00", "WeChat"),                  // anonymous visitor from WeChat
                track(8, "Signed Up", "2026-03-02T10:05"),              // the same person signing up on another device
                order(8, "2026-03-02T10:20", "m1", 60),
                order(7, "2026-03-03T10:20", "m2", 40)));
        store.apply(new io.flywheel.events.IngestBatch(List.of(), List.of(),
                List.of(new io.flywheel.events.PersonMerge(PROJECT, 7, 8, java.time.Instant.parse("2026-03-02T02:05:00Z"))), "test", 1));
        Scope scope = new Scope(PROJECT, SHANGHAI, LocalDate.parse("2026-03-02"), LocalDate.parse("2026-03-03"));

        MetricValues metrics = analytics.metrics(scope, CONTROL);
        assertThat(metrics.activePersons()).isEqualTo(1);
        assertThat(metrics.newPersons()).isEqualTo(1);
        assertThat(metrics.payingPersons()).isEqualTo(1);
        assertThat(metrics.sessions()).isEqualTo(2);

        assertThat(analytics.channels(scope, new CohortEvents("Signed Up", "Product Added", LocalDate.parse("2026-03-10")), CONTROL))
                .containsExactly(new ChannelQuality("WeChat", 1, 1, 0, 0, 1, 1, 100));

        List<RfmScore> scores = new ArrayList<>();
        analytics.rfm(scope, CONTROL, scores::add);
        assertThat(scores).extracting(RfmScore::personId, RfmScore::frequency, RfmScore::monetary).containsExactly(
                org.assertj.core.groups.Tuple.tuple(8L, 2L, 100.0));
    }

    @Test
    void rfmScoresByQuintileAndSidesOfTheAverage() {
        store.append(List.of(
                order(1, "2026-03-30T10:00", "a1", 100), order(1, "2026-03-20T10:00", "a2", 100), order(1, "2026-03-10T10:00", "a3", 100),
                order(2, "2026-03-25T10:00", "b1", 50),
                order(3, "2026-03-05T10:00", "c1", 500),
                order(4, "2026-03-28T10:00", "d1", 20), order(4, "2026-03-29T10:00", "d2", 20),
                order(5, "2026-03-01T10:00", "e1", 10), order(5, "2026-03-31T10:00", "e2", 1000),
                event(5, "track", "Order Refunded", "2026-03-31T12:00", null, "e2", 1000.0),
                order(6, "2026-02-27T10:00", "f1", 999)));

        List<RfmScore> scores = new ArrayList<>();
        analytics.rfm(new Scope(PROJECT, SHANGHAI, LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-31")), CONTROL, scores::add);
        scores.sort(Comparator.comparingLong(RfmScore::personId));

        // averages: recency 13 days, frequency 1.6, monetary 180
        assertThat(scores).containsExactly(
                new RfmScore(1, "u1", 1, 3, 300, 5, 5, 4, true, true, true),
                new RfmScore(2, null, 6, 1, 50, 3, 1, 3, true, false, false),
                new RfmScore(3, null, 26, 1, 500, 2, 1, 5, false, false, true),
                new RfmScore(4, null, 2, 2, 40, 4, 4, 2, true, true, false),
                new RfmScore(5, null, 30, 1, 10, 1, 1, 1, false, false, false));
    }

    @Test
    void scoresOfSomePersonsEqualTheirRowsOfEveryBuyersScores() throws Exception {
        // many ties in every figure (whole days, 1-3 orders, revenues in steps of 10), refunds, one merge
        java.util.Random random = new java.util.Random(20261202);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            long person = 1 + random.nextInt(120);
            String at = LocalDate.parse("2026-03-01").plusDays(random.nextInt(31)) + "T1" + random.nextInt(10) + ":00";
            events.add(order(person, at, "o" + i, 10 * (1 + random.nextInt(8))));
            if (random.nextInt(10) == 0) {
                events.add(event(person, "track", "Order Refunded", at, null, "o" + i, null));
            }
        }
        store.append(events);
        store.apply(new IngestBatch(List.of(), List.of(), List.of(new io.flywheel.events.PersonMerge(PROJECT, 7, 3, java.time.Instant.now())),
                "wal", 1));
        Scope scope = new Scope(PROJECT, SHANGHAI, LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-31"));
        String some = "(SELECT * FROM (VALUES (3), (5), (7), (11), (40), (77), (119), (500)) t(person))";
        Sql everyone = new Sql().append("SELECT * FROM (").include(DuckDbEventAnalytics.rfmScores(scope, "events"))
                .append(") WHERE person IN (SELECT person FROM " + some + ") ORDER BY person");
        Sql only = new Sql().append("SELECT * FROM (").include(DuckDbEventAnalytics.rfmScoresOf(scope, "events", some)).append(") ORDER BY person");
        List<String> expected = rows(everyone);
        assertThat(expected).hasSizeGreaterThan(4);
        assertThat(rows(only)).isEqualTo(expected);
    }

    private List<String> rows(Sql sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (java.sql.Connection reader = store.reader(); java.sql.PreparedStatement statement = reader.prepareStatement(sql.text())) {
            sql.bind(statement);
            try (java.sql.ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    StringBuilder line = new StringBuilder();
                    for (int c = 1; c <= 11; c++) {
                        line.append(row.getString(c)).append(' ');
                    }
                    rows.add(line.toString());
                }
            }
        }
        return rows;
    }
}
