package io.flywheel.events.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.TestApplication;
import io.flywheel.events.Event;
import io.flywheel.events.FunnelCounts;
import io.flywheel.events.FunnelResult;
import io.flywheel.events.FunnelSpec;
import io.flywheel.events.IngestBatch;
import io.flywheel.events.PersonMerge;
import io.flywheel.events.QueryControl;
import io.flywheel.events.Scope;
import java.nio.file.Path;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The funnel over the time index against the SQL path on random data: appends in many small
 * batches (tails sorted into runs and runs merged on the way), merges and merge chains, deletions,
 * a reopen that loads the index from the file while new writes arrive, events at the window's edge
 * and at equal times.
 */
class TimeIndexFunnelTests {

    private static final long PROJECT = 3;
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final LocalDate FIRST_DAY = LocalDate.of(2026, 5, 1);
    private static final Instant BASE = FIRST_DAY.atStartOfDay(SHANGHAI).toInstant();
    private static final String[] NAMES = {"A", "B", "C", "D"};
    private static final QueryControl CONTROL = QueryControl.withTimeout(Duration.ofSeconds(30));

    private static final java.util.concurrent.ExecutorService POOL = java.util.concurrent.Executors.newFixedThreadPool(2);

    private final Random random = new Random(20261201);
    private final Map<Long, Long> roots = new HashMap<>();
    private final List<Long> persons = new ArrayList<>();
    private DuckDbEventStore store;
    private Path file;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private DuckDbEventStore open() {
        return new DuckDbEventStore(new EventStoreProperties(file, "256MB", 1), 16);
    }

    private Event event(long person) {
        // a 30-minute grid over six days, so that equal times and exact window edges are common
        Instant at = BASE.plus(Duration.ofMinutes(30L * random.nextInt(6 * 48))).minus(Duration.ofHours(12));
        String name = NAMES[random.nextInt(NAMES.length)];
        return new Event(PROJECT, UUID.randomUUID().toString(), "track", name, person, "anon-" + person, null, at, at,
                null, null, null, null, null, null, null, null, null, "{}", null);
    }

    private void appendBatches(int batches) {
        for (int b = 0; b < batches; b++) {
            List<Event> events = new ArrayList<>();
            int size = 1 + random.nextInt(40);
            for (int i = 0; i < size; i++) {
                if (persons.isEmpty() || random.nextInt(8) == 0) {
                    long person = 1 + persons.size() + 100L * persons.size() % 7;
                    persons.add(person);
                }
                events.add(event(persons.get(random.nextInt(persons.size()))));
            }
            List<PersonMerge> merges = new ArrayList<>();
            if (random.nextInt(4) == 0) {
                List<Long> currentRoots = persons.stream().filter(p -> !roots.containsKey(p)).toList();
                if (currentRoots.size() >= 2) {
                    long from = currentRoots.get(random.nextInt(currentRoots.size()));
                    long into = currentRoots.get(random.nextInt(currentRoots.size()));
                    if (from != into) {
                        merges.add(new PersonMerge(PROJECT, from, into, BASE));
                        roots.replaceAll((person, root) -> root == from ? into : root);
                        roots.put(from, into);
                    }
                }
            }
            if (random.nextBoolean()) {
                store.append(events);
                if (!merges.isEmpty()) {
                    store.apply(new IngestBatch(List.of(), List.of(), merges, "test", b));
                }
            }
            else {
                store.apply(new IngestBatch(events, List.of(), merges, "test", b));
            }
        }
    }

    private void deleteSomeone() {
        long person = persons.get(random.nextInt(persons.size()));
        long root = roots.getOrDefault(person, person);
        store.deletePerson(PROJECT, root);
        List<Long> members = new ArrayList<>(roots.keySet().stream().filter(p -> roots.get(p) == root).toList());
        members.add(root);
        persons.removeAll(members);
        roots.keySet().removeAll(members);
    }

