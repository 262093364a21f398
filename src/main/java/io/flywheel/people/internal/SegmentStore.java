package io.flywheel.people.internal;

import io.flywheel.people.Segment;
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
import tools.jackson.databind.json.JsonMapper;

/** Segment definitions; rules are stored in the JSON rule format. */
@Repository
public class SegmentStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String COLUMNS = "id, project_id, name, description, rule, created_at, created_by, updated_at, updated_by";

    private final JdbcClient jdbc;

    public SegmentStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public long insert(long projectId, Segment.Draft draft, String actor, Instant now) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                        INSERT INTO segments (project_id, name, description, rule, created_at, created_by, updated_at, updated_by)
                        VALUES (:projectId, :name, :description, :rule, :now, :actor, :now, :actor)""")
                .param("projectId", projectId)
                .param("name", draft.name())
                .param("description", draft.description())
                .param("rule", JSON.writeValueAsString(RuleJson.write(draft.rule())))
                .param("now", Timestamp.from(now))
                .param("actor", actor)
                .update(keys, "id");
        return keys.getKeyAs(Long.class);
    }

    public boolean update(long projectId, long id, Segment.Draft draft, String actor, Instant now) {
        return jdbc.sql("""
                        UPDATE segments SET name = :name, description = :description, rule = :rule, updated_at = :now, updated_by = :actor
                        WHERE project_id = :projectId AND id = :id""")
                .param("projectId", projectId)
                .param("id", id)
                .param("name", draft.name())
                .param("description", draft.description())
                .param("rule", JSON.writeValueAsString(RuleJson.write(draft.rule())))
                .param("now", Timestamp.from(now))
                .param("actor", actor)
                .update() == 1;
    }

    public boolean delete(long projectId, long id) {
        return jdbc.sql("DELETE FROM segments WHERE project_id = :projectId AND id = :id")
                .param("projectId", projectId)
                .param("id", id)
                .update() == 1;
    }

    public Optional<Segment> find(long projectId, long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM segments WHERE project_id = :projectId AND id = :id")
                .param("projectId", projectId)
                .param("id", id)
                .query(SegmentStore::segment)
                .optional();
    }

    public Optional<Segment> findByName(long projectId, String name) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM segments WHERE project_id = :projectId AND name = :name")
                .param("projectId", projectId)
                .param("name", name)
                .query(SegmentStore::segment)
                .optional();
    }

    /** The project's segments by name. */
    public List<Segment> all(long projectId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM segments WHERE project_id = :projectId ORDER BY name, id")
                .param("projectId", projectId)
                .query(SegmentStore::segment)
                .list();
    }

    /** Projects with at least one segment or rule tag. */
    public List<Long> projectsWithRules() {
        return jdbc.sql("""
                        SELECT project_id FROM segments UNION SELECT project_id FROM tags WHERE rule IS NOT NULL ORDER BY 1""")
                .query(Long.class)
                .list();
    }

    private static Segment segment(ResultSet row, int number) throws SQLException {
        return new Segment(row.getLong(1), row.getLong(2), row.getString(3), row.getString(4), RuleJson.parse(JSON.readTree(row.getString(5))),
                row.getTimestamp(6).toInstant(), row.getString(7), row.getTimestamp(8).toInstant(), row.getString(9));
    }
}
