package io.flywheel.demo.internal;

import io.flywheel.demo.DemoStatus;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class DemoLoadStore {

    private static final String COLUMNS =
            "project_id, state, persons, target_events, period_days, seed, end_date, cutoff_at, events, started_at, finished_at";

    private final JdbcClient jdbc;

    DemoLoadStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records a load that starts now, replacing an earlier load of the same project. */
    void begin(DemoLoad load) {
        int updated = bind(jdbc.sql("""
                UPDATE demo_loads SET state = :state, persons = :persons, target_events = :target, period_days = :days, seed = :seed,
                    end_date = :endDate, cutoff_at = :cutoff, events = 0, started_at = :startedAt, finished_at = NULL
                WHERE project_id = :projectId"""), load)
                .update();
        if (updated == 0) {
            bind(jdbc.sql("""
                    INSERT INTO demo_loads (project_id, state, persons, target_events, period_days, seed, end_date, cutoff_at, events, started_at)
                    VALUES (:projectId, :state, :persons, :target, :days, :seed, :endDate, :cutoff, 0, :startedAt)"""), load)
                    .update();
        }
    }

    void progress(long projectId, long events) {
        jdbc.sql("UPDATE demo_loads SET events = :events WHERE project_id = :projectId AND state = 'LOADING'")
                .param("events", events)
                .param("projectId", projectId)
                .update();
    }

    void finish(long projectId, DemoStatus.State state, long events, Instant now) {
        jdbc.sql("UPDATE demo_loads SET state = :state, events = :events, finished_at = :now WHERE project_id = :projectId")
                .param("state", state.name())
                .param("events", events)
                .param("now", Timestamp.from(now))
                .param("projectId", projectId)
                .update();
    }

    Optional<DemoLoad> find(long projectId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM demo_loads WHERE project_id = :projectId")
                .param("projectId", projectId)
                .query(DemoLoadStore::map)
                .optional();
    }

    /** Loads that did not finish: cut short by a stop, or failed. */
    List<DemoLoad> unfinished() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM demo_loads WHERE state <> 'READY' ORDER BY project_id")
                .query(DemoLoadStore::map)
                .list();
    }

    void delete(long projectId) {
        jdbc.sql("DELETE FROM demo_loads WHERE project_id = :projectId").param("projectId", projectId).update();
    }

    private static JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement, DemoLoad load) {
        return statement
                .param("projectId", load.projectId())
                .param("state", load.state().name())
                .param("persons", load.persons())
                .param("target", load.targetEvents())
                .param("days", load.days())
                .param("seed", load.seed())
                .param("endDate", Date.valueOf(load.endDate()))
                .param("cutoff", load.cutoff() == null ? null : Timestamp.from(load.cutoff()), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("startedAt", Timestamp.from(load.startedAt()));
    }

    private static DemoLoad map(ResultSet row, int number) throws SQLException {
        Timestamp cutoff = row.getTimestamp("cutoff_at");
        Timestamp finished = row.getTimestamp("finished_at");
        return new DemoLoad(
                row.getLong("project_id"),
                DemoStatus.State.valueOf(row.getString("state")),
                row.getInt("persons"),
                row.getLong("target_events"),
                row.getInt("period_days"),
                row.getLong("seed"),
                row.getObject("end_date", LocalDate.class),
                cutoff == null ? null : cutoff.toInstant(),
                row.getLong("events"),
                row.getTimestamp("started_at").toInstant(),
                finished == null ? null : finished.toInstant());
    }
}
