package io.flywheel.people.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/** Import jobs in the operational database. */
@Repository
class ImportJobStore {

    private static final String COLUMNS = """
            id, project_id, file_name, file_bytes, encoding, delimiter, state, total_rows, invalid_rows, sent_rows, created_by,
            created_at, updated_at, started_at, durable_at, finished_at, failure""";

    private final JdbcClient jdbc;

    ImportJobStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long create(long projectId, String fileName, long fileBytes, String encoding, String delimiter, String actor, Instant now) {
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("""
                INSERT INTO person_imports (project_id, file_name, file_bytes, encoding, delimiter, state, total_rows, invalid_rows,
                    sent_rows, created_by, created_at, updated_at)
                VALUES (:projectId, :fileName, :fileBytes, :encoding, :delimiter, 'UPLOADED', 0, 0, 0, :actor, :now, :now)""")
                .param("projectId", projectId)
                .param("fileName", fileName)
                .param("fileBytes", fileBytes)
                .param("encoding", encoding)
                .param("delimiter", delimiter)
                .param("actor", actor)
                .param("now", Timestamp.from(now))
                .update(key, "id");
        return key.getKey().longValue();
    }

    Optional<ImportJob> find(long projectId, long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM person_imports WHERE project_id = :projectId AND id = :id")
                .param("projectId", projectId)
                .param("id", id)
                .query(ImportJobStore::job)
                .optional();
    }

    /** The project's latest jobs, newest first. */
    List<ImportJob> recent(long projectId, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM person_imports WHERE project_id = :projectId ORDER BY id DESC LIMIT :limit")
                .param("projectId", projectId)
                .param("limit", limit)
                .query(ImportJobStore::job)
                .list();
    }

    void validated(long id, boolean valid, long totalRows, long invalidRows, Instant now) {
        jdbc.sql("""
                UPDATE person_imports SET state = :state, total_rows = :totalRows, invalid_rows = :invalidRows, updated_at = :now
                WHERE id = :id""")
                .param("state", valid ? ImportJob.State.VALID.name() : ImportJob.State.INVALID.name())
                .param("totalRows", totalRows)
                .param("invalidRows", invalidRows)
                .param("now", Timestamp.from(now))
                .param("id", id)
                .update();
    }

    /** Moves a job from VALID to IMPORTING; false when it was not VALID (started twice, expired). */
    boolean start(long id, Instant now) {
        return jdbc.sql("""
                UPDATE person_imports SET state = 'IMPORTING', sent_rows = 0, started_at = :now, updated_at = :now
                WHERE id = :id AND state = 'VALID'""")
                .param("now", Timestamp.from(now))
                .param("id", id)
                .update() == 1;
    }

    void progress(long id, long sentRows, Instant now) {
        jdbc.sql("UPDATE person_imports SET sent_rows = :sentRows, updated_at = :now WHERE id = :id")
                .param("sentRows", sentRows)
                .param("now", Timestamp.from(now))
                .param("id", id)
                .update();
    }

    void durable(long id, long sentRows, Instant now) {
        jdbc.sql("UPDATE person_imports SET state = 'APPLYING', sent_rows = :sentRows, durable_at = :now, updated_at = :now WHERE id = :id")
                .param("sentRows", sentRows)
                .param("now", Timestamp.from(now))
                .param("id", id)
                .update();
    }

    void finish(long id, ImportJob.State state, String failure, Instant now) {
        jdbc.sql("UPDATE person_imports SET state = :state, failure = :failure, finished_at = :now, updated_at = :now WHERE id = :id")
                .param("state", state.name())
                .param("failure", failure == null ? null : failure.length() > 500 ? failure.substring(0, 500) : failure)
                .param("now", Timestamp.from(now))
                .param("id", id)
                .update();
    }

    /**
     * When the server stops or starts: uploads are gone (EXPIRED) and imports still sending stopped
     * (INTERRUPTED). An import whose every row was durable is COMPLETED: ingestion applies the whole
     * write-ahead log before it takes traffic again. Returns how many jobs changed.
     */
    int abandonAll(Instant now) {
        int expired = jdbc.sql("""
                UPDATE person_imports SET state = 'EXPIRED', finished_at = :now, updated_at = :now
                WHERE state IN ('UPLOADED', 'INVALID', 'VALID')""")
                .param("now", Timestamp.from(now))
                .update();
        int interrupted = jdbc.sql("""
                UPDATE person_imports SET state = 'INTERRUPTED', finished_at = :now, updated_at = :now
                WHERE state = 'IMPORTING'""")
                .param("now", Timestamp.from(now))
                .update();
        int completed = jdbc.sql("""
                UPDATE person_imports SET state = 'COMPLETED', finished_at = :now, updated_at = :now
                WHERE state = 'APPLYING'""")
                .param("now", Timestamp.from(now))
                .update();
        return expired + interrupted + completed;
    }

    /** Marks one upload EXPIRED unless it already moved on. */
    void expire(long id, Instant now) {
        jdbc.sql("""
                UPDATE person_imports SET state = 'EXPIRED', finished_at = :now, updated_at = :now
                WHERE id = :id AND state IN ('UPLOADED', 'INVALID', 'VALID')""")
                .param("now", Timestamp.from(now))
                .param("id", id)
                .update();
    }

    private static ImportJob job(ResultSet row, int number) throws SQLException {
        return new ImportJob(row.getLong("id"), row.getLong("project_id"), row.getString("file_name"), row.getLong("file_bytes"),
                row.getString("encoding"), row.getString("delimiter"), ImportJob.State.valueOf(row.getString("state")), row.getLong("total_rows"),
                row.getLong("invalid_rows"), row.getLong("sent_rows"), row.getString("created_by"), instant(row, "created_at"),
                instant(row, "updated_at"), instant(row, "started_at"), instant(row, "durable_at"), instant(row, "finished_at"),
                row.getString("failure"));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Timestamp value = row.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
