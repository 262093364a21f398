package io.flywheel.platform.internal;

import io.flywheel.platform.Project;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

@Repository
class ProjectStore {

    private static final String COLUMNS = "id, name, time_zone, write_key, created_at";

    private final JdbcClient jdbc;

    ProjectStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long insert(String name, ZoneId zone, String writeKey, String secretKeyHash, Instant now) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                INSERT INTO projects (name, time_zone, write_key, secret_key_hash, created_at, updated_at)
                VALUES (:name, :zone, :writeKey, :secretHash, :now, :now)""")
                .param("name", name)
                .param("zone", zone.getId())
                .param("writeKey", writeKey)
                .param("secretHash", secretKeyHash)
                .param("now", Timestamp.from(now))
                .update(keys, "id");
        return keys.getKeyAs(Number.class).longValue();
    }

    Optional<Project> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM projects WHERE id = :id").param("id", id).query(ProjectStore::map).optional();
    }

    List<Project> all() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM projects ORDER BY name, id").query(ProjectStore::map).list();
    }

    Optional<Project> findByWriteKey(String writeKey) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM projects WHERE write_key = :key").param("key", writeKey).query(ProjectStore::map).optional();
    }

    Optional<Project> findBySecretKeyHash(String hash) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM projects WHERE secret_key_hash = :hash").param("hash", hash).query(ProjectStore::map).optional();
    }

    boolean update(long id, String name, ZoneId zone, Instant now) {
        return jdbc.sql("UPDATE projects SET name = :name, time_zone = :zone, updated_at = :now WHERE id = :id")
                .param("name", name)
                .param("zone", zone.getId())
                .param("now", Timestamp.from(now))
                .param("id", id)
                .update() == 1;
    }

    boolean replaceKeys(long id, String writeKey, String secretKeyHash, Instant now) {
        return jdbc.sql("UPDATE projects SET write_key = :writeKey, secret_key_hash = :secretHash, updated_at = :now WHERE id = :id")
                .param("writeKey", writeKey)
                .param("secretHash", secretKeyHash)
                .param("now", Timestamp.from(now))
                .param("id", id)
                .update() == 1;
    }

    private static Project map(ResultSet row, int number) throws SQLException {
        return new Project(
                row.getLong("id"),
                row.getString("name"),
                ZoneId.of(row.getString("time_zone")),
                row.getString("write_key"),
                row.getTimestamp("created_at").toInstant());
    }
}
