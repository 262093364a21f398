package io.flywheel.events.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.TestApplication;
import io.flywheel.events.Event;
import io.flywheel.events.IngestBatch;
import io.flywheel.events.Interval;
import io.flywheel.events.MetricValues;
import io.flywheel.events.PersonMerge;
import io.flywheel.events.QueryControl;
import io.flywheel.events.Scope;
import io.flywheel.events.TrendRow;
import io.flywheel.events.TrendSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Trends and metrics over the time index against the SQL path on random data: page, screen and
 * track calls, orders and refunds, merges, a deletion, sessions cut by 30-minute gaps (and gaps of
 * exactly 30 minutes), zones with whole-hour and half-hour offsets, and a reopen that loads the index.
 */
class IndexedActivityTests {

    private static final long PROJECT = 5;
    private static final LocalDate FIRST_DAY = LocalDate.of(2026, 6, 1);
    private static final String[] NAMES = {"Page Viewed", "Product Viewed", "Order Completed", "Order Refunded", "Signed Up"};
    private static final QueryControl CONTROL = QueryControl.withTimeout(Duration.ofSeconds(30));
    private static final ExecutorService POOL = Executors.newFixedThreadPool(2);

    private final Random random = new Random(61);
    private final Map<Long, Long> roots = new HashMap<>();
    private final List<Long> persons = new ArrayList<>();
    private final List<String> orders = new ArrayList<>();
    private DuckDbEventStore store;
    private java.nio.file.Path file;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @AfterAll
    static void stopPool() {
        POOL.shutdownNow();
    }

    private Event event(long person) {
        // 10-minute steps over 40 days: gaps of exactly 30 minutes are common
        Instant at = FIRST_DAY.atStartOfDay(ZoneId.of("UTC")).toInstant().plus(Duration.ofMinutes(10L * random.nextInt(40 * 144)))
                .minus(Duration.ofDays(3));
        String type = switch (random.nextInt(4)) {
            case 0 -> "page";
            case 1 -> "screen";
            default -> "track";
        };
        String name = NAMES[random.nextInt(NAMES.length)];
        String orderId = null;
        Double revenue = null;
        if (name.equals("Order Completed")) {
            orderId = "o" + orders.size();
            orders.add(orderId);
            revenue = (double) random.nextInt(500);
        }
        else if (name.equals("Order Refunded") && !orders.isEmpty()) {
            orderId = orders.get(random.nextInt(orders.size()));
        }
        return new Event(PROJECT, UUID.randomUUID().toString(), type, name, person, "anon-" + person, null, at, at,
                null, null, null, null, null, null, orderId, revenue, null, "{}", null);
    }

    private void appendBatches(int batches) {
        for (int b = 0; b < batches; b++) {
            List<Event> events = new ArrayList<>();
            int size = 1 + random.nextInt(60);
            for (int i = 0; i < size; i++) {
                if (persons.isEmpty() || random.nextInt(6) == 0) {
                    persons.add(1L + persons.size());
                }
                events.add(event(persons.get(random.nextInt(persons.size()))));
            }
            List<PersonMerge> merges = new ArrayList<>();
            List<Long> currentRoots = persons.stream().filter(p -> !roots.containsKey(p)).toList();
            if (random.nextInt(3) == 0 && currentRoots.size() >= 2) {
                long from = currentRoots.get(random.nextInt(currentRoots.size()));
                long into = currentRoots.get(random.nextInt(currentRoots.size()));
                if (from != into) {
                    merges.add(new PersonMerge(PROJECT, from, into, Instant.EPOCH));
                    roots.replaceAll((person, root) -> root == from ? into : root);
                    roots.put(from, into);
                }
            }
            store.apply(new IngestBatch(events, List.of(), merges, "test", b));
        }
    }

    private Scope randomScope(ZoneId zone) {
        LocalDate from = FIRST_DAY.plusDays(random.nextInt(10) - 5);
        return new Scope(PROJECT, zone, from, from.plusDays(random.nextInt(35)));
    }

    private void assertSameAnswers(int questions) {
        DuckDbEventAnalytics analytics = new DuckDbEventAnalytics(store);
        TimeIndex.Snapshot snapshot = store.timeIndex().snapshot(PROJECT);
        assertThat(snapshot).isNotNull();
        for (int i = 0; i < questions; i++) {
            ZoneId zone = ZoneId.of(random.nextBoolean() ? "Asia/Shanghai" : "Asia/Kolkata");
            Scope scope = randomScope(zone);
            String event = random.nextInt(3) == 0 ? NAMES[random.nextInt(NAMES.length)] : TrendSpec.ANY_EVENT;
            TrendSpec.Measure measure = event.equals(TrendSpec.ANY_EVENT)
                    ? TrendSpec.Measure.values()[random.nextInt(3)] : random.nextBoolean() ? TrendSpec.Measure.TOTAL : TrendSpec.Measure.UNIQUES;
            Interval interval = Interval.values()[random.nextInt(Interval.values().length)];
            TrendSpec trend = new TrendSpec(scope, event, measure, null, interval, List.of(), null);
            assertThat(IndexedActivity.answers(trend)).isTrue();
            List<TrendRow> bySql = analytics.trendBySql(trend, CONTROL);
            assertThat(analytics.trend(trend, CONTROL)).as("%s", trend).isEqualTo(bySql);
            assertThat(IndexedActivity.trend(snapshot, trend, () -> false, POOL, 3, 0)).as("split: %s", trend).isEqualTo(bySql);

            MetricValues metricsBySql = analytics.metricsBySql(scope, CONTROL);
            assertThat(analytics.metrics(scope, CONTROL)).as("metrics %s", scope).isEqualTo(metricsBySql);
        }
    }

    @Test
    void trendsAndMetricsAnswerLikeTheSqlPath() throws InterruptedException {
        file = TestApplication.freshDataDir().resolve("events.duckdb");
        store = new DuckDbEventStore(new EventStoreProperties(file, "256MB", 1), 32);
        appendBatches(80);
        assertSameAnswers(40);
        long person = persons.get(random.nextInt(persons.size()));
        store.deletePerson(PROJECT, roots.getOrDefault(person, person));
        assertSameAnswers(15);

        store.close();
        store = new DuckDbEventStore(new EventStoreProperties(file, "256MB", 1), 32);
        assertThat(store.timeIndex().awaitLoaded(30, TimeUnit.SECONDS)).isTrue();
        assertSameAnswers(25);
    }

    @Test
    void aRangeAcrossADaylightSavingChangeIsLeftToSql() {
        Scope scope = new Scope(PROJECT, ZoneId.of("Europe/Berlin"), LocalDate.of(2026, 3, 20), LocalDate.of(2026, 4, 5));
        assertThat(IndexedActivity.answers(new TrendSpec(scope, TrendSpec.ANY_EVENT, TrendSpec.Measure.UNIQUES, null, Interval.DAY,
                List.of(), null))).isFalse();
        assertThat(IndexedActivity.answersActivity(scope.zone(), scope.start(), scope.end())).isFalse();
        Scope summer = new Scope(PROJECT, ZoneId.of("Europe/Berlin"), LocalDate.of(2026, 5, 1), LocalDate.of(2026, 5, 31));
        assertThat(IndexedActivity.answersActivity(summer.zone(), summer.start(), summer.end())).isTrue();
    }
}
