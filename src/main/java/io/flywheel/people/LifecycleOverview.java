package io.flywheel.people;

import static java.util.Objects.requireNonNull;

import io.flywheel.events.LifecycleStage;
import io.flywheel.events.LifecycleThresholds;
import java.time.Instant;
import java.util.Map;

/**
 * A project's lifecycle: persons per stage as last computed, the thresholds, and when the stages
 * were last computed (null: never).
 */
public record LifecycleOverview(Map<LifecycleStage, Long> sizes, LifecycleThresholds thresholds, Instant lastComputed) {

    public LifecycleOverview {
        sizes = Map.copyOf(requireNonNull(sizes, "sizes is null"));
        requireNonNull(thresholds, "thresholds is null");
    }

    public long persons() {
        return sizes.values().stream().mapToLong(Long::longValue).sum();
    }
}
