package io.flywheel.people.internal;

import io.flywheel.people.Tag;
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

/** Tag groups and tags; rule tags keep their rule in the JSON rule format. */
@Repository
public class TagStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String COLUMNS = "id, project_id, group_id, name, description, rule, created_at, created_by, updated_at, updated_by";

    private final JdbcClient jdbc;

    public TagStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public long insertGroup(long projectId, String name, String actor, Instant now) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO tag_groups (project_id, name, created_at, created_by) VALUES (:projectId, :name, :now, :actor)")
                .param("projectId", projectId)
                .param("name", name)
                .param("now", Timestamp.from(now))
                .param("actor", actor)
                .update(keys, "id");
        return keys.getKeyAs(Long.class);
    }

    public boolean renameGroup(long projectId, long id, String name) {
        return jdbc.sql("UPDATE tag_groups SET name = :name WHERE project_id = :projectId AND id = :id")
                .param("projectId", projectId)
                .param("id", id)
                .param("name", name)
                .update() == 1;
    }

    /** Removes a group; its tags stay, without a group. */
    public boolean deleteGroup(long projectId, long id) {
        jdbc.sql("UPDATE tags SET group_id = NULL WHERE project_id = :projectId AND group_id = :id")
                .param("projectId", projectId)
                .param("id", id)
                .update();
        return jdbc.sql("DELETE FROM tag_groups WHERE project_id = :projectId AND id = :id")
                .param("projectId", projectId)
                .param("id", id)
                .update() == 1;
    }

    public List<Tag.Group> groups(long projectId) {
        return jdbc.sql("SELECT id, project_id, name FROM tag_groups WHERE project_id = :projectId ORDER BY name, id")
                .param("projectId", projectId)
                .query((row, number) -> new Tag.Group(row.getLong(1), row.getLong(2), row.getString(3)))
                .list();
    }

    public Optional<Tag.Group> group(long projectId, long id) {
        return groups(projectId).stream().filter(group -> group.id() == id).findFirst();
    }

    public long insert(long projectId, Tag.Draft draft, String actor, Instant now) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                        INSERT INTO tags (project_id, group_id, name, description, rule, created_at, created_by, updated_at, updated_by)
                        VALUES (:projectId, :groupId, :name, :description, :rule, :now, :actor, :now, :actor)""")
                .param("projectId", projectId)
                .param("groupId", draft.groupId())
                .param("name", draft.name())
                .param("description", draft.description())
                .param("rule", draft.rule() == null ? null : JSON.writeValueAsString(RuleJson.write(draft.rule())))
                .param("now", Timestamp.from(now))
                .param("actor", actor)
                .update(keys, "id");
        return keys.getKeyAs(Long.class);
    }

    public boolean update(long projectId, long id, Tag.Draft draft, String actor, Instant now) {
        return jdbc.sql("""
                        UPDATE tags SET group_id = :groupId, name = :name, description = :description, rule = :rule, updated_at = :now,
                        updated_by = :actor WHERE project_id = :projectId AND id = :id""")
                .param("projectId", projectId)
                .param("id", id)
                .param("groupId", draft.groupId())
                .param("name", draft.name())
                .param("description", draft.description())
                .param("rule", draft.rule() == null ? null : JSON.writeValueAsString(RuleJson.write(draft.rule())))
                .param("now", Timestamp.from(now))
                .param("actor", actor)
                .update() == 1;
    }

    public boolean delete(long projectId, long id) {
        return jdbc.sql("DELETE FROM tags WHERE project_id = :projectId AND id = :id")
                .param("projectId", projectId)
                .param("id", id)
                .update() == 1;
    }

    public Optional<Tag> find(long projectId, long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM tags WHERE project_id = :projectId AND id = :id")
                .param("projectId", projectId)
                .param("id", id)
                .query(TagStore::tag)
                .optional();
    }

    /** The project's tags by name. */
    public List<Tag> all(long projectId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM tags WHERE project_id = :projectId ORDER BY name, id")
                .param("projectId", projectId)
                .query(TagStore::tag)
                .list();
    }

    private static Tag tag(ResultSet row, int number) throws SQLException {
        long group = row.getLong(3);
        Long groupId = row.wasNull() ? null : group;
        String rule = row.getString(6);
        return new Tag(row.getLong(1), row.getLong(2), groupId, row.getString(4), row.getString(5),
                rule == null ? null : RuleJson.parse(JSON.readTree(rule)), row.getTimestamp(7).toInstant(), row.getString(8),
                row.getTimestamp(9).toInstant(), row.getString(10));
    }
}
