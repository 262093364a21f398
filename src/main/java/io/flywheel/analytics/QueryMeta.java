package io.flywheel.analytics;

import java.time.Instant;

/**
 * How an answer was made: when it was computed, whether it came from the cache, and how long the
 * computation took.
 */
public record QueryMeta(Instant computedAt, boolean cached, long tookMs) {
}
