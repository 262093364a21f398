package io.flywheel.people;

import static java.util.Objects.requireNonNull;

import io.flywheel.events.StageTransition;
import java.time.Instant;
import java.util.List;

/**
 * A recompute of a project's lifecycle stages moved persons between stages; published once per
 * recompute with every transition (ordered by time), never once per person. Journeys trigger on it.
 */
public record LifecycleStagesChanged(long projectId, Instant computedAt, List<StageTransition> transitions) {

    public LifecycleStagesChanged {
        requireNonNull(computedAt, "computedAt is null");
        transitions = List.copyOf(requireNonNull(transitions, "transitions is null"));
    }
}
