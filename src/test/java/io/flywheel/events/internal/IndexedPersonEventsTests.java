package io.flywheel.events.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.TestApplication;
import io.flywheel.events.Event;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A few persons' events read from the time index against the same rows read from the events table. */
class IndexedPersonEventsTests {

    private static final long PROJECT = 7;
    private static final Instant BASE = Instant.parse("2026-05-01T00:00:00Z");
    private static final String[] NAMES = {"A", "B", "C"};

    private final Random random = new Random(20261202);
    private DuckDbEventStore store;

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void copiesEveryEventOfTheGivenPersonsInEachNameFromItsStartOn() throws Exception {
        // tails of 8 entries: the events end up in many runs (merged on the way) and a tail
        store = new DuckDbEventStore(new EventStoreProperties(TestApplication.freshDataDir().resolve("events.duckdb"), "256MB", 1), 8);
        assertThat(store.timeIndex().awaitLoaded(1, TimeUnit.MINUTES)).isTrue();
        for (int batch = 0; batch < 60; batch++) {
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(20); i++) {
                // hourly times, so that many events sit exactly on a start
                Instant at = BASE.plus(Duration.ofHours(random.nextInt(48)));
                long person = 1 + random.nextInt(30);
                events.add(new Event(PROJECT, UUID.randomUUID().toString(), "track", NAMES[random.nextInt(NAMES.length)], person,
                        "anon-" + person, null, at, at, null, null, null, null, null, null, null, null, null, "{}", null));
            }
            store.append(events);
        }
        // persons 31 and 2^31 have no events; the roots are arbitrary labels carried along
        long[] persons = {2, 3, 5, 8, 13, 21, 31, 1L << 31};
        long[] roots = {100, 3, 100, 8, 13, 21, 31, 1L << 31};
        Instant aStart = BASE.plus(Duration.ofHours(20));
        List<IndexedPersonEvents.Need> needs = List.of(new IndexedPersonEvents.Need("A", DuckDbEventStore.micros(aStart)),
                new IndexedPersonEvents.Need("C", IndexedPersonEvents.ALL_TIME), new IndexedPersonEvents.Need("missing", IndexedPersonEvents.ALL_TIME));

        TimeIndex.Snapshot snapshot = store.timeIndex().snapshot(PROJECT);
        assertThat(snapshot.name("A").runs()).as("some events are in sorted runs").isNotEmpty();
        List<String> copied = new ArrayList<>();
        long count = IndexedPersonEvents.copy(snapshot, needs, persons, roots,
                (root, person, name, micros) -> copied.add(root + " " + person + " " + needs.get(name).name() + " " + micros));

        List<String> expected = new ArrayList<>();
        try (Connection reader = store.reader(); Statement statement = reader.createStatement();
                ResultSet row = statement.executeQuery("SELECT CASE person_id WHEN 2 THEN 100 WHEN 5 THEN 100 ELSE person_id END, person_id, "
                        + "event, epoch_us(ts) FROM events WHERE project_id = " + PROJECT + " AND person_id IN (2, 3, 5, 8, 13, 21, 31) "
                        + "AND (event = 'C' OR (event = 'A' AND ts >= TIMESTAMP '2026-05-01 20:00:00')) ORDER BY ALL")) {
            while (row.next()) {
                expected.add(row.getLong(1) + " " + row.getLong(2) + " " + row.getString(3) + " " + row.getLong(4));
            }
        }
        assertThat(count).isEqualTo(copied.size()).isGreaterThan(20);
        assertThat(copied.stream().sorted().toList()).isEqualTo(expected.stream().sorted().toList());
    }
}
