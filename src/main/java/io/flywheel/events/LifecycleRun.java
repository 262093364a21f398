package io.flywheel.events;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The result of recomputing a project's lifecycle stages.
 *
 * @param first whether this was the project's first computation, which assigns stages without
 *     recording transitions
 * @param sizes persons per stage afterwards (every stage present, zero included)
 * @param transitions the changes recorded since the previous computation, ordered by time
 */
public record LifecycleRun(long projectId, Instant computedAt, boolean first, Map<LifecycleStage, Long> sizes,
        List<StageTransition> transitions) {

    public LifecycleRun {
        requireNonNull(computedAt, "computedAt is null");
        sizes = Map.copyOf(requireNonNull(sizes, "sizes is null"));
        transitions = List.copyOf(requireNonNull(transitions, "transitions is null"));
    }

    public long persons() {
        return sizes.values().stream().mapToLong(Long::longValue).sum();
    }
}
