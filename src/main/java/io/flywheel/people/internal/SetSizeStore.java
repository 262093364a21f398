package io.flywheel.people.internal;

import io.flywheel.people.SetSize;
import io.flywheel.shared.InvalidInputException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Sizes of segments and tags over time: one sample per set and hour (the last one written wins). */
@Repository
public class SetSizeStore {

    private final JdbcClient jdbc;

    public SetSizeStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records the size for the hour of {@code at}, replacing an earlier sample of that hour. */
    public void record(long projectId, String key, Instant at, long size) {
        Timestamp hour = Timestamp.from(at.truncatedTo(ChronoUnit.HOURS));
        int updated = jdbc.sql("UPDATE person_set_sizes SET size = :size WHERE project_id = :projectId AND set_key = :key AND sampled_at = :hour")
                .param("projectId", projectId)
                .param("key", key)
                .param("hour", hour)
                .param("size", size)
                .update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO person_set_sizes (project_id, set_key, sampled_at, size) VALUES (:projectId, :key, :hour, :size)")
                    .param("projectId", projectId)
                    .param("key", key)
                    .param("hour", hour)
                    .param("size", size)
                    .update();
        }
    }

    /** The hourly samples from {@code from} (inclusive) to {@code to} (exclusive), oldest first. */
    public List<SetSize> between(long projectId, String key, Instant from, Instant to) {
        return jdbc.sql("""
                        SELECT sampled_at, size FROM person_set_sizes
                        WHERE project_id = :projectId AND set_key = :key AND sampled_at >= :from AND sampled_at < :to ORDER BY sampled_at""")
                .param("projectId", projectId)
                .param("key", key)
                .param("from", Timestamp.from(from))
                .param("to", Timestamp.from(to))
                .query((row, number) -> new SetSize(row.getTimestamp(1).toInstant(), row.getLong(2)))
                .list();
    }

    /**
     * The last sample of each day from {@code from} to {@code to} (inclusive days in {@code zone})
     * that has one, oldest first: a segment's or a tag's size over time.
     */
    public List<SetSize> daily(long projectId, ZoneId zone, String key, LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            throw new InvalidInputException("to", "to must not be before from");
        }
        Map<LocalDate, SetSize> last = new LinkedHashMap<>();
        for (SetSize sample : between(projectId, key, from.atStartOfDay(zone).toInstant(), to.plusDays(1).atStartOfDay(zone).toInstant())) {
            last.put(LocalDate.ofInstant(sample.at(), zone), sample);
        }
        return List.copyOf(last.values());
    }

    /** The latest sample before {@code at} of each set of the project. */
    public Map<String, SetSize> latestBefore(long projectId, Instant at) {
        Map<String, SetSize> latest = new HashMap<>();
        jdbc.sql("""
                        SELECT s.set_key, s.sampled_at, s.size FROM person_set_sizes s
                        JOIN (SELECT set_key, MAX(sampled_at) AS sampled_at FROM person_set_sizes
                              WHERE project_id = :projectId AND sampled_at < :at GROUP BY set_key) m
                          ON m.set_key = s.set_key AND m.sampled_at = s.sampled_at
                        WHERE s.project_id = :projectId""")
                .param("projectId", projectId)
                .param("at", Timestamp.from(at))
                .query((row, number) -> latest.put(row.getString(1), new SetSize(row.getTimestamp(2).toInstant(), row.getLong(3))))
                .list();
        return latest;
    }

    public void delete(long projectId, String key) {
        jdbc.sql("DELETE FROM person_set_sizes WHERE project_id = :projectId AND set_key = :key")
                .param("projectId", projectId)
                .param("key", key)
                .update();
    }
}
