package io.flywheel.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** Properties of the whole schema that no single store test would notice. */
class SchemaTests {

    /**
     * H2 2.4 evaluates a CHECK constraint with the session that created it, so once the migration's
     * connection is closed every write to such a table fails. A fresh install ran into this when the
     * pool retired its first connection after 30 minutes.
     */
    @Test
    void theH2SchemaHasNoCheckConstraintsAndStaysWritableAfterTheMigrationConnectionCloses() throws SQLException {
        String url = "jdbc:h2:mem:schema-" + UUID.randomUUID();
        try (Connection keepOpen = DriverManager.getConnection(url, "sa", "")) {
            SingleConnectionDataSource migration = new SingleConnectionDataSource(url, "sa", "", true);
            Flyway.configure().dataSource(migration).locations("classpath:db/migration").load().migrate();
            migration.destroy();

            JdbcClient jdbc = JdbcClient.create(new SingleConnectionDataSource(keepOpen, true));
            assertThat(jdbc.sql("""
                    SELECT table_name || '.' || constraint_name FROM information_schema.table_constraints
                    WHERE constraint_type = 'CHECK' AND table_schema = 'PUBLIC'""").query(String.class).list())
                    .as("CHECK constraints break on H2 2.4 once the creating connection closes; check in the application")
                    .isEmpty();

            jdbc.sql("""
                    INSERT INTO demo_loads (project_id, state, persons, target_events, period_days, seed, end_date, events, started_at)
                    VALUES (1, 'LOADING', 10, 100, 30, 42, DATE '2026-12-01', 0, CURRENT_TIMESTAMP)""").update();
            assertThat(jdbc.sql("UPDATE demo_loads SET events = 50 WHERE project_id = 1 AND state = 'LOADING'").update()).isEqualTo(1);
        }
    }
}