    private FunnelSpec randomFunnel() {
        int steps = 2 + random.nextInt(3);
        List<FunnelSpec.Step> list = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            list.add(new FunnelSpec.Step(NAMES[random.nextInt(NAMES.length)], List.of()));
        }
        LocalDate from = FIRST_DAY.plusDays(random.nextInt(3) - 1);
        Scope scope = new Scope(PROJECT, SHANGHAI, from, from.plusDays(random.nextInt(4)));
        Duration window = Duration.ofMinutes(30L * (1 + random.nextInt(60)));
        return new FunnelSpec(scope, list, window, null);
    }

    private void assertSameAnswers(int funnels) {
        DuckDbEventAnalytics analytics = new DuckDbEventAnalytics(store);
        assertThat(store.timeIndex().snapshot(PROJECT)).as("the index answers").isNotNull();
        for (int i = 0; i < funnels; i++) {
            FunnelSpec spec = randomFunnel();
            assertThat(IndexedFunnel.answers(spec)).isTrue();
            FunnelResult indexed = analytics.funnel(spec, CONTROL);
            FunnelResult bySql = analytics.funnelBySql(spec, CONTROL);
            assertSame(indexed.total(), bySql.total(), spec);
            // split over three threads by person range (merged persons walked together afterwards)
            FunnelResult split = IndexedFunnel.run(store.timeIndex().snapshot(PROJECT), spec, () -> false, POOL, 3, 0);
            assertSame(split.total(), bySql.total(), spec);
        }
    }

    private static void assertSame(FunnelCounts indexed, FunnelCounts bySql, FunnelSpec spec) {
        assertThat(indexed.reached()).as("reached for %s", spec).containsExactly(bySql.reached());
        assertThat(indexed.medianSeconds()).as("medians for %s", spec).containsExactly(bySql.medianSeconds());
    }

    @Test
    void answersLikeTheSqlPathThroughAppendsMergesDeletionsAndAReopen() throws InterruptedException {
        file = TestApplication.freshDataDir().resolve("events.duckdb");
        store = open();
        appendBatches(60);
        assertSameAnswers(40);
        deleteSomeone();
        deleteSomeone();
        assertSameAnswers(20);
        appendBatches(30);
        assertSameAnswers(20);

        // the worker has sorted full tails into runs (and merged some)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (store.timeIndex().snapshot(PROJECT).name("A").runs().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(store.timeIndex().snapshot(PROJECT).name("A").runs()).isNotEmpty();
        assertSameAnswers(20);

        // reopen: the index loads from the file while writes go on
        store.close();
        store = open();
        appendBatches(10);
        deleteSomeone();
        assertThat(store.timeIndex().awaitLoaded(30, TimeUnit.SECONDS)).isTrue();
        assertSameAnswers(40);
        appendBatches(20);
        assertSameAnswers(20);
    }

    @Test
    void theLoadReadsASnapshotPinnedBeforeLaterWrites() throws Exception {
        // what the load relies on: a reader with auto-commit off keeps the snapshot of its first statement
        file = TestApplication.freshDataDir().resolve("events.duckdb");
        store = open();
        appendBatches(5);
        try (java.sql.Connection reader = store.reader(); java.sql.Statement statement = reader.createStatement()) {
            reader.setAutoCommit(false);
            long before;
            try (java.sql.ResultSet result = statement.executeQuery("SELECT count(*) FROM events")) {
                result.next();
                before = result.getLong(1);
            }
            appendBatches(5);
            try (java.sql.ResultSet result = statement.executeQuery("SELECT count(*) FROM events")) {
                result.next();
                assertThat(result.getLong(1)).isEqualTo(before);
            }
            reader.rollback();
            try (java.sql.ResultSet result = statement.executeQuery("SELECT count(*) FROM events")) {
                result.next();
                assertThat(result.getLong(1)).isGreaterThan(before);
            }
        }
    }

    @Test
    void aDeletedPersonLeavesNothingInTheIndex() {
        file = TestApplication.freshDataDir().resolve("events.duckdb");
        store = open();
        appendBatches(40);
        long person = persons.get(0);
        long root = roots.getOrDefault(person, person);
        List<Long> members = new ArrayList<>(roots.keySet().stream().filter(p -> roots.get(p) == root).toList());
        members.add(root);
        store.deletePerson(PROJECT, root);
        TimeIndex.Snapshot snapshot = store.timeIndex().snapshot(PROJECT);
        List<TimeIndex.NameState> states = new ArrayList<>();
        for (String name : NAMES) {
            states.add(snapshot.name(name));
        }
        states.add(snapshot.all());
        for (TimeIndex.NameState state : states) {
            for (TimeRun run : state.runs()) {
                for (int p : run.persons) {
                    assertThat(members).doesNotContain((long) p);
                }
            }
            for (int i = 0; i < state.tailSize(); i++) {
                assertThat(members).doesNotContain((long) state.tailPersons()[i]);
            }
        }
        for (long member : members) {
            assertThat(snapshot.roots().merged((int) member)).isFalse();
        }
    }

    @Test
    void aProjectIsLeftToSqlWhileLoadingAndWhenOverBudget() throws InterruptedException {
        file = TestApplication.freshDataDir().resolve("events.duckdb");
        store = new DuckDbEventStore(new EventStoreProperties(file, "256MB", 1, 100), 16);
        persons.add(1L);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            events.add(event(1));
        }
        store.append(events);
        assertThat(store.timeIndex().snapshot(PROJECT)).isNotNull();
        store.append(events.stream().map(e -> event(1)).toList());
        assertThat(store.timeIndex().snapshot(PROJECT)).as("80 events (in their names' family and the family of all events) pass a budget of 100 entries").isNull();
        FunnelSpec spec = new FunnelSpec(new Scope(PROJECT, SHANGHAI, FIRST_DAY, FIRST_DAY.plusDays(3)),
                List.of(new FunnelSpec.Step("A", List.of()), new FunnelSpec.Step("B", List.of())), Duration.ofDays(1), null);
        DuckDbEventAnalytics analytics = new DuckDbEventAnalytics(store);
        FunnelCounts expected = analytics.funnelBySql(spec, CONTROL).total();
        assertSame(analytics.funnel(spec, CONTROL).total(), expected, spec);

        store.close();
        store = new DuckDbEventStore(new EventStoreProperties(file, "256MB", 1, 100), 16);
        assertThat(store.timeIndex().awaitLoaded(30, TimeUnit.SECONDS)).isTrue();
        assertThat(store.timeIndex().snapshot(PROJECT)).as("80 stored events pass a budget of 100 entries").isNull();
        store.close();
        store = new DuckDbEventStore(new EventStoreProperties(file, "256MB", 1, 0), 16);
        assertThat(store.timeIndex().snapshot(PROJECT)).as("index off").isNull();
        assertSame(new DuckDbEventAnalytics(store).funnel(spec, CONTROL).total(), expected, spec);
    }
}
