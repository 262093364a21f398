package io.flywheel.events.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.TestApplication;
import io.flywheel.events.DailyActivity;
import io.flywheel.events.Event;
import io.flywheel.events.IdentityLink;
import io.flywheel.events.IngestBatch;
import io.flywheel.events.PersonMerge;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DuckDbEventStoreTests {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    private Path file;
    private DuckDbEventStore store;

    @BeforeEach
    void open() {
        file = TestApplication.freshDataDir().resolve("events.duckdb");
        store = new DuckDbEventStore(new EventStoreProperties(file, "256MB", 1));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static Event event(long projectId, long personId, String name, Instant at) {
        return new Event(projectId, UUID.randomUUID().toString(), "track", name, personId, "anon-" + personId, null, at, at,
                null, null, null, null, null, null, null, null, null, "{\"a\":1}", null);
    }

    @Test
    void countsEventsAndDistinctPersonsPerDayInTheProjectsZone() {
        store.append(List.of(
                // 2026-03-01 23:30 in Shanghai is 15:30 UTC: still March 1st there.
                event(1, 10, "A", Instant.parse("2026-03-01T15:30:00Z")),
                // 16:30 UTC is 00:30 on March 2nd in Shanghai.
                event(1, 10, "B", Instant.parse("2026-03-01T16:30:00Z")),
                event(1, 11, "C", Instant.parse("2026-03-01T17:00:00Z")),
                event(1, 10, "D", Instant.parse("2026-03-02T01:00:00Z")),
                // another project on the same days must not count
                event(2, 99, "X", Instant.parse("2026-03-01T17:00:00Z"))));

        List<DailyActivity> days = store.dailyActivity(1, SHANGHAI, LocalDate.parse("2026-02-28"), LocalDate.parse("2026-03-03"));

        assertThat(days).containsExactly(
                new DailyActivity(LocalDate.parse("2026-02-28"), 0, 0),
                new DailyActivity(LocalDate.parse("2026-03-01"), 1, 1),
                new DailyActivity(LocalDate.parse("2026-03-02"), 3, 2),
                new DailyActivity(LocalDate.parse("2026-03-03"), 0, 0));

        List<DailyActivity> utcDays = store.dailyActivity(1, ZoneId.of("UTC"), LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-02"));
        assertThat(utcDays).containsExactly(
                new DailyActivity(LocalDate.parse("2026-03-01"), 3, 2),
                new DailyActivity(LocalDate.parse("2026-03-02"), 1, 1));
        assertThat(store.count(1)).isEqualTo(4);
        assertThat(store.count(2)).isEqualTo(1);
    }

    @Test
    void eventsSurviveReopeningTheFile() {
        List<Event> batch = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            batch.add(event(3, i % 100, "E", Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i)));
        }
        store.append(batch);
        store.close();
        store = new DuckDbEventStore(new EventStoreProperties(file, "256MB", 1));
        assertThat(store.count(3)).isEqualTo(10_000);
    }

    @Test
    void orderEventsHoldEveryOrderAndRefundOfTheEventsThroughWritesDeletionsAndAnOldFile() throws java.sql.SQLException {
        Instant day = Instant.parse("2026-05-10T03:00:00Z");
        store.append(List.of(event(9, 1, "Order Completed", day), event(9, 1, "Product Viewed", day), event(9, 2, "Order Refunded", day),
                event(9, 3, "Order Completed", day), event(10, 1, "Order Completed", day)));
        store.apply(new IngestBatch(List.of(event(9, 4, "Order Completed", day), event(9, 4, "Signed Up", day)), List.of(),
                List.of(new PersonMerge(9, 4, 3, day)), "wal", 1));
        // the order of a failed batch is in neither table
        assertThatThrownBy(() -> store.apply(new IngestBatch(List.of(event(9, 5, "Order Completed", day)), List.of(),
                List.of(new PersonMerge(9, 6, 7, Instant.MAX)), "wal", 2))).isInstanceOf(RuntimeException.class);
        assertThat(orders()).isEqualTo(orderRowsOfEvents()).isEqualTo(5);
        assertThat(sameRows()).isTrue();

        store.deletePerson(9, 4).orElseThrow();
        assertThat(orders()).as("3 and 4 (merged) deleted").isEqualTo(3).isEqualTo(orderRowsOfEvents());
        store.deleteProject(10);
        assertThat(orders()).isEqualTo(2).isEqualTo(orderRowsOfEvents());
        assertThat(sameRows()).isTrue();

        // a file from before the table gets it filled from its events when it opens
        try (java.sql.Connection connection = store.reader(); java.sql.Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE order_events");
        }
        store.close();
        store = new DuckDbEventStore(new EventStoreProperties(file, "256MB", 1));
        assertThat(orders()).isEqualTo(2);
        assertThat(sameRows()).isTrue();
        store.append(List.of(event(9, 8, "Order Refunded", day)));
        assertThat(orders()).isEqualTo(3).isEqualTo(orderRowsOfEvents());
    }

    private long orders() throws java.sql.SQLException {
        return single("SELECT count(*) FROM order_events");
    }

    private long orderRowsOfEvents() throws java.sql.SQLException {
        return single("SELECT count(*) FROM events WHERE event IN ('Order Completed', 'Order Refunded')");
    }

    /** Every column of every order row, both ways. */
    private boolean sameRows() throws java.sql.SQLException {
        String events = "SELECT * FROM events WHERE event IN ('Order Completed', 'Order Refunded')";
        return single("SELECT (SELECT count(*) FROM (" + events + " EXCEPT ALL SELECT * FROM order_events)) "
                + "+ (SELECT count(*) FROM (SELECT * FROM order_events EXCEPT ALL " + events + "))") == 0;
    }

    private long single(String sql) throws java.sql.SQLException {
        try (java.sql.Connection connection = store.reader(); java.sql.Statement statement = connection.createStatement();
                java.sql.ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    @Test
    void deletingAProjectLeavesTheOthers() {
        store.append(List.of(event(4, 1, "A", Instant.now()), event(5, 1, "A", Instant.now())));
        store.deleteProject(4);
        assertThat(store.count(4)).isZero();
        assertThat(store.count(5)).isEqualTo(1);
    }

    @Test
    void anIngestBatchCommitsWithItsPositionAndMergesCountAsOnePerson() {
        Instant day = Instant.parse("2026-05-10T03:00:00Z");
        assertThat(store.position("wal")).isEqualTo(-1);
        store.apply(new IngestBatch(
                List.of(event(6, 1, "A", day), event(6, 2, "B", day), event(6, 3, "C", day)),
                List.of(new IdentityLink(6, "anon-1", 1, false), new IdentityLink(6, "user-1", 2, true)),
                List.of(new PersonMerge(6, 1, 2, day)),
                "wal", 41));
        store.apply(new IngestBatch(List.of(), List.of(), List.of(new PersonMerge(6, 2, 3, day)), "wal", 42));

        assertThat(store.position("wal")).isEqualTo(42);
        assertThat(store.dailyActivity(6, ZoneId.of("UTC"), LocalDate.parse("2026-05-10"), LocalDate.parse("2026-05-10")))
                .containsExactly(new DailyActivity(LocalDate.parse("2026-05-10"), 3, 1));
        List<IdentityLink> links = new ArrayList<>();
        store.identityLinks(links::add);
        assertThat(links).containsExactlyInAnyOrder(new IdentityLink(6, "anon-1", 1, false), new IdentityLink(6, "user-1", 2, true));
        List<PersonMerge> merges = new ArrayList<>();
        store.personMerges(merges::add);
        assertThat(merges).extracting(PersonMerge::from, PersonMerge::into).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(1L, 3L), org.assertj.core.groups.Tuple.tuple(2L, 3L));
    }

    @Test
    void aFailedBatchLeavesNothingBehind() {
        Event good = event(7, 1, "A", Instant.parse("2026-05-10T03:00:00Z"));
        store.apply(new IngestBatch(List.of(good), List.of(), List.of(), "wal", 1));
        // a merge with a timestamp outside DuckDB's range makes the batch fail after the events were appended
        IngestBatch failing = new IngestBatch(List.of(event(7, 2, "B", Instant.parse("2026-05-10T04:00:00Z"))), List.of(),
                List.of(new PersonMerge(7, 5, 6, Instant.MAX)), "wal", 2);
        assertThatThrownBy(() -> store.apply(failing)).isInstanceOf(RuntimeException.class);
        assertThat(store.count(7)).isEqualTo(1);
        assertThat(store.position("wal")).isEqualTo(1);
        store.apply(new IngestBatch(List.of(event(7, 3, "C", Instant.parse("2026-05-10T05:00:00Z"))), List.of(), List.of(), "wal", 2));
        assertThat(store.count(7)).isEqualTo(2);
    }

    @Test
    void findsStoredMessageIdsWithinATimeRange() {
        Event stored = event(8, 1, "A", Instant.parse("2026-05-10T03:00:00Z"));
        store.append(List.of(stored));
        assertThat(store.existingMessageIds(8, List.of(stored.messageId(), "other"),
                Instant.parse("2026-05-09T00:00:00Z"), Instant.parse("2026-05-11T00:00:00Z"))).containsExactly(stored.messageId());
        assertThat(store.existingMessageIds(9, List.of(stored.messageId()),
                Instant.parse("2026-05-09T00:00:00Z"), Instant.parse("2026-05-11T00:00:00Z"))).isEmpty();
        List<String> recent = new ArrayList<>();
        store.recentMessageIds(10, (project, id) -> recent.add(project + ":" + id));
        assertThat(recent).containsExactly("8:" + stored.messageId());
    }

    @Test
    void aClosedStoreRefusesWork() {
        store.close();
        assertThatThrownBy(() -> store.count(1)).isInstanceOf(EventStoreException.class).hasMessageContaining("closed");
    }

    @Test
    void rejectsReversedRanges() {
        assertThatThrownBy(() -> store.dailyActivity(1, SHANGHAI, LocalDate.parse("2026-03-02"), LocalDate.parse("2026-03-01")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
