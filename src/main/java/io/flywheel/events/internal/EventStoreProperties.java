package io.flywheel.events.internal;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where and how events are kept.
 *
 * @param path the DuckDB database file (default {@code <data dir>/events.duckdb})
 * @param memoryLimit DuckDB's memory limit, e.g. {@code 4GB}; blank leaves DuckDB's default (80% of RAM)
 * @param threads DuckDB worker threads; 0 uses every core
 * @param timeIndexEntries at most this many events in the in-memory time index that answers funnels
 *     (about 12 bytes each); -1 (the default) allows a quarter of the heap, 0 turns the index off
 * @param checkpointThreshold how much DuckDB's own write-ahead log may grow before DuckDB writes
 *     the changes into the database file (its {@code checkpoint_threshold}); 256 MB by default,
 *     blank leaves DuckDB's (16 MB). A checkpoint rewrites the row groups appended to since the
 *     last one and the changed parts of the persons table whatever the size: at 16 MB (about
 *     40,000 events) the last row group of events (122,880 rows) is rewritten several times over,
 *     and commits cost three times as much in all (docs/benchmarks.md, bench/AppendCommit.java).
 *     Larger values make each pause of the writer longer and DuckDB's log replay on start longer.
 * @param personFoldInterval how long the person changes of written events may wait before they are
 *     folded into the persons table (readers see them before, through {@code PERSONS_NOW}): each fold updates
 *     the stored rows in one statement, whose cost on a large table hardly depends on how many
 *     writes it covers
 */
@ConfigurationProperties("flywheel.events")
public record EventStoreProperties(
        @DefaultValue("./data/events.duckdb") Path path,
        @DefaultValue("") String memoryLimit,
        @DefaultValue("0") int threads,
        @DefaultValue("-1") long timeIndexEntries,
        @DefaultValue(EventStoreProperties.DEFAULT_CHECKPOINT_THRESHOLD) String checkpointThreshold,
        @DefaultValue("2s") Duration personFoldInterval) {

    /** The default of {@code checkpointThreshold}. */
    public static final String DEFAULT_CHECKPOINT_THRESHOLD = "256MB";

    @ConstructorBinding
    public EventStoreProperties {
        if (personFoldInterval == null || personFoldInterval.isNegative()) {
            throw new IllegalArgumentException("flywheel.events.person-fold-interval must be zero or more");
        }
    }

    /** With the time index's default budget. */
    public EventStoreProperties(Path path, String memoryLimit, int threads) {
        this(path, memoryLimit, threads, -1);
    }

    /** With the default checkpoint threshold. */
    public EventStoreProperties(Path path, String memoryLimit, int threads, long timeIndexEntries) {
        this(path, memoryLimit, threads, timeIndexEntries, DEFAULT_CHECKPOINT_THRESHOLD);
    }

    /** With the default fold interval of person changes. */
    public EventStoreProperties(Path path, String memoryLimit, int threads, long timeIndexEntries, String checkpointThreshold) {
        this(path, memoryLimit, threads, timeIndexEntries, checkpointThreshold, Duration.ofSeconds(2));
    }
}
