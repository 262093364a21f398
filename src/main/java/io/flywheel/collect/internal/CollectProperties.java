package io.flywheel.collect.internal;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Ingestion settings.
 *
 * @param walDirectory where the write-ahead log lives (default {@code <data dir>/wal})
 * @param walSegmentBytes size at which a log segment is closed and a new one started
 * @param maxQueuedRequests requests waiting for the log writer before new ones get 503
 * @param maxLag log entries written but not yet applied before new requests get 503
 * @param applyBatch most entries applied to the event store in one transaction
 * @param applyLinger how long the applier waits for more entries when fewer than
 *     {@code applyLingerBelow} are waiting: every transaction has a fixed cost (appenders, the
 *     persons changes, the commit), so a trickle of single events is cheaper applied a moment late
 *     in one transaction than at once in a hundred
 * @param applyLingerBelow below how many waiting entries (messages) the applier lingers
 * @param recentMessageIds how many recent message ids are remembered for de-duplication
 */
@ConfigurationProperties("flywheel.collect")
public record CollectProperties(
        @DefaultValue("./data/wal") Path walDirectory,
        @DefaultValue("67108864") long walSegmentBytes,
        @DefaultValue("20000") int maxQueuedRequests,
        @DefaultValue("500000") int maxLag,
        @DefaultValue("50000") int applyBatch,
        @DefaultValue("100ms") Duration applyLinger,
        @DefaultValue("1000") int applyLingerBelow,
        @DefaultValue("2000000") int recentMessageIds) {
}
