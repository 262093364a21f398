package io.flywheel.platform.internal;

import io.flywheel.platform.AuditEntry;
import io.flywheel.shared.PageRequest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class AuditStore {

    private final JdbcClient jdbc;

    AuditStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Instant at, String actor, Long projectId, String action, String target, String detail) {
        jdbc.sql("""
                INSERT INTO audit_log (at, actor, project_id, action, target, detail)
                VALUES (:at, :actor, :projectId, :action, :target, :detail)""")
                .param("at", Timestamp.from(at))
                .param("actor", actor)
                .param("projectId", projectId)
                .param("action", action)
                .param("target", target)
                .param("detail", detail)
                .update();
    }

    List<AuditEntry> page(Long projectId, PageRequest request) {
        String where = projectId == null ? "" : "WHERE project_id = :projectId ";
        var statement = jdbc.sql("SELECT id, at, actor, project_id, action, target, detail FROM audit_log "
                + where + "ORDER BY at DESC, id DESC LIMIT :limit OFFSET :offset")
                .param("limit", request.size())
                .param("offset", request.offset());
        if (projectId != null) {
            statement = statement.param("projectId", projectId);
        }
        return statement.query(AuditStore::map).list();
    }

    long count(Long projectId) {
        if (projectId == null) {
            return jdbc.sql("SELECT COUNT(*) FROM audit_log").query(Long.class).single();
        }
        return jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE project_id = :projectId").param("projectId", projectId).query(Long.class).single();
    }

    private static AuditEntry map(ResultSet row, int number) throws SQLException {
        long projectId = row.getLong("project_id");
        Long project = row.wasNull() ? null : projectId;
        return new AuditEntry(
                row.getLong("id"),
                row.getTimestamp("at").toInstant(),
                row.getString("actor"),
                project,
                row.getString("action"),
                row.getString("target"),
                row.getString("detail"));
    }
}
