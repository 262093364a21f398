package io.flywheel.events.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.TestApplication;
import io.flywheel.events.DailyActivity;
import io.flywheel.events.Event;
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
    void deletingAProjectLeavesTheOthers() {
        store.append(List.of(event(4, 1, "A", Instant.now()), event(5, 1, "A", Instant.now())));
        store.deleteProject(4);
        assertThat(store.count(4)).isZero();
        assertThat(store.count(5)).isEqualTo(1);
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
