package io.flywheel.support;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The operational database engines every store is tested on, each giving a fresh database migrated
 * with the application's Flyway migrations. Store tests run one body on both:
 *
 * <pre>{@code
 * @ParameterizedTest
 * @EnumSource(Databases.class)
 * void storesAndFinds(Databases engine) {
 *     JdbcClient jdbc = engine.migrated().jdbc();
 *     ...
 * }
 * }</pre>
 */
public enum Databases {

    H2 {
        @Override
        DataSource freshDataSource() {
            return new DriverManagerDataSource("jdbc:h2:mem:" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        }
    },
    POSTGRESQL {
        @Override
        DataSource freshDataSource() {
            return PostgresServer.get().freshDatabase().dataSource();
        }
    };

    /** A migrated database: its data source, a client and a way to run work in a transaction. */
    public record Migrated(DataSource dataSource, JdbcClient jdbc, TransactionTemplate transactions) {
    }

    abstract DataSource freshDataSource();

    /** A new, empty database with every migration applied. */
    public Migrated migrated() {
        DataSource dataSource = freshDataSource();
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return new Migrated(dataSource, JdbcClient.create(dataSource), new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
    }

    /** Points a whole application context at a fresh PostgreSQL database. */
    public static void postgresFor(DynamicPropertyRegistry registry) {
        PostgresServer.Database database = PostgresServer.get().freshDatabase();
        registry.add("spring.datasource.url", database::url);
        registry.add("spring.datasource.username", database::user);
        registry.add("spring.datasource.password", database::password);
    }
}
