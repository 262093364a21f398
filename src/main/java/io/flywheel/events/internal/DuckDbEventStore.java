package io.flywheel.events.internal;

import io.flywheel.events.DailyActivity;
import io.flywheel.events.Event;
import io.flywheel.events.EventStore;
import io.flywheel.events.IdentityLink;
import io.flywheel.events.IngestBatch;
import io.flywheel.events.PersonMerge;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.concurrent.locks.ReentrantLock;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded event store. One connection writes through DuckDB's Appender (the fastest bulk path);
 * every read runs on its own duplicate of that connection, so reads never wait for writes.
 * Timestamps are stored as UTC {@code TIMESTAMP}s and converted to the project's zone in queries.
 */
public class DuckDbEventStore implements EventStore, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DuckDbEventStore.class);

    static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS events (
                project_id   BIGINT    NOT NULL,
                message_id   VARCHAR   NOT NULL,
                type         VARCHAR   NOT NULL,
                event        VARCHAR   NOT NULL,
                person_id    BIGINT    NOT NULL,
                anonymous_id VARCHAR,
                user_id      VARCHAR,
                ts           TIMESTAMP NOT NULL,
                received_at  TIMESTAMP NOT NULL,
                url          VARCHAR,
                referrer     VARCHAR,
                utm_source   VARCHAR,
                utm_medium   VARCHAR,
                utm_campaign VARCHAR,
                channel      VARCHAR,
                order_id     VARCHAR,
                revenue      DOUBLE,
                currency     VARCHAR,
                properties   VARCHAR,
                context      VARCHAR
            );
            CREATE TABLE IF NOT EXISTS identities (
                project_id  BIGINT  NOT NULL,
                distinct_id VARCHAR NOT NULL,
                person_id   BIGINT  NOT NULL,
                is_user_id  BOOLEAN NOT NULL
            );
            CREATE TABLE IF NOT EXISTS person_merges (
                project_id BIGINT    NOT NULL,
                person_id  BIGINT    NOT NULL,
                root_id    BIGINT    NOT NULL,
                merged_at  TIMESTAMP NOT NULL
            );
            CREATE TABLE IF NOT EXISTS ingest_positions (
                source   VARCHAR PRIMARY KEY,
                position BIGINT  NOT NULL
            )""";

    private final DuckDBConnection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile boolean closed;

    public DuckDbEventStore(EventStoreProperties properties) {
        this.writer = open(properties);
    }

    private static DuckDBConnection open(EventStoreProperties properties) {
        Path path = properties.path().toAbsolutePath();
        try {
            Files.createDirectories(path.getParent());
            DuckDBConnection connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + path);
            try (Statement statement = connection.createStatement()) {
                if (properties.memoryLimit() != null && !properties.memoryLimit().isBlank()) {
                    statement.execute("SET memory_limit = '" + properties.memoryLimit().replace("'", "") + "'");
                }
                if (properties.threads() > 0) {
                    statement.execute("SET threads = " + properties.threads());
                }
                statement.execute(SCHEMA);
            }
            log.info("Event store opened at {}", path);
            return connection;
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot create the event store directory for " + path, e);
        }
        catch (SQLException e) {
            throw new IllegalStateException("cannot open the event store at " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void append(List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        writeLock.lock();
        try {
            checkOpen();
            try (DuckDBAppender appender = writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "events")) {
                for (Event event : events) {
                    appendRow(appender, event);
                }
            }
        }
        catch (SQLException e) {
            throw new EventStoreException("appending " + events.size() + " events failed: " + e.getMessage(), e);
        }
        finally {
            writeLock.unlock();
        }
    }

    private static void appendRow(DuckDBAppender appender, Event event) throws SQLException {
        appender.beginRow();
        appender.append(event.projectId());
        appender.append(event.messageId());
        appender.append(event.type());
        appender.append(event.event());
        appender.append(event.personId());
        appendNullable(appender, event.anonymousId());
        appendNullable(appender, event.userId());
        appender.appendEpochMicros(micros(event.timestamp()));
        appender.appendEpochMicros(micros(event.receivedAt()));
        appendNullable(appender, event.url());
        appendNullable(appender, event.referrer());
        appendNullable(appender, event.utmSource());
        appendNullable(appender, event.utmMedium());
        appendNullable(appender, event.utmCampaign());
        appendNullable(appender, event.channel());
        appendNullable(appender, event.orderId());
        if (event.revenue() == null) {
            appender.appendNull();
        }
        else {
            appender.append(event.revenue().doubleValue());
        }
        appendNullable(appender, event.currency());
        appender.append(event.properties());
        appender.append(event.context());
        appender.endRow();
    }

    private static void appendNullable(DuckDBAppender appender, String value) throws SQLException {
        if (value == null) {
            appender.appendNull();
        }
        else {
            appender.append(value);
        }
    }

    private static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    @Override
    public void apply(IngestBatch batch) {
        writeLock.lock();
        try {
            checkOpen();
            writer.setAutoCommit(false);
            try {
                // A statement first: the driver opens the transaction lazily, and the appenders must run inside it.
                try (PreparedStatement statement = writer.prepareStatement("INSERT OR REPLACE INTO ingest_positions VALUES (?, ?)")) {
                    statement.setString(1, batch.source());
                    statement.setLong(2, batch.position());
                    statement.executeUpdate();
                }
                appendEvents(batch.events());
                appendLinks(batch.links());
                for (PersonMerge merge : batch.merges()) {
                    merge(merge);
                }
                writer.commit();
            }
            catch (SQLException | RuntimeException e) {
                writer.rollback();
                throw e;
            }
            finally {
                writer.setAutoCommit(true);
            }
        }
        catch (SQLException e) {
            throw new EventStoreException("applying an ingestion batch failed: " + e.getMessage(), e);
        }
        finally {
            writeLock.unlock();
        }
    }

    private void appendEvents(List<Event> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (DuckDBAppender appender = writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "events")) {
            for (Event event : events) {
                appendRow(appender, event);
            }
        }
    }

    private void appendLinks(List<IdentityLink> links) throws SQLException {
        if (links.isEmpty()) {
            return;
        }
        try (DuckDBAppender appender = writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "identities")) {
            for (IdentityLink link : links) {
                appender.beginRow();
                appender.append(link.projectId());
                appender.append(link.distinctId());
                appender.append(link.personId());
                appender.append(link.userId());
                appender.endRow();
            }
        }
    }

    /** Keeps every merged person pointing straight at its current root, so queries need one join. */
    private void merge(PersonMerge merge) throws SQLException {
        try (PreparedStatement repoint = writer.prepareStatement(
                "UPDATE person_merges SET root_id = ? WHERE project_id = ? AND root_id = ?");
                PreparedStatement insert = writer.prepareStatement("INSERT INTO person_merges VALUES (?, ?, ?, ?)")) {
            repoint.setLong(1, merge.into());
            repoint.setLong(2, merge.projectId());
            repoint.setLong(3, merge.from());
            repoint.executeUpdate();
            insert.setLong(1, merge.projectId());
            insert.setLong(2, merge.from());
            insert.setLong(3, merge.into());
            insert.setObject(4, utc(merge.at()));
            insert.executeUpdate();
        }
    }

    @Override
    public long position(String source) {
        try (Connection connection = reader();
                PreparedStatement statement = connection.prepareStatement("SELECT position FROM ingest_positions WHERE source = ?")) {
            statement.setString(1, source);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() ? result.getLong(1) : -1;
            }
        }
        catch (SQLException e) {
            throw new EventStoreException("reading the ingestion position failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Set<String> existingMessageIds(long projectId, Collection<String> messageIds, Instant from, Instant to) {
        Set<String> found = new HashSet<>();
        if (messageIds.isEmpty()) {
            return found;
        }
        String placeholders = String.join(",", java.util.Collections.nCopies(messageIds.size(), "?"));
        String sql = "SELECT DISTINCT message_id FROM events WHERE project_id = ? AND ts >= ? AND ts < ? AND message_id IN (" + placeholders + ")";
        try (Connection connection = reader(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, projectId);
            statement.setObject(2, utc(from));
            statement.setObject(3, utc(to));
            int index = 4;
            for (String id : messageIds) {
                statement.setString(index++, id);
            }
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    found.add(result.getString(1));
                }
            }
            return found;
        }
        catch (SQLException e) {
            throw new EventStoreException("checking message ids failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void recentMessageIds(int limit, MessageIdConsumer consumer) {
        String sql = "SELECT project_id, message_id FROM events ORDER BY received_at DESC LIMIT ?";
        try (Connection connection = reader(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setInt(1, limit);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    consumer.accept(result.getLong(1), result.getString(2));
                }
            }
        }
        catch (SQLException e) {
            throw new EventStoreException("reading recent message ids failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void identityLinks(Consumer<IdentityLink> consumer) {
        try (Connection connection = reader();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT project_id, distinct_id, person_id, is_user_id FROM identities")) {
            while (result.next()) {
                consumer.accept(new IdentityLink(result.getLong(1), result.getString(2), result.getLong(3), result.getBoolean(4)));
            }
        }
        catch (SQLException e) {
            throw new EventStoreException("reading identities failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<Event> latest(long projectId, int limit) {
        String sql = """
                SELECT project_id, message_id, type, event, person_id, anonymous_id, user_id, epoch_us(ts), epoch_us(received_at),
                       url, referrer, utm_source, utm_medium, utm_campaign, channel, order_id, revenue, currency,
                       properties, context
                FROM events WHERE project_id = ? ORDER BY received_at DESC LIMIT ?""";
        try (Connection connection = reader(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, projectId);
            statement.setInt(2, limit);
            List<Event> events = new ArrayList<>();
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    double revenue = row.getDouble(17);
                    Double maybeRevenue = row.wasNull() ? null : revenue;
                    events.add(new Event(row.getLong(1), row.getString(2), row.getString(3), row.getString(4), row.getLong(5),
                            row.getString(6), row.getString(7), instant(row.getLong(8)), instant(row.getLong(9)), row.getString(10),
                            row.getString(11), row.getString(12), row.getString(13), row.getString(14), row.getString(15),
                            row.getString(16), maybeRevenue, row.getString(18), row.getString(19), row.getString(20)));
                }
            }
            return events;
        }
        catch (SQLException e) {
            throw new EventStoreException("reading the latest events failed: " + e.getMessage(), e);
        }
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    @Override
    public java.util.Map<Long, Long> maxPersonIds() {
        java.util.Map<Long, Long> highest = new java.util.HashMap<>();
        try (Connection connection = reader();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT project_id, MAX(person_id) FROM events GROUP BY project_id")) {
            while (result.next()) {
                highest.put(result.getLong(1), result.getLong(2));
            }
            return highest;
        }
        catch (SQLException e) {
            throw new EventStoreException("reading person ids failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void personMerges(Consumer<PersonMerge> consumer) {
        try (Connection connection = reader();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(
                        "SELECT project_id, person_id, root_id, merged_at FROM person_merges ORDER BY merged_at")) {
            while (result.next()) {
                consumer.accept(new PersonMerge(result.getLong(1), result.getLong(2), result.getLong(3),
                        result.getObject(4, LocalDateTime.class).toInstant(ZoneOffset.UTC)));
            }
        }
        catch (SQLException e) {
            throw new EventStoreException("reading person merges failed: " + e.getMessage(), e);
        }
    }

    @Override
    public long count(long projectId) {
        try (Connection connection = reader();
                PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM events WHERE project_id = ?")) {
            statement.setLong(1, projectId);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
        catch (SQLException e) {
            throw new EventStoreException("counting events failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<DailyActivity> dailyActivity(long projectId, ZoneId zone, LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("to must not be before from");
        }
        String sql = """
                WITH days AS (
                    SELECT CAST(d AS DATE) AS day FROM range(CAST(? AS DATE), CAST(? AS DATE) + INTERVAL 1 DAY, INTERVAL 1 DAY) AS t(d)
                ), activity AS (
                    SELECT CAST(timezone(?, timezone('UTC', e.ts)) AS DATE) AS day,
                           COUNT(*) AS events,
                           COUNT(DISTINCT COALESCE(m.root_id, e.person_id)) AS persons
                    FROM events e
                    LEFT JOIN person_merges m ON m.project_id = e.project_id AND m.person_id = e.person_id
                    WHERE e.project_id = ? AND e.ts >= ? AND e.ts < ?
                    GROUP BY 1
                )
                SELECT days.day, COALESCE(activity.events, 0), COALESCE(activity.persons, 0)
                FROM days LEFT JOIN activity ON activity.day = days.day
                ORDER BY days.day""";
        try (Connection connection = reader(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, from.toString());
            statement.setString(2, to.toString());
            statement.setString(3, zone.getId());
            statement.setLong(4, projectId);
            statement.setObject(5, utc(from.atStartOfDay(zone).toInstant()));
            statement.setObject(6, utc(to.plusDays(1).atStartOfDay(zone).toInstant()));
            List<DailyActivity> days = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    days.add(new DailyActivity(result.getObject(1, LocalDate.class), result.getLong(2), result.getLong(3)));
                }
            }
            return days;
        }
        catch (SQLException e) {
            throw new EventStoreException("reading daily activity failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void deleteProject(long projectId) {
        writeLock.lock();
        try (Statement statement = writer.createStatement()) {
            checkOpen();
            for (String table : List.of("events", "identities", "person_merges")) {
                statement.execute("DELETE FROM " + table + " WHERE project_id = " + projectId);
            }
        }
        catch (SQLException e) {
            throw new EventStoreException("deleting events failed: " + e.getMessage(), e);
        }
        finally {
            writeLock.unlock();
        }
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    Connection reader() throws SQLException {
        checkOpen();
        return writer.duplicate();
    }

    private void checkOpen() {
        if (closed) {
            throw new EventStoreException("the event store is closed", null);
        }
    }

    /** Writes everything to the database file and closes it; called on graceful shutdown. */
    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try (Statement statement = writer.createStatement()) {
                statement.execute("CHECKPOINT");
            }
            writer.close();
            log.info("Event store closed");
        }
        catch (SQLException e) {
            log.error("Closing the event store failed", e);
        }
        finally {
            writeLock.unlock();
        }
    }
}
