package io.flywheel.events;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * Stores and reads events. Implementations are engine specific (DuckDB embedded, ClickHouse in
 * production); callers never see the engine.
 */
public interface EventStore {

    /** Appends events; when this returns normally the events are durable. */
    void append(List<Event> events);

    /** Number of events stored for a project. */
    long count(long projectId);

    /**
     * Events and active persons per day for the inclusive day range, days taken in {@code zone}.
     * Days without events are present with zero counts.
     */
    List<DailyActivity> dailyActivity(long projectId, ZoneId zone, LocalDate from, LocalDate to);

    /** Removes every event of a project. */
    void deleteProject(long projectId);
}
