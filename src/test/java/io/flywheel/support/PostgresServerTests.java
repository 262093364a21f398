package io.flywheel.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

class PostgresServerTests {

    @Test
    void startsARealServerWithSeparateDatabases() throws Exception {
        PostgresServer server = PostgresServer.get();
        PostgresServer.Database first = server.freshDatabase();
        PostgresServer.Database second = server.freshDatabase();
        try (Connection connection = first.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet version = statement.executeQuery("SELECT version()")) {
            version.next();
            assertThat(version.getString(1)).startsWith("PostgreSQL");
        }
        JdbcClient.create(first.dataSource()).sql("CREATE TABLE only_here (id INT)").update();
        assertThat(JdbcClient.create(second.dataSource())
                .sql("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'only_here'").query(Long.class).single())
                .isZero();
    }
}
