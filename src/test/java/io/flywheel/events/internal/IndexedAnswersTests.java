package io.flywheel.events.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.TestApplication;
import io.flywheel.events.Event;
import io.flywheel.events.PersonCondition;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Counts and sequences answered from the time index against the same answers computed in SQL from the events table. */
class IndexedAnswersTests {

    private static final long PROJECT = 7;
    private static final Instant BASE = Instant.parse("2026-05-01T00:00:00Z");
    private static final String[] NAMES = {"A", "B", "C"};
    /** Persons 2 and 5 are merged into root 100; persons 31 and 2^31 have no events. */
    private static final long[] PERSONS = {2, 3, 5, 8, 13, 21, 31, 1L << 31};
    private static final long[] ROOTS = {100, 3, 100, 8, 13, 21, 31, 1L << 31};
    private static final String ROOT = "CASE person_id WHEN 2 THEN 100 WHEN 5 THEN 100 ELSE person_id END";
    private static final String ASKED = " AND person_id IN (2, 3, 5, 8, 13, 21, 31)";

    private final Random random = new Random(20261203);
    private DuckDbEventStore store;

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void answersEveryQuestionAsTheEventsTableDoesAtTheEdgesOfItsRange() throws Exception {
        // tails of 8 entries: the events end up in many runs and a tail; hourly times put many events exactly on an edge
        store = new DuckDbEventStore(new EventStoreProperties(TestApplication.freshDataDir().resolve("events.duckdb"), "256MB", 1), 8);
        assertThat(store.timeIndex().awaitLoaded(1, TimeUnit.MINUTES)).isTrue();
        for (int batch = 0; batch < 60; batch++) {
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(20); i++) {
                Instant at = BASE.plus(Duration.ofHours(random.nextInt(48)));
                long person = 1 + random.nextInt(30);
                String type = random.nextInt(5) == 0 ? "page" : "track";
                events.add(new Event(PROJECT, UUID.randomUUID().toString(), type, NAMES[random.nextInt(NAMES.length)], person,
                        "anon-" + person, null, at, at, null, null, null, null, null, null, null, null, null, "{}", null));
            }
            store.append(events);
        }
        long from = DuckDbEventStore.micros(BASE.plus(Duration.ofHours(10)));
        long to = DuckDbEventStore.micros(BASE.plus(Duration.ofHours(30)));
        long hour = 3_600_000_000L;
        List<IndexedAnswers.Question> questions = List.of(new IndexedAnswers.Count("A", from, to),
                new IndexedAnswers.Count(PersonCondition.ANY_EVENT, from, to), new IndexedAnswers.Count("C", Long.MIN_VALUE, Long.MAX_VALUE),
                new IndexedAnswers.Count("missing", Long.MIN_VALUE, Long.MAX_VALUE), new IndexedAnswers.Then("A", "B", from, to, 3 * hour),
                new IndexedAnswers.Then("B", "C", from, to, 0), new IndexedAnswers.Then("C", "A", Long.MIN_VALUE, Long.MAX_VALUE, hour));

        TimeIndex.Snapshot snapshot = store.timeIndex().snapshot(PROJECT);
        assertThat(snapshot.name("A").runs()).as("some events are in sorted runs").isNotEmpty();
        TreeMap<String, Long> answered = new TreeMap<>();
        long read = IndexedAnswers.answer(snapshot, questions, PERSONS, ROOTS, (question, root, answer) -> {
            assertThat(answer).isPositive();
            answered.put(question + " " + root, answer);
        });

        TreeMap<String, Long> expected = new TreeMap<>();
        String range = " AND ts BETWEEN make_timestamp(" + from + ") AND make_timestamp(" + to + ")";
        expect(expected, 0, "SELECT " + ROOT + ", count(*) FROM events WHERE event = 'A'" + range + ASKED + " GROUP BY 1");
        expect(expected, 1, "SELECT " + ROOT + ", count(*) FROM events WHERE TRUE" + range + ASKED + " GROUP BY 1");
        expect(expected, 2, "SELECT " + ROOT + ", count(*) FROM events WHERE event = 'C'" + ASKED + " GROUP BY 1");
        expect(expected, 4, then("A", "B", range, 3 * hour));
        expect(expected, 5, then("B", "C", range, 0));
        expect(expected, 6, then("C", "A", "", hour));
        assertThat(answered).isEqualTo(expected);
        assertThat(expected.keySet()).as("every kind of question has persons").anyMatch(key -> key.startsWith("0 "))
                .anyMatch(key -> key.startsWith("1 ")).anyMatch(key -> key.startsWith("4 ")).anyMatch(key -> key.startsWith("6 "));
        assertThat(read).isPositive();
    }

    /** Whether a person did {@code first} strictly before {@code then} and at most {@code within} earlier, both in the range. */
    private static String then(String first, String then, String range, long within) {
        return "SELECT DISTINCT b.root, 1 FROM (SELECT " + ROOT + " AS root, ts FROM events WHERE event = '" + then + "'" + range + ASKED
                + ") b JOIN (SELECT " + ROOT + " AS root, ts FROM events WHERE event = '" + first + "'" + range + ASKED + ") a "
                + "ON a.root = b.root AND a.ts < b.ts AND epoch_us(b.ts) - epoch_us(a.ts) <= " + within;
    }

    private void expect(TreeMap<String, Long> expected, int question, String sql) throws Exception {
        try (Connection reader = store.reader(); Statement statement = reader.createStatement();
                ResultSet row = statement.executeQuery(sql.replace("FROM events WHERE", "FROM events WHERE project_id = " + PROJECT + " AND"))) {
            while (row.next()) {
                expected.put(question + " " + row.getLong(1), row.getLong(2));
            }
        }
    }
}
