package io.flywheel.events.internal;

import io.flywheel.events.LifecycleRun;
import io.flywheel.events.LifecycleStage;
import io.flywheel.events.LifecycleThresholds;
import io.flywheel.events.Lifecycles;
import io.flywheel.events.PersonStage;
import io.flywheel.events.StageHistory;
import io.flywheel.events.StageTransition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lifecycle stages in DuckDB. A recompute reads every person's activity on a reader (writes go on
 * meanwhile), derives each stage with {@link StageTimeline}, and then, in one short transaction on
 * the writer, replaces only the {@code person_stages} rows that changed and appends the
 * transitions. The stage history is derived from activity the same way and cached per question
 * until the project is recomputed again.
 */
final class DuckDbLifecycles implements Lifecycles {

    private static final Logger log = LoggerFactory.getLogger(DuckDbLifecycles.class);
    private static final LifecycleStage[] STAGES = LifecycleStage.values();
    private static final int CACHE_ENTRIES = 32;

    private final DuckDbEventStore store;
    private final ReentrantLock recomputing = new ReentrantLock();
    private final Map<HistoryKey, StageHistory> cache = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<HistoryKey, StageHistory> eldest) {
            return size() > CACHE_ENTRIES;
        }
    });

    DuckDbLifecycles(DuckDbEventStore store) {
        this.store = store;
    }

    private record HistoryKey(long projectId, ZoneId zone, LifecycleThresholds thresholds, LocalDate from, LocalDate to, Instant computedAt,
            Instant until) {
    }

    @Override
    public LifecycleRun recompute(long projectId, LifecycleThresholds thresholds, Instant now) {
        recomputing.lock();
        try {
            long started = System.nanoTime();
            Computed computed = compute(projectId, thresholds, now);
            long read = System.nanoTime();
            store.inTransaction("storing lifecycle stages", writer -> {
                write(writer, projectId, computed, now);
                return null;
            });
            cache.keySet().removeIf(key -> key.projectId() == projectId);
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (!computed.changed.isEmpty() || millis >= 1_000) {
                log.info("Lifecycle stages of project {}: {} persons, {} changed, {} transitions in {} ms ({} ms reading)", projectId,
                        computed.sizes.values().stream().mapToLong(Long::longValue).sum(), computed.changed.size(),
                        computed.transitions.size(), millis, (read - started) / 1_000_000);
            }
            return new LifecycleRun(projectId, now, computed.previous == null, computed.sizes, computed.transitions);
        }
        finally {
            recomputing.unlock();
        }
    }

    /** What a recompute found: the stages that changed, the persons whose stage is gone, the transitions and the sizes. */
    private record Computed(Instant previous, List<PersonStage> changed, List<Long> gone, List<StageTransition> transitions,
            Map<LifecycleStage, Long> sizes) {
    }

    private Computed compute(long projectId, LifecycleThresholds thresholds, Instant now) {
        try (Connection connection = store.reader()) {
            connection.setAutoCommit(false);
            Instant previous = lastComputed(connection, projectId).orElse(null);
            ProjectActivity activity = ProjectActivity.load(connection, projectId);
            boolean anyStored = false;
            for (int person = 0; person < activity.size && !anyStored; person++) {
                anyStored = activity.storedStage[person] >= 0;
            }
            connection.commit();
            // a project whose persons never had a stage (none yet, or all deleted) starts afresh, without transitions
            return derive(activity, thresholds, now, anyStored ? previous : null);
        }
        catch (SQLException e) {
            throw new EventStoreException("reading activity for lifecycle stages failed: " + e.getMessage(), e);
        }
    }

    private static Computed derive(ProjectActivity activity, LifecycleThresholds thresholds, Instant now, Instant previous) {
        byte[] storedStage = activity.storedStage;
        long[] storedSince = activity.storedSince;
        List<Long> gone = new ArrayList<>();
        long nowMicros = micros(now);
        long previousMicros = previous == null ? Long.MIN_VALUE : micros(previous);
        StageTimeline timeline = new StageTimeline(thresholds);
        long[] sizes = new long[STAGES.length];
        List<PersonStage> changed = new ArrayList<>();
        List<StageTransition> transitions = new ArrayList<>();
        for (int person = 0; person < activity.size; person++) {
            activity.timeline(person, timeline);
            timeline.build(nowMicros);
            int current = timeline.segmentAt(nowMicros);
            if (current < 0) {
                if (storedStage[person] >= 0) {
                    gone.add(activity.ids[person]);
                }
                continue;
            }
            LifecycleStage stage = timeline.segmentStage(current);
            long since = timeline.segmentFrom(current);
            sizes[stage.ordinal()]++;
            if (storedStage[person] == stage.ordinal() && storedSince[person] == since) {
                continue;
            }
            changed.add(new PersonStage(activity.ids[person], stage, DuckDbEventStore.instant(since)));
            if (previous != null) {
                transitions(activity.ids[person], timeline, storedStage[person] < 0 ? null : STAGES[storedStage[person]], previousMicros,
                        current, transitions);
            }
        }
        transitions.sort(Comparator.comparing(StageTransition::at).thenComparingLong(StageTransition::personId));
        Map<LifecycleStage, Long> counts = new EnumMap<>(LifecycleStage.class);
        for (LifecycleStage stage : STAGES) {
            counts.put(stage, sizes[stage.ordinal()]);
        }
        return new Computed(previous, changed, gone, transitions, counts);
    }

    /**
     * The transitions of one person since the previous computation: every change of the timeline
     * after it, starting from the stored stage; if late data rewrote the past so that the timeline
     * does not start where the stored stage was, one transition from the stored stage to the current.
     * A person without a stored stage enters "new" from nothing if still new after the previous
     * computation (late events included); one whose activity is older (loaded history) just gets a
     * stage. Imported rows are no activity, so a person only imported has no timeline at all.
     */
    private static void transitions(long personId, StageTimeline timeline, LifecycleStage stored, long previous, int current,
            List<StageTransition> out) {
        LifecycleStage at = stored;
        int segment = 0;
        if (stored == null) {
            boolean newSincePrevious = timeline.segmentStage(0) == LifecycleStage.NEW
                    && (timeline.segments() == 1 || timeline.segmentFrom(1) > previous);
            if (!newSincePrevious) {
                return;
            }
            out.add(new StageTransition(personId, null, LifecycleStage.NEW, DuckDbEventStore.instant(timeline.segmentFrom(0))));
            at = LifecycleStage.NEW;
            segment = 1;
        }
        for (; segment <= current; segment++) {
            long from = timeline.segmentFrom(segment);
            LifecycleStage stage = timeline.segmentStage(segment);
            if (from > previous && stage != at) {
                out.add(new StageTransition(personId, at, stage, DuckDbEventStore.instant(from)));
                at = stage;
            }
        }
        LifecycleStage now = timeline.segmentStage(current);
        if (at != now) {
            out.add(new StageTransition(personId, at, now, DuckDbEventStore.instant(timeline.segmentFrom(current))));
        }
    }

    private static void write(DuckDBConnection writer, long projectId, Computed computed, Instant now) throws SQLException {
        try (Statement statement = writer.createStatement()) {
            statement.execute("CREATE OR REPLACE TEMP TABLE stage_rows (person_id BIGINT, stage VARCHAR, since TIMESTAMP)");
            try (DuckDBAppender appender = writer.createAppender("temp", DuckDBConnection.DEFAULT_SCHEMA, "stage_rows")) {
                for (PersonStage stage : computed.changed) {
                    appender.beginRow();
                    appender.append(stage.personId());
                    appender.append(stage.stage().key());
                    appender.appendEpochMicros(micros(stage.since()));
                    appender.endRow();
                }
                for (long person : computed.gone) {
                    appender.beginRow();
                    appender.append(person);
                    appender.appendNull();
                    appender.appendNull();
                    appender.endRow();
                }
            }
            // the changed rows, and those of persons deleted or merged away
            statement.execute(("DELETE FROM person_stages WHERE project_id = %1$d AND (person_id IN (SELECT person_id FROM stage_rows) "
                    + "OR person_id IN (SELECT person_id FROM person_merges WHERE project_id = %1$d) "
                    + "OR person_id NOT IN (" + DuckDbEventStore.personIds(projectId) + " UNION ALL "
                    + "SELECT root_id FROM person_merges WHERE project_id = %1$d))").formatted(projectId));
            // nor do persons deleted or merged away while the stages were computed
            statement.execute(("DELETE FROM stage_rows WHERE person_id IN (SELECT person_id FROM person_merges WHERE project_id = %1$d) "
                    + "OR (person_id NOT IN (" + DuckDbEventStore.personIds(projectId) + ") "
                    + "AND person_id NOT IN (SELECT root_id FROM person_merges WHERE project_id = %1$d))").formatted(projectId));
            statement.execute("INSERT INTO person_stages SELECT %d, person_id, stage, since FROM stage_rows WHERE stage IS NOT NULL"
                    .formatted(projectId));
            statement.execute("DROP TABLE stage_rows");
        }
        if (!computed.transitions.isEmpty()) {
            try (DuckDBAppender appender = writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "person_stage_transitions")) {
                for (StageTransition transition : computed.transitions) {
                    appender.beginRow();
                    appender.append(projectId);
                    appender.append(transition.personId());
                    if (transition.from() == null) {
                        appender.appendNull();
                    }
                    else {
                        appender.append(transition.from().key());
                    }
                    appender.append(transition.to().key());
                    appender.appendEpochMicros(micros(transition.at()));
                    appender.endRow();
                }
            }
        }
        try (PreparedStatement statement = writer.prepareStatement("INSERT OR REPLACE INTO lifecycle_runs VALUES (?, ?)")) {
            statement.setLong(1, projectId);
            statement.setObject(2, java.time.LocalDateTime.ofInstant(now, java.time.ZoneOffset.UTC));
            statement.executeUpdate();
        }
    }

    @Override
    public Optional<Instant> lastComputed(long projectId) {
        try (Connection connection = store.reader()) {
            return lastComputed(connection, projectId);
        }
        catch (SQLException e) {
            throw new EventStoreException("reading the last lifecycle computation failed: " + e.getMessage(), e);
        }
    }

    private static Optional<Instant> lastComputed(Connection connection, long projectId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT epoch_us(computed_at) FROM lifecycle_runs WHERE project_id = ?")) {
            statement.setLong(1, projectId);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.of(DuckDbEventStore.instant(row.getLong(1))) : Optional.empty();
            }
        }
    }

    @Override
    public Map<LifecycleStage, Long> sizes(long projectId) {
        Map<LifecycleStage, Long> sizes = new EnumMap<>(LifecycleStage.class);
        for (LifecycleStage stage : STAGES) {
            sizes.put(stage, 0L);
        }
        try (Connection connection = store.reader();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT stage, count(*) FROM person_stages WHERE project_id = ? GROUP BY stage")) {
            statement.setLong(1, projectId);
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    sizes.put(LifecycleStage.ofKey(row.getString(1)), row.getLong(2));
                }
            }
            return sizes;
        }
        catch (SQLException e) {
            throw new EventStoreException("reading stage sizes failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<PersonStage> stage(long projectId, long personId) {
        try (Connection connection = store.reader()) {
            long root = DuckDbEventStore.members(connection, projectId, personId).get(0);
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT stage, epoch_us(since) FROM person_stages WHERE project_id = ? AND person_id = ?")) {
                statement.setLong(1, projectId);
                statement.setLong(2, root);
                try (ResultSet row = statement.executeQuery()) {
                    return row.next() ? Optional.of(new PersonStage(root, LifecycleStage.ofKey(row.getString(1)),
                            DuckDbEventStore.instant(row.getLong(2)))) : Optional.empty();
                }
            }
        }
        catch (SQLException e) {
            throw new EventStoreException("reading a person's stage failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<StageTransition> transitions(long projectId, long personId, int limit) {
        try (Connection connection = store.reader()) {
            List<Long> members = DuckDbEventStore.members(connection, projectId, personId);
            String sql = "SELECT person_id, from_stage, to_stage, epoch_us(changed_at) FROM person_stage_transitions WHERE project_id = ? "
                    + "AND person_id IN (" + Sql.placeholders(members.size()) + ") ORDER BY changed_at DESC, rowid DESC LIMIT ?";
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setLong(1, projectId);
                int index = 2;
                for (long member : members) {
                    statement.setLong(index++, member);
                }
                statement.setInt(index, limit);
                List<StageTransition> transitions = new ArrayList<>();
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        String from = row.getString(2);
                        transitions.add(new StageTransition(members.get(0), from == null ? null : LifecycleStage.ofKey(from),
                                LifecycleStage.ofKey(row.getString(3)), DuckDbEventStore.instant(row.getLong(4))));
                    }
                }
                return transitions;
            }
        }
        catch (SQLException e) {
            throw new EventStoreException("reading a person's stage transitions failed: " + e.getMessage(), e);
        }
    }

    @Override
    public StageHistory history(long projectId, ZoneId zone, LifecycleThresholds thresholds, LocalDate from, LocalDate to, Instant now) {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("to must not be before from");
        }
        if (ChronoUnit.DAYS.between(from, to) >= 366) {
            throw new IllegalArgumentException("a stage history covers at most 366 days");
        }
        // answers change with the hour at most (activity has hour resolution), and at every recompute
        Instant until = now.truncatedTo(ChronoUnit.HOURS);
        HistoryKey key = new HistoryKey(projectId, zone, thresholds, from, to, lastComputed(projectId).orElse(null), until);
        StageHistory cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        StageHistory history = deriveHistory(projectId, zone, thresholds, from, to, now);
        cache.put(key, history);
        return history;
    }

    private StageHistory deriveHistory(long projectId, ZoneId zone, LifecycleThresholds thresholds, LocalDate from, LocalDate to,
            Instant now) {
        long nowMicros = micros(now);
        List<LocalDate> days = new ArrayList<>();
        List<Long> ends = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            long start = micros(day.atStartOfDay(zone).toInstant());
            if (start > nowMicros) {
                break;
            }
            days.add(day);
            ends.add(Math.min(micros(day.plusDays(1).atStartOfDay(zone).toInstant()), nowMicros));
        }
        long rangeStart = Math.min(micros(from.atStartOfDay(zone).toInstant()), nowMicros);
        long rangeEnd = ends.isEmpty() ? rangeStart : ends.get(ends.size() - 1);
        long[][] sizes = new long[days.size()][STAGES.length];
        long[][] flows = new long[STAGES.length + 1][STAGES.length];
        ProjectActivity activity;
        try (Connection connection = store.reader()) {
            connection.setAutoCommit(false);
            activity = ProjectActivity.load(connection, projectId);
            connection.commit();
        }
        catch (SQLException e) {
            throw new EventStoreException("reading activity for the stage history failed: " + e.getMessage(), e);
        }
        StageTimeline timeline = new StageTimeline(thresholds);
        for (int person = 0; person < activity.size; person++) {
            activity.timeline(person, timeline);
            timeline.build(rangeEnd);
            int segments = timeline.segments();
            if (segments == 0) {
                continue;
            }
            int segment = -1;
            for (int day = 0; day < days.size(); day++) {
                long end = ends.get(day);
                while (segment + 1 < segments && timeline.segmentFrom(segment + 1) <= end) {
                    segment++;
                }
                if (segment >= 0) {
                    sizes[day][timeline.segmentStage(segment).ordinal()]++;
                }
            }
            int atStart = timeline.segmentAt(rangeStart);
            int atEnd = timeline.segmentAt(rangeEnd);
            if (atEnd >= 0) {
                flows[atStart < 0 ? STAGES.length : timeline.segmentStage(atStart).ordinal()][timeline.segmentStage(atEnd).ordinal()]++;
            }
        }
        List<StageHistory.Day> dayList = new ArrayList<>(days.size());
        for (int day = 0; day < days.size(); day++) {
            Map<LifecycleStage, Long> counts = new EnumMap<>(LifecycleStage.class);
            for (LifecycleStage stage : STAGES) {
                counts.put(stage, sizes[day][stage.ordinal()]);
            }
            dayList.add(new StageHistory.Day(days.get(day), counts));
        }
        List<StageHistory.Flow> flowList = new ArrayList<>();
        for (int source = 0; source <= STAGES.length; source++) {
            for (LifecycleStage target : STAGES) {
                long persons = flows[source][target.ordinal()];
                if (persons > 0) {
                    flowList.add(new StageHistory.Flow(source == STAGES.length ? null : STAGES[source], target, persons));
                }
            }
        }
        flowList.sort(Comparator.comparingLong(StageHistory.Flow::persons).reversed());
        return new StageHistory(from, to, dayList, flowList);
    }

    private static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }
}
