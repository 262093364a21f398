package io.flywheel.platform.internal;

import io.flywheel.platform.Role;
import io.flywheel.platform.UserAccount;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

@Repository
class UserStore {

    private static final String COLUMNS = "id, username, display_name, role, enabled, created_at";

    /** What sign-in needs; never leaves this package. */
    record Credentials(long id, String username, String passwordHash, Role role, boolean enabled) {
    }

    private final JdbcClient jdbc;

    UserStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long insert(String username, String displayName, String passwordHash, Role role, Instant now) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                INSERT INTO users (username, display_name, password_hash, role, enabled, created_at, updated_at)
                VALUES (:username, :displayName, :hash, :role, TRUE, :now, :now)""")
                .param("username", username)
                .param("displayName", displayName)
                .param("hash", passwordHash)
                .param("role", role.name())
                .param("now", Timestamp.from(now))
                .update(keys, "id");
        return keys.getKeyAs(Number.class).longValue();
    }

    void update(long id, String displayName, Role role, boolean enabled, Instant now) {
        jdbc.sql("UPDATE users SET display_name = :displayName, role = :role, enabled = :enabled, updated_at = :now WHERE id = :id")
                .param("displayName", displayName)
                .param("role", role.name())
                .param("enabled", enabled)
                .param("now", Timestamp.from(now))
                .param("id", id)
                .update();
    }

    void updatePassword(long id, String passwordHash, Instant now) {
        jdbc.sql("UPDATE users SET password_hash = :hash, updated_at = :now WHERE id = :id")
                .param("hash", passwordHash)
                .param("now", Timestamp.from(now))
                .param("id", id)
                .update();
    }

    void replaceProjects(long userId, Set<Long> projects) {
        jdbc.sql("DELETE FROM user_projects WHERE user_id = :userId").param("userId", userId).update();
        for (Long projectId : projects) {
            jdbc.sql("INSERT INTO user_projects (user_id, project_id) VALUES (:userId, :projectId)")
                    .param("userId", userId)
                    .param("projectId", projectId)
                    .update();
        }
    }

    Set<Long> projects(long userId) {
        return new HashSet<>(jdbc.sql("SELECT project_id FROM user_projects WHERE user_id = :userId")
                .param("userId", userId)
                .query(Long.class)
                .list());
    }

    Optional<UserAccount> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE id = :id").param("id", id).query(this::map).optional();
    }

    Optional<UserAccount> findByUsername(String username) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM users WHERE username = :username").param("username", username).query(this::map).optional();
    }

    Optional<Credentials> credentials(String username) {
        return jdbc.sql("SELECT id, username, password_hash, role, enabled FROM users WHERE username = :username")
                .param("username", username)
                .query((row, number) -> new Credentials(
                        row.getLong("id"),
                        row.getString("username"),
                        row.getString("password_hash"),
                        Role.valueOf(row.getString("role")),
                        row.getBoolean("enabled")))
                .optional();
    }

    List<UserAccount> all() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM users ORDER BY username").query(this::map).list();
    }

    long count() {
        return jdbc.sql("SELECT COUNT(*) FROM users").query(Long.class).single();
    }

    private UserAccount map(ResultSet row, int number) throws SQLException {
        long id = row.getLong("id");
        return new UserAccount(
                id,
                row.getString("username"),
                row.getString("display_name"),
                Role.valueOf(row.getString("role")),
                row.getBoolean("enabled"),
                projects(id),
                row.getTimestamp("created_at").toInstant());
    }
}
