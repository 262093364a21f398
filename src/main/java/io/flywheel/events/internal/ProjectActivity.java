package io.flywheel.events.internal;

import io.flywheel.events.LifecycleStage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * The activity of every person (merged, by root id) of a project, as lifecycle stages need it: the
 * first and last activity from the {@code persons} table (exact), the stored stage, and the active
 * hours from {@code person_hours}, sorted per person. Persons never seen (only profile data, an
 * import, created them) have no activity and are left out, so they get no stage until their first
 * event. Rows are read unsorted and grouped in Java with a
 * counting sort over dense person numbers, which is far cheaper than a window or an ordered
 * aggregate in the engine.
 */
final class ProjectActivity {

    /** Each root with its first and last activity and its stored stage (as the ordinal of {@link LifecycleStage}) and since. */
    private static final String ROOTS = """
            WITH roots AS (
                SELECT coalesce(m.root_id, p.person_id) AS person_id, min(p.first_seen) AS first_seen, max(p.last_seen) AS last_seen
                FROM %s p
                LEFT JOIN person_merges m ON m.project_id = p.project_id AND m.person_id = p.person_id
                WHERE p.project_id = ? AND p.first_seen IS NOT NULL
                GROUP BY 1
            ), stored AS (
                SELECT person_id, %s AS stage, since FROM person_stages WHERE project_id = ?
            )
            SELECT r.person_id, epoch_us(r.first_seen), epoch_us(r.last_seen), coalesce(s.stage, -1), coalesce(epoch_us(s.since), 0)
            FROM roots r LEFT JOIN stored s ON s.person_id = r.person_id""".formatted(DuckDbEventStore.PERSONS_NOW, stageOrdinal());

    private static String stageOrdinal() {
        StringBuilder sql = new StringBuilder("CASE stage");
        for (LifecycleStage stage : LifecycleStage.values()) {
            sql.append(" WHEN '").append(stage.key()).append("' THEN ").append(stage.ordinal());
        }
        return sql.append(" END").toString();
    }

    private static final String HOURS = """
            SELECT coalesce(m.root_id, h.person_id), CAST(epoch(h.hour) AS BIGINT) // 3600
            FROM person_hours h
            LEFT JOIN person_merges m ON m.project_id = h.project_id AND m.person_id = h.person_id
            WHERE h.project_id = ?""";

    final int size;
    final long[] ids;
    final long[] first;
    final long[] last;
    /** The stored stage's ordinal, or -1 when none is stored, and its since. */
    final byte[] storedStage;
    final long[] storedSince;
    /** The active hours of person {@code n} are {@code hours[offsets[n]] .. hours[offsets[n + 1] - 1]}, ascending. */
    final int[] offsets;
    final int[] hours;

    private ProjectActivity(int size, long[] ids, long[] first, long[] last, byte[] storedStage, long[] storedSince,
            int[] offsets, int[] hours) {
        this.size = size;
        this.ids = ids;
        this.first = first;
        this.last = last;
        this.storedStage = storedStage;
        this.storedSince = storedSince;
        this.offsets = offsets;
        this.hours = hours;
    }

    static ProjectActivity load(Connection connection, long projectId) throws SQLException {
        LongIntMap numbers = new LongIntMap(1 << 16);
        long[] ids = new long[1 << 12];
        long[] first = new long[ids.length];
        long[] last = new long[ids.length];
        byte[] storedStage = new byte[ids.length];
        long[] storedSince = new long[ids.length];
        int size = 0;
        try (PreparedStatement statement = connection.prepareStatement(ROOTS)) {
            statement.setLong(1, projectId);
            statement.setLong(2, projectId);
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    if (size == ids.length) {
                        ids = Arrays.copyOf(ids, size * 2);
                        first = Arrays.copyOf(first, size * 2);
                        last = Arrays.copyOf(last, size * 2);
                        storedStage = Arrays.copyOf(storedStage, size * 2);
                        storedSince = Arrays.copyOf(storedSince, size * 2);
                    }
                    long id = row.getLong(1);
                    numbers.put(id, size);
                    ids[size] = id;
                    first[size] = row.getLong(2);
                    last[size] = row.getLong(3);
                    storedStage[size] = (byte) row.getInt(4);
                    storedSince[size] = row.getLong(5);
                    size++;
                }
            }
        }
        int[] owners = new int[1 << 16];
        int[] hourOf = new int[owners.length];
        int rows = 0;
        int[] counts = new int[size + 1];
        try (PreparedStatement statement = connection.prepareStatement(HOURS)) {
            statement.setLong(1, projectId);
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    int number = numbers.get(row.getLong(1));
                    if (number < 0) {
                        continue;
                    }
                    if (rows == owners.length) {
                        owners = Arrays.copyOf(owners, rows * 2);
                        hourOf = Arrays.copyOf(hourOf, rows * 2);
                    }
                    owners[rows] = number;
                    hourOf[rows] = (int) row.getLong(2);
                    counts[number + 1]++;
                    rows++;
                }
            }
        }
        for (int i = 0; i < size; i++) {
            counts[i + 1] += counts[i];
        }
        int[] offsets = counts.clone();
        int[] next = Arrays.copyOf(counts, size);
        int[] hours = new int[rows];
        for (int i = 0; i < rows; i++) {
            hours[next[owners[i]]++] = hourOf[i];
        }
        for (int person = 0; person < size; person++) {
            if (offsets[person + 1] - offsets[person] > 1) {
                Arrays.sort(hours, offsets[person], offsets[person + 1]);
            }
        }
        return new ProjectActivity(size, Arrays.copyOf(ids, size), Arrays.copyOf(first, size), Arrays.copyOf(last, size),
                Arrays.copyOf(storedStage, size), Arrays.copyOf(storedSince, size), offsets, hours);
    }

    /** Prepares the timeline of person {@code n}. */
    void timeline(int person, StageTimeline timeline) {
        timeline.reset(first[person], last[person]);
        timeline.gaps(hours, offsets[person], offsets[person + 1]);
    }
}
