package io.flywheel.events.internal;

import io.flywheel.events.DailyActivity;
import io.flywheel.events.Event;
import io.flywheel.events.EventStore;
import io.flywheel.events.IdentityLink;
import io.flywheel.events.IngestBatch;
import io.flywheel.events.PersonActivity;
import io.flywheel.events.PersonDeleted;
import io.flywheel.events.PersonMerge;
import io.flywheel.events.PersonProfile;
import io.flywheel.events.PersonQuery;
import io.flywheel.events.PersonSummary;
import io.flywheel.shared.Page;
import io.flywheel.shared.PageRequest;
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
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The embedded event store. One connection writes through DuckDB's Appender (the fastest bulk path);
 * every read runs on its own duplicate of that connection, so reads never wait for writes.
 * Timestamps are stored as UTC {@code TIMESTAMP}s and converted to the project's zone in queries.
 *
 * <p>The {@code persons} table holds one row per (project, raw person id). Every write folds its
 * events per person in Java ({@link PersonChanges}) and appends one row per person to
 * {@code person_changes} in its own transaction, so an acknowledged event's person change is as
 * durable as the event. The changes are folded into {@code persons} in place ({@link #foldPending})
 * once they are {@code personFoldInterval} old, before a write that changes persons otherwise
 * (trait edits, deletion), and when the store opens (after a crash): an update of a large persons
 * table reads the key columns of every stored row whatever the number of changes, so one fold per
 * interval instead of one per write takes most of that work off the writer. Readers never wait for
 * a fold: they read {@link #PERSONS_NOW}, the table with the pending changes applied. Merges are
 * not applied here but when reading.
 */
public class DuckDbEventStore implements EventStore, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DuckDbEventStore.class);

    /** The events that make orders and refunds, also kept in {@code order_events}. */
    static final Set<String> ORDER_NAMES = Set.of("Order Completed", "Order Refunded");
    static final String ORDER_NAMES_SQL = ORDER_NAMES.stream().sorted().map(name -> "'" + name + "'")
            .collect(java.util.stream.Collectors.joining(", ", "(", ")"));

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
            );
            CREATE TABLE IF NOT EXISTS person_stages (
                project_id BIGINT    NOT NULL,
                person_id  BIGINT    NOT NULL,
                stage      VARCHAR   NOT NULL,
                since      TIMESTAMP NOT NULL
            );
            CREATE TABLE IF NOT EXISTS person_stage_transitions (
                project_id BIGINT    NOT NULL,
                person_id  BIGINT    NOT NULL,
                from_stage VARCHAR,
                to_stage   VARCHAR   NOT NULL,
                changed_at TIMESTAMP NOT NULL
            );
            CREATE TABLE IF NOT EXISTS lifecycle_runs (
                project_id  BIGINT PRIMARY KEY,
                computed_at TIMESTAMP NOT NULL
            );
            CREATE TABLE IF NOT EXISTS person_sets (
                project_id BIGINT    NOT NULL,
                set_key    VARCHAR   NOT NULL,
                person_id  BIGINT    NOT NULL,
                since      TIMESTAMP NOT NULL
            );
            CREATE TABLE IF NOT EXISTS rfm_orders (
                project_id BIGINT    NOT NULL,
                event      VARCHAR   NOT NULL,
                person_id  BIGINT    NOT NULL,
                ts         TIMESTAMP NOT NULL,
                order_id   VARCHAR,
                revenue    DOUBLE
            );
            CREATE TABLE IF NOT EXISTS rfm_buyers (
                project_id  BIGINT  NOT NULL,
                window_days INTEGER NOT NULL,
                person_id   BIGINT  NOT NULL,
                user_id     VARCHAR,
                recency     BIGINT  NOT NULL,
                frequency   BIGINT  NOT NULL,
                monetary    DOUBLE  NOT NULL
            );
            CREATE TABLE IF NOT EXISTS profile_updates (
                project_id  BIGINT    NOT NULL,
                message_id  VARCHAR   NOT NULL,
                person_id   BIGINT    NOT NULL,
                received_at TIMESTAMP NOT NULL
            );
            CREATE TABLE IF NOT EXISTS person_changes (
                seq                  BIGINT    NOT NULL,
                project_id           BIGINT    NOT NULL,
                person_id            BIGINT    NOT NULL,
                first_seen           TIMESTAMP,
                last_seen            TIMESTAMP,
                event_count          BIGINT    NOT NULL,
                user_id              VARCHAR,
                trait_patches        VARCHAR,
                traits_updated_at    TIMESTAMP,
                first_touch_channel  VARCHAR,
                first_touch_campaign VARCHAR,
                first_touch_at       TIMESTAMP,
                last_touch_channel   VARCHAR,
                last_touch_campaign  VARCHAR,
                last_touch_at        TIMESTAMP
            )""";

    /**
     * Per raw person id; see {@link PersonChanges} for the rules each column follows. First and last
     * seen are null for a person only profile data (an import) created: such a person has done
     * nothing yet, so is no new user, has no lifecycle stage and sorts after everyone seen.
     */
    static final String PERSONS = """
            CREATE TABLE persons (
                project_id           BIGINT    NOT NULL,
                person_id            BIGINT    NOT NULL,
                first_seen           TIMESTAMP,
                last_seen            TIMESTAMP,
                event_count          BIGINT    NOT NULL,
                user_id              VARCHAR,
                traits               VARCHAR   NOT NULL,
                traits_updated_at    TIMESTAMP,
                first_touch_channel  VARCHAR,
                first_touch_campaign VARCHAR,
                first_touch_at       TIMESTAMP,
                last_touch_channel   VARCHAR,
                last_touch_campaign  VARCHAR,
                last_touch_at        TIMESTAMP,
                PRIMARY KEY (project_id, person_id)
            )""";

    private static final String PERSON_COLUMNS = """
            project_id, person_id, first_seen, last_seen, event_count, user_id, traits, traits_updated_at,
            first_touch_channel, first_touch_campaign, first_touch_at, last_touch_channel, last_touch_campaign, last_touch_at""";

    /** Applying anything but a JSON object as a merge patch would replace the traits, so such patches are left out. */
    private static final String IS_JSON_OBJECT = "CASE WHEN json_valid(%1$s) THEN json_type(%1$s) = 'OBJECT' ELSE false END";

    /**
     * The pending changes combined per person by the rules of {@link PersonChanges}, in arrival
     * order ({@code seq}): the earliest first and the latest last seen, the events summed, the last
     * user id, the trait patches one after another, the first touch with the earliest timestamp (the
     * first arrival on a tie), the last touch with the latest (the last arrival on a tie).
     */
    static final String PENDING_CHANGES = """
            SELECT project_id, person_id, first_seen, last_seen, event_count, user_id, trait_patches, traits_updated_at,
                   first_touch.channel AS first_touch_channel, first_touch.campaign AS first_touch_campaign, first_touch.at AS first_touch_at,
                   last_touch.channel AS last_touch_channel, last_touch.campaign AS last_touch_campaign, last_touch.at AS last_touch_at
            FROM (
                SELECT project_id, person_id, min(first_seen) AS first_seen, max(last_seen) AS last_seen,
                       CAST(sum(event_count) AS BIGINT) AS event_count,
                       arg_max(user_id, seq) FILTER (user_id IS NOT NULL) AS user_id,
                       CASE WHEN count(trait_patches) > 0
                            THEN flatten(list(json_transform(trait_patches, '["VARCHAR"]') ORDER BY seq) FILTER (trait_patches IS NOT NULL))
                            END AS trait_patches,
                       max(traits_updated_at) AS traits_updated_at,
                       arg_min({'channel': first_touch_channel, 'campaign': first_touch_campaign, 'at': first_touch_at},
                               {'at': first_touch_at, 'seq': seq}) FILTER (first_touch_at IS NOT NULL) AS first_touch,
                       arg_max({'channel': last_touch_channel, 'campaign': last_touch_campaign, 'at': last_touch_at},
                               {'at': last_touch_at, 'seq': seq}) FILTER (last_touch_at IS NOT NULL) AS last_touch
                FROM person_changes
                GROUP BY project_id, person_id
            )""";

    private static final String PERSON_BATCH_OF_CHANGES = "CREATE OR REPLACE TEMP TABLE person_batch AS " + PENDING_CHANGES;

    /**
     * The ids of every person stored in the project, folded or not: for checks that a person still
     * exists, which need none of {@link #PERSONS_NOW}'s columns.
     */
    static String personIds(long projectId) {
        return "SELECT person_id FROM persons WHERE project_id = " + projectId
                + " UNION ALL SELECT person_id FROM person_changes WHERE project_id = " + projectId;
    }

    /**
     * {@code persons} with the pending changes folded in by the same rules as {@link #fold} (the
     * updates and the insert below; {@code DuckDbEventStorePersonsTests} holds the two to the same
     * rows), for readers in place of the table: within one statement it reads one snapshot of both
     * tables, so a reader sees every committed write without waiting for a fold, and a filter on
     * {@code project_id} reaches the scan of persons.
     */
    static final String PERSONS_NOW = """
            (SELECT p.project_id, p.person_id, least(p.first_seen, c.first_seen) AS first_seen,
                    greatest(p.last_seen, c.last_seen) AS last_seen, p.event_count + coalesce(c.event_count, 0) AS event_count,
                    coalesce(c.user_id, p.user_id) AS user_id,
                    CASE WHEN c.trait_patches IS NULL THEN p.traits
                         ELSE CAST(list_reduce(list_prepend(p.traits, list_filter(c.trait_patches, patch -> %1$s)),
                                               (traits, patch) -> json_merge_patch(traits, patch)) AS VARCHAR) END AS traits,
                    greatest(p.traits_updated_at, c.traits_updated_at) AS traits_updated_at,
                    CASE WHEN %2$s THEN c.first_touch_channel ELSE p.first_touch_channel END AS first_touch_channel,
                    CASE WHEN %2$s THEN c.first_touch_campaign ELSE p.first_touch_campaign END AS first_touch_campaign,
                    CASE WHEN %2$s THEN c.first_touch_at ELSE p.first_touch_at END AS first_touch_at,
                    CASE WHEN %3$s THEN c.last_touch_channel ELSE p.last_touch_channel END AS last_touch_channel,
                    CASE WHEN %3$s THEN c.last_touch_campaign ELSE p.last_touch_campaign END AS last_touch_campaign,
                    CASE WHEN %3$s THEN c.last_touch_at ELSE p.last_touch_at END AS last_touch_at
             FROM persons p LEFT JOIN (%4$s) c ON c.project_id = p.project_id AND c.person_id = p.person_id
             UNION ALL
             SELECT c.project_id, c.person_id, c.first_seen, c.last_seen, c.event_count, c.user_id,
                    CASE WHEN c.trait_patches IS NULL THEN '{}'
                         ELSE CAST(list_reduce(list_prepend('{}', list_filter(c.trait_patches, patch -> %1$s)),
                                               (traits, patch) -> json_merge_patch(traits, patch)) AS VARCHAR) END,
                    c.traits_updated_at, c.first_touch_channel, c.first_touch_campaign, c.first_touch_at,
                    c.last_touch_channel, c.last_touch_campaign, c.last_touch_at
             FROM (%4$s) c ANTI JOIN persons p ON p.project_id = c.project_id AND p.person_id = c.person_id)""".formatted(
            IS_JSON_OBJECT.formatted("patch"),
            "c.first_touch_at IS NOT NULL AND (p.first_touch_at IS NULL OR c.first_touch_at < p.first_touch_at)",
            "c.last_touch_at IS NOT NULL AND (p.last_touch_at IS NULL OR c.last_touch_at >= p.last_touch_at)",
            PENDING_CHANGES);

    /**
     * The batch's changes of persons already stored, applied in place to the two columns every
     * event changes: reading only these (and the keys) of every stored person, not their traits, is
     * what keeps a batch cheap on a large table, and DuckDB's cost of an update (and of the next
     * checkpoint) grows with every column it sets, so the rest is {@link #UPDATE_PERSONS_REST}.
     */
    private static final String UPDATE_PERSONS = """
            UPDATE persons SET
                   last_seen = greatest(persons.last_seen, b.last_seen),
                   event_count = persons.event_count + b.event_count
            FROM person_batch b
            WHERE persons.project_id = b.project_id AND persons.person_id = b.person_id""";

    /**
     * The columns that change with few events (an earlier event, a new user id, a profile update,
     * a touch), set only on the rows where one of them changes: elsewhere each expression would give
     * the stored value. Ties between touches follow arrival: an equal first touch keeps the stored
     * one, an equal last touch takes the new one.
     */
    private static final String UPDATE_PERSONS_REST = """
            UPDATE persons SET
                   first_seen = least(persons.first_seen, b.first_seen),
                   user_id = coalesce(b.user_id, persons.user_id),
                   traits_updated_at = greatest(persons.traits_updated_at, b.traits_updated_at),
                   first_touch_channel = CASE WHEN %1$s THEN b.first_touch_channel ELSE persons.first_touch_channel END,
                   first_touch_campaign = CASE WHEN %1$s THEN b.first_touch_campaign ELSE persons.first_touch_campaign END,
                   first_touch_at = CASE WHEN %1$s THEN b.first_touch_at ELSE persons.first_touch_at END,
                   last_touch_channel = CASE WHEN %2$s THEN b.last_touch_channel ELSE persons.last_touch_channel END,
                   last_touch_campaign = CASE WHEN %2$s THEN b.last_touch_campaign ELSE persons.last_touch_campaign END,
                   last_touch_at = CASE WHEN %2$s THEN b.last_touch_at ELSE persons.last_touch_at END
            FROM person_batch b
            WHERE persons.project_id = b.project_id AND persons.person_id = b.person_id
              AND (b.first_seen < persons.first_seen OR persons.first_seen IS NULL AND b.first_seen IS NOT NULL
                   OR b.user_id IS NOT NULL AND b.user_id IS DISTINCT FROM persons.user_id
                   OR b.traits_updated_at > persons.traits_updated_at OR persons.traits_updated_at IS NULL AND b.traits_updated_at IS NOT NULL
                   OR b.first_touch_at IS NOT NULL AND %1$s
                   OR b.last_touch_at IS NOT NULL AND %2$s)""".formatted(
            "(b.first_touch_at < persons.first_touch_at OR persons.first_touch_at IS NULL)",
            "(b.last_touch_at >= persons.last_touch_at OR persons.last_touch_at IS NULL)");

    /** The trait patches of the batch applied in order to stored persons; only for batches with patches. */
    private static final String UPDATE_TRAITS = """
            UPDATE persons SET
                   traits = CAST(list_reduce(list_prepend(persons.traits, list_filter(b.trait_patches, patch -> %1$s)),
                                             (traits, patch) -> json_merge_patch(traits, patch)) AS VARCHAR)
            FROM person_batch b
            WHERE persons.project_id = b.project_id AND persons.person_id = b.person_id AND b.trait_patches IS NOT NULL""".formatted(
            IS_JSON_OBJECT.formatted("patch"));

    /** The persons of the batch not stored yet; run after the updates, which would otherwise count them twice. */
    private static final String INSERT_PERSONS = """
            INSERT INTO persons (%1$s)
            SELECT b.project_id, b.person_id, b.first_seen, b.last_seen, b.event_count, b.user_id,
                   CASE WHEN b.trait_patches IS NULL THEN '{}'
                        ELSE CAST(list_reduce(list_prepend('{}', list_filter(b.trait_patches, patch -> %2$s)),
                                              (traits, patch) -> json_merge_patch(traits, patch)) AS VARCHAR)
                   END,
                   b.traits_updated_at, b.first_touch_channel, b.first_touch_campaign, b.first_touch_at,
                   b.last_touch_channel, b.last_touch_campaign, b.last_touch_at
            FROM person_batch b
            WHERE NOT EXISTS (SELECT 1 FROM persons p WHERE p.project_id = b.project_id AND p.person_id = b.person_id)""".formatted(
            "%s", IS_JSON_OBJECT.formatted("patch"));

    /**
     * Builds the persons of existing events by the same rules as {@link PersonChanges}, for data
     * written before the table existed; receipt time (then insertion order) stands in for arrival.
     */
    /**
     * How many events each person sent in each UTC hour, appended with every write (a person active
     * across batches has several rows for one hour; readers sum or count distinct). Reports that need
     * only "who was active when" read these few million rows instead of every event; whole UTC hours
     * map exactly onto the days of any zone with a whole-hour offset.
     */
    static final String PERSON_HOURS = """
            CREATE TABLE person_hours (
                project_id BIGINT    NOT NULL,
                hour       TIMESTAMP NOT NULL,
                person_id  BIGINT    NOT NULL,
                events     BIGINT    NOT NULL
            )""";

    private static final String BACKFILL_PERSON_HOURS = """
            INSERT INTO person_hours
            SELECT project_id, date_trunc('hour', ts), person_id, count(*) FROM events GROUP BY ALL""";

    private static final String BACKFILL_PERSONS = """
            INSERT INTO persons (%1$s)
            SELECT project_id, person_id, first_seen, last_seen, event_count, user_id, traits, traits_updated_at,
                   first_touch.channel, first_touch.campaign, first_touch.ts, last_touch.channel, last_touch.campaign, last_touch.ts
            FROM (
                SELECT project_id, person_id, min(ts) AS first_seen, max(ts) AS last_seen, count(*) AS event_count,
                       arg_max(user_id, {'received_at': received_at, 'row': rowid}) AS user_id,
                       CAST(list_reduce(list_prepend('{}', list(properties ORDER BY received_at, rowid) FILTER (%2$s AND %3$s)),
                                        (traits, patch) -> json_merge_patch(traits, patch)) AS VARCHAR) AS traits,
                       max(received_at) FILTER (%2$s) AS traits_updated_at,
                       arg_min({'channel': channel, 'campaign': utm_campaign, 'ts': ts}, {'ts': ts, 'received_at': received_at, 'row': rowid})
                           FILTER (channel IS NOT NULL) AS first_touch,
                       arg_max({'channel': channel, 'campaign': utm_campaign, 'ts': ts}, {'ts': ts, 'received_at': received_at, 'row': rowid})
                           FILTER (channel IS NOT NULL) AS last_touch
                FROM events
                GROUP BY project_id, person_id
            )""".formatted(PERSON_COLUMNS, "type = 'identify' AND properties <> '{}'", IS_JSON_OBJECT.formatted("properties"));

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final DuckDBConnection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final DuckDbPersons persons = new DuckDbPersons(this);
    /** Per project, the persons written since {@link #drainChanged()} was last called; guarded by itself. */
    private final Map<Long, Set<Long>> changed = new java.util.HashMap<>();
    /**
     * Per project, the persons of {@link #changed} whose orders or refunds (and so their kept copy
     * for RFM) may have changed: an order event, a merge, a deletion; guarded by {@link #changed}.
     */
    private final Map<Long, Set<Long>> ordersChanged = new java.util.HashMap<>();
    private final KeptOrders keptOrders = new KeptOrders();
    private final TimeIndex timeIndex;
    /** How old the oldest pending person change may get before a write folds them; see the class comment. */
    private final long foldIntervalNanos;
    /** The number of the last write that appended person changes, their arrival order; the table is empty at the start. */
    private long changeSeq;
    /** Person changes appended since the last fold (a write that rolled back may leave this true: a fold of nothing costs little). */
    private volatile boolean pending;
    /** When the oldest pending change was appended ({@link System#nanoTime}); guarded by the write lock. */
    private long pendingSince;
    /** Rows appended to {@code person_changes} since the last fold, and whether one of them holds trait patches; guarded by the write lock. */
    private long pendingRows;
    private boolean pendingPatches;
    /** {@code order_events}, or {@code events} in a read-only file from before that table. */
    private final String orderEvents;
    private volatile boolean closed;

    public DuckDbEventStore(EventStoreProperties properties) {
        this(properties, TimeIndex.TAIL_LIMIT);
    }

    /** With the time index sorting its tails into runs at {@code timeIndexTail} entries (tests use small ones). */
    DuckDbEventStore(EventStoreProperties properties, int timeIndexTail) {
        this.writer = open(properties);
        this.foldIntervalNanos = properties.personFoldInterval().toNanos();
        this.timeIndex = timeIndex(writer, properties.timeIndexEntries(), timeIndexTail);
        this.orderEvents = "order_events";
    }

    private DuckDbEventStore(DuckDBConnection connection) throws SQLException {
        this.writer = connection;
        this.foldIntervalNanos = 0;
        this.timeIndex = timeIndex(writer, -1, TimeIndex.TAIL_LIMIT);
        this.orderEvents = exists(connection, "order_events") ? "order_events" : "events";
    }

    /** The time index, its snapshot pinned now: before this store's first write. */
    private static TimeIndex timeIndex(DuckDBConnection writer, long entries, int tail) {
        TimeIndex index = new TimeIndex(entries < 0 ? TimeIndex.defaultMaxEntries() : entries, tail);
        if (entries != 0) {
            try {
                index.load(writer.duplicate());
            }
            catch (SQLException e) {
                throw new EventStoreException("opening a reader for the time index failed: " + e.getMessage(), e);
            }
        }
        else {
            index.skipLoad();
        }
        return index;
    }

    /** Each event's name, person and time by project, for funnels; see {@link TimeIndex}. */
    TimeIndex timeIndex() {
        return timeIndex;
    }

    /**
     * The table holding every event named in {@link #ORDER_NAMES}, with all columns: a copy of those
     * rows of {@code events} (about 1% of them in the demo data), written in the same transactions, so that orders,
     * refunds and RFM read a small table instead of scanning every event.
     */
    String orderEvents() {
        return orderEvents;
    }

    /**
     * A store over an existing file opened read-only, for benchmarks on data sets that others read
     * at the same time; it creates no tables, so only reads work.
     */
    static DuckDbEventStore readOnly(Path path, String memoryLimit, int threads) {
        java.util.Properties options = new java.util.Properties();
        options.setProperty("duckdb.read_only", "true");
        try {
            DuckDBConnection connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + path.toAbsolutePath(), options);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET memory_limit = '" + memoryLimit.replace("'", "") + "'");
                statement.execute("SET threads = " + threads);
            }
            return new DuckDbEventStore(connection);
        }
        catch (SQLException e) {
            throw new IllegalStateException("cannot open " + path + " read-only: " + e.getMessage(), e);
        }
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
                if (properties.checkpointThreshold() != null && !properties.checkpointThreshold().isBlank()) {
                    statement.execute("SET checkpoint_threshold = '" + properties.checkpointThreshold().replace("'", "") + "'");
                }
                statement.execute(SCHEMA);
            }
            createPersons(connection);
            allowUnseenPersons(connection);
            textTraitPatches(connection);
            createPersonHours(connection);
            createDerived(connection, "order_events", "CREATE TABLE order_events AS SELECT * FROM events WHERE FALSE",
                    "INSERT INTO order_events SELECT * FROM events WHERE event IN " + ORDER_NAMES_SQL, "order events");
            foldLeftOver(connection);
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

    /**
     * Creates the persons table when the file has none, and fills it from the events already
     * stored, in one transaction: a file from before the table existed keeps working, and a crash
     * half-way leaves no empty table behind.
     */
    private static void createPersons(DuckDBConnection connection) throws SQLException {
        createDerived(connection, "persons", PERSONS, BACKFILL_PERSONS, "person profiles");
    }

    /**
     * Files from before profile data existed have {@code NOT NULL} first and last seen: they may be
     * null now (a person only imported has not been seen).
     */
    private static void allowUnseenPersons(DuckDBConnection connection) throws SQLException {
        if (!hasColumns(connection, "persons", "column_name IN ('first_seen', 'last_seen') AND NOT is_nullable")) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE persons ALTER COLUMN first_seen DROP NOT NULL");
            statement.execute("ALTER TABLE persons ALTER COLUMN last_seen DROP NOT NULL");
        }
        log.info("Persons may now have no first and last seen (persons created by profile data only)");
    }

    /**
     * Files from before 2026-12-04 keep a change's trait patches in a list column ({@code VARCHAR[]}); they are
     * now the text of a JSON array of the patches' texts (see {@link #appendChange}), so the rows a stop left are
     * turned into that before they are folded.
     */
    private static void textTraitPatches(DuckDBConnection connection) throws SQLException {
        if (!hasColumns(connection, "person_changes", "column_name = 'trait_patches' AND data_type <> 'VARCHAR'")) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE person_changes ALTER COLUMN trait_patches TYPE VARCHAR USING CAST(to_json(trait_patches) AS VARCHAR)");
        }
        log.info("Pending person changes keep their trait patches as JSON text");
    }

    /** Whether a table of the main schema has a column meeting {@code condition} (over {@code duckdb_columns()}). */
    private static boolean hasColumns(DuckDBConnection connection, String table, String condition) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT count(*) FROM duckdb_columns() WHERE database_name = current_database() "
                        + "AND schema_name = 'main' AND table_name = '" + table + "' AND " + condition)) {
            result.next();
            return result.getLong(1) > 0;
        }
    }

    /** Folds the person changes a crash (or a kill) left unfolded, before anything reads persons. */
    private static void foldLeftOver(DuckDBConnection connection) throws SQLException {
        long rows;
        boolean patches;
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT count(*), count(trait_patches) FROM person_changes")) {
            result.next();
            rows = result.getLong(1);
            patches = result.getLong(2) > 0;
        }
        if (rows == 0) {
            return;
        }
        connection.setAutoCommit(false);
        try {
            fold(connection, patches);
            connection.commit();
        }
        catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
        finally {
            connection.setAutoCommit(true);
        }
        log.info("Folded {} person changes left from before the last stop", rows);
    }

    /** Creates and fills the hourly activity table when the file has none, like {@link #createPersons}. */
    private static void createPersonHours(DuckDBConnection connection) throws SQLException {
        createDerived(connection, "person_hours", PERSON_HOURS, BACKFILL_PERSON_HOURS, "hourly activity rows");
    }

    private static boolean exists(DuckDBConnection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
                        + "AND schema_name = 'main' AND table_name = '" + table + "'")) {
            result.next();
            return result.getLong(1) > 0;
        }
    }

    private static void createDerived(DuckDBConnection connection, String table, String create, String backfill, String what)
            throws SQLException {
        if (exists(connection, table)) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            long started = System.nanoTime();
            connection.setAutoCommit(false);
            try {
                statement.execute(create);
                int rows = statement.executeUpdate(backfill);
                connection.commit();
                if (rows > 0) {
                    log.info("Built {} {} from the stored events in {} ms", rows, what, (System.nanoTime() - started) / 1_000_000);
                }
            }
            catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
            finally {
                connection.setAutoCommit(true);
            }
        }
    }

    @Override
    public void append(List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        write("appending " + events.size() + " events", () -> {
            // a statement first: the driver opens the transaction lazily, and the appenders must run inside it
            try (Statement statement = writer.createStatement()) {
                statement.execute("SELECT 1");
            }
            appendActivity(events);
            updatePersons(events);
        }, () -> timeIndex.appended(activity(events)));
        changed(events, List.of());
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

    /** Microseconds since the epoch, as DuckDB keeps timestamps. */
    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    @Override
    public void apply(IngestBatch batch) {
        write("applying an ingestion batch", () -> {
            // A statement first: the driver opens the transaction lazily, and the appenders must run inside it.
            try (PreparedStatement statement = writer.prepareStatement("INSERT OR REPLACE INTO ingest_positions VALUES (?, ?)")) {
                statement.setString(1, batch.source());
                statement.setLong(2, batch.position());
                statement.executeUpdate();
            }
            long started = System.nanoTime();
            appendActivity(batch.events());
            long appended = System.nanoTime();
            updatePersons(batch.events());
            long persons = System.nanoTime();
            appendLinks(batch.links());
            for (PersonMerge merge : batch.merges()) {
                merge(merge);
            }
            if (log.isDebugEnabled()) {
                log.debug("Applied {} events: appended in {} ms, persons in {} ms, {} links and {} merges in {} ms", batch.events().size(),
                        (appended - started) / 1_000_000, (persons - appended) / 1_000_000, batch.links().size(), batch.merges().size(),
                        (System.nanoTime() - persons) / 1_000_000);
            }
        }, () -> {
            timeIndex.appended(activity(batch.events()));
            timeIndex.merged(batch.merges());
        });
        changed(batch.events(), batch.merges());
    }

    /**
     * Appends the events that are activity to {@code events} and {@code person_hours}; profile data
     * only to {@code profile_updates}, which keeps its message ids for the duplicate check. The
     * profile changes of both are written by {@link #updatePersons}.
     */
    private static List<Event> activity(List<Event> events) {
        for (Event event : events) {
            if (!event.activity()) {
                return events.stream().filter(Event::activity).toList();
            }
        }
        return events;
    }

    private void appendActivity(List<Event> events) throws SQLException {
        List<Event> activity = new ArrayList<>(events.size());
        List<Event> profileData = new ArrayList<>();
        for (Event event : events) {
            (event.activity() ? activity : profileData).add(event);
        }
        appendEvents(activity);
        appendPersonHours(activity);
        appendProfileUpdates(profileData);
    }

    private void appendProfileUpdates(List<Event> profileData) throws SQLException {
        if (profileData.isEmpty()) {
            return;
        }
        try (DuckDBAppender appender = writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "profile_updates")) {
            for (Event event : profileData) {
                appender.beginRow();
                appender.append(event.projectId());
                appender.append(event.messageId());
                appender.append(event.personId());
                appender.appendEpochMicros(micros(event.receivedAt()));
                appender.endRow();
            }
        }
    }

    /** Notes the persons a committed write touched, for {@link #drainChanged()}. */
    private void changed(List<Event> events, List<PersonMerge> merges) {
        if (events.isEmpty() && merges.isEmpty()) {
            return;
        }
        synchronized (changed) {
            long project = Long.MIN_VALUE;
            Set<Long> persons = null;
            for (Event event : events) {
                if (event.projectId() != project) {
                    project = event.projectId();
                    persons = changed.computeIfAbsent(project, key -> new HashSet<>());
                }
                persons.add(event.personId());
                if (ORDER_NAMES.contains(event.event())) {
                    ordersChanged.computeIfAbsent(project, key -> new HashSet<>()).add(event.personId());
                }
            }
            for (PersonMerge merge : merges) {
                Set<Long> merged = changed.computeIfAbsent(merge.projectId(), key -> new HashSet<>());
                merged.add(merge.from());
                merged.add(merge.into());
                // the orders of the merged id now count for the root: both ids' RFM figures change
                Set<Long> buyers = ordersChanged.computeIfAbsent(merge.projectId(), key -> new HashSet<>());
                buyers.add(merge.from());
                buyers.add(merge.into());
            }
        }
    }

    /** Notes persons changed otherwise than by events; {@code orders}: their orders or refunds may have changed too. */
    private void changed(long projectId, Collection<Long> persons, boolean orders) {
        synchronized (changed) {
            changed.computeIfAbsent(projectId, key -> new HashSet<>()).addAll(persons);
            if (orders) {
                ordersChanged.computeIfAbsent(projectId, key -> new HashSet<>()).addAll(persons);
            }
        }
    }

    /** The persons written since the previous call, per project; see {@code PersonSets.drainChanged}. */
    Map<Long, Set<Long>> drainChanged() {
        synchronized (changed) {
            Map<Long, Set<Long>> drained = Map.copyOf(changed);
            changed.clear();
            keptOrders.drained(ordersChanged);
            ordersChanged.clear();
            return drained;
        }
    }

    /**
     * Runs {@code work} on the writer in one transaction under the write lock, for the other stores of
     * this package (person sets, lifecycle stages): all of it commits, or none.
     */
    <T> T inTransaction(String what, WriterWork<T> work) {
        List<T> result = new ArrayList<>(1);
        write(what, () -> result.add(work.run(writer)));
        return result.get(0);
    }

    /**
     * Runs {@code work} in one transaction on {@code reader} (a connection of this store) under the
     * write lock, for writes that read the reader's temporary tables: holding the lock keeps them
     * from conflicting with the writer's.
     */
    <T> T inTransaction(String what, Connection reader, ReaderWork<T> work) {
        writeLock.lock();
        try {
            checkOpen();
            reader.setAutoCommit(false);
            try {
                T result = work.run(reader);
                reader.commit();
                return result;
            }
            catch (SQLException | RuntimeException e) {
                reader.rollback();
                throw e;
            }
            finally {
                reader.setAutoCommit(true);
            }
        }
        catch (SQLException e) {
            throw new EventStoreException(what + " failed: " + e.getMessage(), e);
        }
        finally {
            writeLock.unlock();
        }
    }

    @FunctionalInterface
    interface ReaderWork<T> {
        T run(Connection reader) throws SQLException;
    }

    /** What this store knows of the orders copy person sets keep for RFM; see {@link KeptOrders}. */
    KeptOrders keptOrders() {
        return keptOrders;
    }

    @FunctionalInterface
    interface WriterWork<T> {
        T run(DuckDBConnection writer) throws SQLException;
    }

    /** Runs {@code work} in one transaction on the writer: all of it commits, or none. */
    private void write(String what, Work work) {
        write(what, work, () -> { });
    }

    /**
     * Like {@link #write(String, Work)}, then runs {@code committed} after the commit, still under
     * the write lock, so that copies of the data (the time index) see the writes in commit order.
     */
    private void write(String what, Work work, Runnable committed) {
        long asked = System.nanoTime();
        writeLock.lock();
        long locked = System.nanoTime();
        try {
            checkOpen();
            writer.setAutoCommit(false);
            try {
                work.run();
                long worked = System.nanoTime();
                writer.commit();
                if (log.isDebugEnabled()) {
                    log.debug("{}: waited {} ms for the write lock, worked {} ms, committed in {} ms", what, (locked - asked) / 1_000_000,
                            (worked - locked) / 1_000_000, (System.nanoTime() - worked) / 1_000_000);
                }
            }
            catch (SQLException | RuntimeException e) {
                writer.rollback();
                // a fold inside the write was rolled back with it: the changes are pending again, due now
                pending = true;
                pendingRows = Math.max(pendingRows, 1);
                pendingPatches = true;
                pendingSince = System.nanoTime() - foldIntervalNanos;
                throw e;
            }
            finally {
                writer.setAutoCommit(true);
            }
            try {
                committed.run();
            }
            catch (RuntimeException | OutOfMemoryError e) {
                // the write stands; only the copy is lost, and the queries it served fall back to SQL
                log.error("Updating the time index after {} failed; it is turned off", what, e);
                timeIndex.disable();
            }
        }
        catch (SQLException e) {
            throw new EventStoreException(what + " failed: " + e.getMessage(), e);
        }
        finally {
            writeLock.unlock();
        }
    }

    @FunctionalInterface
    private interface Work {
        void run() throws SQLException;
    }

    /**
     * Appends the events' person changes to {@code person_changes} and folds the pending ones into
     * {@code persons} when the oldest is older than the fold interval; runs inside the write's
     * transaction, so the changes commit (or roll back) with the events.
     */
    private void updatePersons(List<Event> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        long seq = ++changeSeq;
        long rows = 0;
        boolean patches = false;
        try (DuckDBAppender appender = writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "person_changes")) {
            for (PersonChanges.Change change : PersonChanges.of(events)) {
                appender.beginRow();
                appender.append(seq);
                appendChange(appender, change);
                patches |= !change.traitPatches().isEmpty();
                rows++;
            }
        }
        if (!pending || pendingRows == 0) {
            pendingSince = System.nanoTime();
        }
        pending = true;
        pendingRows += rows;
        pendingPatches |= patches;
        if (System.nanoTime() - pendingSince >= foldIntervalNanos || pendingRows >= MAX_PENDING_ROWS) {
            foldPending();
        }
    }

    /** Folding is due at this many pending rows whatever their age, which bounds the fold's temporary table. */
    private static final long MAX_PENDING_ROWS = 1_000_000;

    /** Folds the pending person changes into {@code persons}; under the write lock, inside a write's transaction. */
    private void foldPending() throws SQLException {
        if (!pending) {
            return;
        }
        long started = System.nanoTime();
        fold(writer, pendingPatches);
        if (log.isDebugEnabled()) {
            log.debug("Folded {} person changes in {} ms", pendingRows, (System.nanoTime() - started) / 1_000_000);
        }
        pending = false;
        pendingRows = 0;
        pendingPatches = false;
    }

    /** The statements of a fold, on {@code connection} inside its open transaction. */
    private static void fold(Connection connection, boolean patches) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            // created and dropped inside the transaction: emptying a reused temporary table keeps its memory
            statement.execute(PERSON_BATCH_OF_CHANGES);
            statement.execute(UPDATE_PERSONS);
            statement.execute(UPDATE_PERSONS_REST);
            if (patches) {
                statement.execute(UPDATE_TRAITS);
            }
            statement.execute(INSERT_PERSONS.formatted(PERSON_COLUMNS));
            statement.execute("DROP TABLE person_batch");
            statement.execute("DELETE FROM person_changes");
        }
    }

    /** The columns of a change after its {@code seq}, which the caller began the row with. */
    private static void appendChange(DuckDBAppender appender, PersonChanges.Change change) throws SQLException {
        appender.append(change.projectId());
        appender.append(change.personId());
        appendNullable(appender, change.firstSeen());
        appendNullable(appender, change.lastSeen());
        appender.append(change.events());
        appendNullable(appender, change.userId());
        if (change.traitPatches().isEmpty()) {
            appender.appendNull();
        }
        else {
            // text, not a list column: DuckDB 1.5.6 failed an internal assertion scanning the list column of this table
            // while the writer appended and folded (docs/benchmarks.md, 2026-12-04), which invalidates the whole database
            appender.append(JSON.writeValueAsString(change.traitPatches()));
        }
        appendNullable(appender, change.traitsUpdatedAt());
        appendTouch(appender, change.firstTouch());
        appendTouch(appender, change.lastTouch());
        appender.endRow();
    }

    private static void appendTouch(DuckDBAppender appender, Event touch) throws SQLException {
        if (touch == null) {
            appender.appendNull();
            appender.appendNull();
            appender.appendNull();
            return;
        }
        appender.append(touch.channel());
        appendNullable(appender, touch.utmCampaign());
        appender.appendEpochMicros(micros(touch.timestamp()));
    }

    private static void appendNullable(DuckDBAppender appender, Instant value) throws SQLException {
        if (value == null) {
            appender.appendNull();
        }
        else {
            appender.appendEpochMicros(micros(value));
        }
    }

    private void appendEvents(List<Event> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        List<Event> orders = null;
        try (DuckDBAppender appender = writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "events")) {
            for (Event event : events) {
                appendRow(appender, event);
                if (ORDER_NAMES.contains(event.event())) {
                    if (orders == null) {
                        orders = new ArrayList<>();
                    }
                    orders.add(event);
                }
            }
        }
        if (orders != null) {
            try (DuckDBAppender appender = writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "order_events")) {
                for (Event event : orders) {
                    appendRow(appender, event);
                }
            }
        }
    }

    /** One row per project, UTC hour and person of the batch, with its number of events. */
    private void appendPersonHours(List<Event> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        java.util.Map<PersonHour, long[]> counts = new java.util.HashMap<>();
        for (Event event : events) {
            long hour = Math.floorDiv(event.timestamp().getEpochSecond(), 3600L) * 3600L;
            counts.computeIfAbsent(new PersonHour(event.projectId(), hour, event.personId()), key -> new long[1])[0]++;
        }
        try (DuckDBAppender appender = writer.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "person_hours")) {
            for (java.util.Map.Entry<PersonHour, long[]> entry : counts.entrySet()) {
                appender.beginRow();
                appender.append(entry.getKey().projectId());
                appender.appendEpochMicros(entry.getKey().hour() * 1_000_000L);
                appender.append(entry.getKey().personId());
                appender.append(entry.getValue()[0]);
                appender.endRow();
            }
        }
    }

    private record PersonHour(long projectId, long hour, long personId) {
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
        String in = placeholders(messageIds.size());
        String sql = "SELECT message_id FROM events WHERE project_id = ? AND ts >= ? AND ts < ? AND message_id IN (" + in + ") "
                + "UNION SELECT message_id FROM profile_updates WHERE project_id = ? AND message_id IN (" + in + ")";
        try (Connection connection = reader(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, projectId);
            statement.setObject(2, utc(from));
            statement.setObject(3, utc(to));
            int index = 4;
            for (String id : messageIds) {
                statement.setString(index++, id);
            }
            statement.setLong(index++, projectId);
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
        String sql = "SELECT project_id, message_id FROM (SELECT project_id, message_id, received_at FROM events UNION ALL "
                + "SELECT project_id, message_id, received_at FROM profile_updates) ORDER BY received_at DESC LIMIT ?";
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

    /** The columns {@link #event(ResultSet)} reads, for a query over {@code events}. */
    static final String EVENT_COLUMNS = """
            project_id, message_id, type, event, person_id, anonymous_id, user_id, epoch_us(ts), epoch_us(received_at),
            url, referrer, utm_source, utm_medium, utm_campaign, channel, order_id, revenue, currency, properties, context""";

    /** The event of the current row of a query that selects {@link #EVENT_COLUMNS}. */
    static Event event(ResultSet row) throws SQLException {
        double revenue = row.getDouble(17);
        Double maybeRevenue = row.wasNull() ? null : revenue;
        return new Event(row.getLong(1), row.getString(2), row.getString(3), row.getString(4), row.getLong(5),
                row.getString(6), row.getString(7), instant(row.getLong(8)), instant(row.getLong(9)), row.getString(10),
                row.getString(11), row.getString(12), row.getString(13), row.getString(14), row.getString(15),
                row.getString(16), maybeRevenue, row.getString(18), row.getString(19), row.getString(20));
    }

    @Override
    public List<Event> latest(long projectId, int limit) {
        String sql = "SELECT " + EVENT_COLUMNS + " FROM events WHERE project_id = ? ORDER BY received_at DESC LIMIT ?";
        try (Connection connection = reader(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, projectId);
            statement.setInt(2, limit);
            List<Event> events = new ArrayList<>();
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    events.add(event(row));
                }
            }
            return events;
        }
        catch (SQLException e) {
            throw new EventStoreException("reading the latest events failed: " + e.getMessage(), e);
        }
    }

    /** The instant of an {@code epoch_us} column, or null. */
    static Instant nullableInstant(ResultSet row, int column) throws SQLException {
        long micros = row.getLong(column);
        return row.wasNull() ? null : instant(micros);
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    @Override
    public java.util.Map<Long, Long> maxPersonIds() {
        java.util.Map<Long, Long> highest = new java.util.HashMap<>();
        try (Connection connection = reader();
                Statement statement = connection.createStatement();
                // persons covers the persons of events and those only profile data created
                ResultSet result = statement.executeQuery("SELECT project_id, MAX(person_id) FROM (SELECT project_id, person_id FROM events "
                        + "UNION ALL SELECT project_id, person_id FROM persons UNION ALL SELECT project_id, person_id FROM person_changes) "
                        + "GROUP BY project_id")) {
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
                    SELECT CAST(%s AS DATE) AS day,
                           %s AS events,
                           COUNT(DISTINCT COALESCE(m.root_id, e.person_id)) AS persons
                    FROM %s e
                    LEFT JOIN person_merges m ON m.project_id = e.project_id AND m.person_id = e.person_id
                    WHERE e.project_id = ? AND e.%s >= ? AND e.%s < ?
                    GROUP BY 1
                )
                SELECT days.day, COALESCE(activity.events, 0), COALESCE(activity.persons, 0)
                FROM days LEFT JOIN activity ON activity.day = days.day
                ORDER BY days.day""";
        Instant start = from.atStartOfDay(zone).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(zone).toInstant();
        // whole-hour zones read the hourly activity table, others every event
        boolean hourly = Sql.wholeHourOffset(zone, start, end);
        sql = hourly ? sql.formatted(Sql.localTime("e.hour", zone, start, end), "SUM(e.events)", "person_hours", "hour", "hour")
                : sql.formatted("timezone('" + zone.getId().replace("'", "") + "', timezone('UTC', e.ts))", "COUNT(*)", "events", "ts", "ts");
        try (Connection connection = reader(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, from.toString());
            statement.setString(2, to.toString());
            statement.setLong(3, projectId);
            statement.setObject(4, utc(start));
            statement.setObject(5, utc(end));
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
        write("deleting events", () -> {
            foldPending();
            try (Statement statement = writer.createStatement()) {
                for (String table : List.of("events", "order_events", "identities", "person_merges", "persons", "person_hours",
                        "person_stage_transitions", "lifecycle_runs", "person_sets", "person_stages", "rfm_orders", "rfm_buyers", "profile_updates")) {
                    statement.execute("DELETE FROM " + table + " WHERE project_id = " + projectId);
                }
            }
        }, () -> timeIndex.projectDeleted(projectId));
        synchronized (changed) {
            changed.remove(projectId);
            ordersChanged.remove(projectId);
        }
        keptOrders.forget(projectId);
    }

    @Override
    public Page<PersonSummary> persons(long projectId, PersonQuery query, PageRequest page) {
        return persons.search(projectId, query, page);
    }

    @Override
    public Page<Event> personEvents(long projectId, long personId, String event, Instant from, Instant to, PageRequest page) {
        return persons.events(projectId, personId, event, from, to, page);
    }

    @Override
    public PersonActivity personActivity(long projectId, long personId) {
        return persons.activity(projectId, personId);
    }

    @Override
    public boolean updateTraits(long projectId, long personId, String patch, Instant at) {
        ObjectNode removals = removals(jsonObject(patch));
        boolean[] found = {false};
        List<Long> touched = new ArrayList<>();
        write("updating traits", () -> {
            // the changes that arrived before this edit go first
            foldPending();
            List<Long> members = members(writer, projectId, personId);
            if (count(writer, "SELECT count(*) FROM persons WHERE project_id = ? AND person_id IN (%s)", projectId, members) == 0) {
                return;
            }
            found[0] = true;
            touched.addAll(members);
            try (PreparedStatement root = writer.prepareStatement("UPDATE persons SET traits = CAST(json_merge_patch(traits, ?) AS VARCHAR), "
                    + "traits_updated_at = greatest(traits_updated_at, ?) WHERE project_id = ? AND person_id = ?")) {
                root.setString(1, patch);
                root.setObject(2, utc(at));
                root.setLong(3, projectId);
                root.setLong(4, members.get(0));
                root.executeUpdate();
            }
            if (members.size() > 1 && !removals.isEmpty()) {
                List<Long> merged = members.subList(1, members.size());
                try (PreparedStatement others = writer.prepareStatement("UPDATE persons SET traits = CAST(json_merge_patch(traits, ?) AS VARCHAR) "
                        + "WHERE project_id = ? AND person_id IN (" + placeholders(merged.size()) + ")")) {
                    others.setString(1, removals.toString());
                    others.setLong(2, projectId);
                    int index = 3;
                    for (long person : merged) {
                        others.setLong(index++, person);
                    }
                    others.executeUpdate();
                }
            }
        });
        changed(projectId, touched, false);
        return found[0];
    }

    private static ObjectNode jsonObject(String patch) {
        try {
            JsonNode node = JSON.readTree(patch == null ? "" : patch);
            if (node instanceof ObjectNode object) {
                return object;
            }
        }
        catch (JacksonException e) {
            // reported below without the text, which may hold personal data
        }
        throw new IllegalArgumentException("a trait patch must be a JSON object");
    }

    /** The part of a merge patch that removes something: its null members, nested objects kept for their nulls. */
    private static ObjectNode removals(ObjectNode patch) {
        ObjectNode removals = JSON.createObjectNode();
        for (Map.Entry<String, JsonNode> member : patch.properties()) {
            if (member.getValue().isNull()) {
                removals.putNull(member.getKey());
            }
            else if (member.getValue() instanceof ObjectNode nested) {
                ObjectNode inner = removals(nested);
                if (!inner.isEmpty()) {
                    removals.set(member.getKey(), inner);
                }
            }
        }
        return removals;
    }

    @Override
    public Optional<PersonDeleted> deletePerson(long projectId, long personId) {
        List<PersonDeleted> deleted = new ArrayList<>(1);
        write("deleting a person", () -> {
            foldPending();
            List<Long> members = members(writer, projectId, personId);
            long events = count(writer, "SELECT count(*) FROM events WHERE project_id = ? AND person_id IN (%s)", projectId, members);
            long profiles = count(writer, "SELECT count(*) FROM persons WHERE project_id = ? AND person_id IN (%s)", projectId, members);
            if (events == 0 && profiles == 0) {
                return;
            }
            DistinctIds ids = distinctIds(writer, projectId, members);
            for (String table : List.of("events", "order_events", "identities", "persons", "person_hours", "person_stage_transitions",
                    "person_sets", "person_stages", "rfm_orders", "rfm_buyers", "profile_updates")) {
                update(writer, "DELETE FROM " + table + " WHERE project_id = ? AND person_id IN (%s)", projectId, members);
            }
            update(writer, "DELETE FROM person_merges WHERE project_id = ? AND (person_id IN (%1$s) OR root_id IN (%1$s))", projectId,
                    members, members);
            List<String> distinctIds = new ArrayList<>(ids.anonymousIds());
            distinctIds.addAll(ids.userIds());
            deleted.add(new PersonDeleted(projectId, members.get(0), members.stream().sorted().toList(), distinctIds, events));
        }, () -> deleted.forEach(person -> timeIndex.deleted(projectId, person.personIds())));
        deleted.forEach(person -> changed(projectId, person.personIds(), true));
        if (!deleted.isEmpty()) {
            // the kept RFM figures of others may have counted the deleted person's refunds of their orders
            keptOrders.buyersForgotten(projectId);
        }
        return deleted.stream().findFirst();
    }

    /** Runs {@code sql}, whose {@code %s} placeholders each stand for one list of persons, with the project and the lists bound. */
    @SafeVarargs
    private static long count(Connection connection, String sql, long projectId, List<Long>... persons) throws SQLException {
        try (PreparedStatement statement = personsStatement(connection, sql, projectId, persons); ResultSet result = statement.executeQuery()) {
            result.next();
            return result.getLong(1);
        }
    }

    @SafeVarargs
    private static void update(Connection connection, String sql, long projectId, List<Long>... persons) throws SQLException {
        try (PreparedStatement statement = personsStatement(connection, sql, projectId, persons)) {
            statement.executeUpdate();
        }
    }

    @SafeVarargs
    private static PreparedStatement personsStatement(Connection connection, String sql, long projectId, List<Long>... persons)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql.formatted(placeholders(persons[0].size())));
        try {
            statement.setLong(1, projectId);
            int index = 2;
            for (List<Long> list : persons) {
                for (long person : list) {
                    statement.setLong(index++, person);
                }
            }
            return statement;
        }
        catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    @Override
    public Optional<PersonProfile> person(long projectId, long personId) {
        try (Connection connection = reader()) {
            // one snapshot for all the queries, so that a merge committed in between cannot split the answer
            connection.setAutoCommit(false);
            long root = root(connection, projectId, personId);
            List<Long> merged = mergedInto(connection, projectId, root);
            List<Long> members = new ArrayList<>(merged.size() + 1);
            members.add(root);
            members.addAll(merged);
            Optional<PersonProfile> person = profile(connection, projectId, root, members).map(profile -> {
                DistinctIds ids = distinctIds(connection, projectId, members);
                return new PersonProfile(projectId, root, merged, profile.firstSeen(), profile.lastSeen(), profile.events(),
                        profile.userId(), profile.traits(), profile.firstTouch(), profile.lastTouch(), ids.anonymousIds(), ids.userIds());
            });
            connection.commit();
            return person;
        }
        catch (SQLException e) {
            throw new EventStoreException("reading a person failed: " + e.getMessage(), e);
        }
    }

    /** The person's root first, then every person merged into it, ascending. */
    static List<Long> members(Connection connection, long projectId, long personId) throws SQLException {
        long root = root(connection, projectId, personId);
        List<Long> members = new ArrayList<>();
        members.add(root);
        members.addAll(mergedInto(connection, projectId, root));
        return members;
    }

    private static long root(Connection connection, long projectId, long personId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT root_id FROM person_merges WHERE project_id = ? AND person_id = ?")) {
            statement.setLong(1, projectId);
            statement.setLong(2, personId);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() ? result.getLong(1) : personId;
            }
        }
    }

    private static List<Long> mergedInto(Connection connection, long projectId, long root) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT DISTINCT person_id FROM person_merges WHERE project_id = ? AND root_id = ? ORDER BY person_id")) {
            statement.setLong(1, projectId);
            statement.setLong(2, root);
            List<Long> merged = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    merged.add(result.getLong(1));
                }
            }
            return merged;
        }
    }

    private record DistinctIds(List<String> anonymousIds, List<String> userIds) {
    }

    /** The ids linked to the persons, and those seen on their events (a shared device's anonymousId is not linked). */
    private static DistinctIds distinctIds(Connection connection, long projectId, List<Long> persons) {
        String in = placeholders(persons.size());
        String sql = """
                SELECT distinct_id, is_user_id FROM identities WHERE project_id = ? AND person_id IN (%1$s)
                UNION SELECT anonymous_id, false FROM events WHERE project_id = ? AND person_id IN (%1$s) AND anonymous_id IS NOT NULL
                UNION SELECT user_id, true FROM events WHERE project_id = ? AND person_id IN (%1$s) AND user_id IS NOT NULL
                ORDER BY 1""".formatted(in);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int index = 1;
            for (int part = 0; part < 3; part++) {
                statement.setLong(index++, projectId);
                for (long person : persons) {
                    statement.setLong(index++, person);
                }
            }
            DistinctIds ids = new DistinctIds(new ArrayList<>(), new ArrayList<>());
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    (result.getBoolean(2) ? ids.userIds() : ids.anonymousIds()).add(result.getString(1));
                }
            }
            return ids;
        }
        catch (SQLException e) {
            throw new EventStoreException("reading a person's ids failed: " + e.getMessage(), e);
        }
    }

    /** A person's row, or several persons' rows combined. */
    private record PersonRow(Instant firstSeen, Instant lastSeen, long events, String userId, String traits,
            PersonProfile.Touch firstTouch, PersonProfile.Touch lastTouch) {
    }

    /**
     * The persons' rows combined: seen times and counts over all, touches the earliest and latest of
     * all, traits applied in the order of their last identify (the root last on a tie), the root's
     * userId or else the most recently seen one.
     */
    private static Optional<PersonRow> profile(Connection connection, long projectId, long root, List<Long> persons)
            throws SQLException {
        String in = placeholders(persons.size());
        String sql = """
                SELECT epoch_us(first_seen), epoch_us(last_seen), event_count, user_id, traits,
                       first_touch.channel, first_touch.campaign, epoch_us(first_touch.ts),
                       last_touch.channel, last_touch.campaign, epoch_us(last_touch.ts)
                FROM (
                    SELECT min(first_seen) AS first_seen, max(last_seen) AS last_seen, sum(event_count) AS event_count,
                           coalesce(max(user_id) FILTER (person_id = ?), arg_max(user_id, last_seen)) AS user_id,
                           CAST(list_reduce(list_prepend('{}', list(traits ORDER BY traits_updated_at NULLS FIRST, person_id = ?)),
                                            (traits, patch) -> json_merge_patch(traits, patch)) AS VARCHAR) AS traits,
                           arg_min({'channel': first_touch_channel, 'campaign': first_touch_campaign, 'ts': first_touch_at}, first_touch_at)
                               AS first_touch,
                           arg_max({'channel': last_touch_channel, 'campaign': last_touch_campaign, 'ts': last_touch_at}, last_touch_at)
                               AS last_touch
                    FROM %s p
                    WHERE project_id = ? AND person_id IN (%s)
                )
                WHERE event_count IS NOT NULL""".formatted(PERSONS_NOW, in);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, root);
            statement.setLong(2, root);
            statement.setLong(3, projectId);
            int index = 4;
            for (long person : persons) {
                statement.setLong(index++, person);
            }
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new PersonRow(nullableInstant(row, 1), nullableInstant(row, 2), row.getLong(3), row.getString(4),
                        row.getString(5), touch(row, 6), touch(row, 9)));
            }
        }
    }

    private static String placeholders(int count) {
        return String.join(",", Collections.nCopies(count, "?"));
    }

    private static PersonProfile.Touch touch(ResultSet row, int column) throws SQLException {
        String channel = row.getString(column);
        if (channel == null) {
            return null;
        }
        return new PersonProfile.Touch(channel, row.getString(column + 1), instant(row.getLong(column + 2)));
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** Runs a trivial query; throws when the store cannot answer (closed, or DuckDB invalidated by an internal error). */
    void ping() {
        try (Connection connection = reader(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT 1")) {
            result.next();
        }
        catch (SQLException e) {
            throw new EventStoreException("the event store does not answer: " + e.getMessage(), e);
        }
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
            timeIndex.close();
            if (pending) {
                // not needed for correctness (the next open folds them), but the file is complete without it
                writer.setAutoCommit(false);
                try {
                    foldPending();
                    writer.commit();
                }
                catch (SQLException | RuntimeException e) {
                    writer.rollback();
                    log.warn("Folding the person changes on close failed; the next start folds them", e);
                }
                finally {
                    writer.setAutoCommit(true);
                }
            }
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
