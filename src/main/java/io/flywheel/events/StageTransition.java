package io.flywheel.events;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A person (root id) moved from one lifecycle stage to another at a time.
 *
 * @param from the stage before, or null when the person appeared for the first time
 * @param at when the person entered {@code to}, derived from activity (e.g. the last activity
 *     plus the at-risk threshold), not when the change was noticed
 */
public record StageTransition(long personId, LifecycleStage from, LifecycleStage to, Instant at) {

    public StageTransition {
        requireNonNull(to, "to is null");
        requireNonNull(at, "at is null");
        if (from == to) {
            throw new IllegalArgumentException("a transition changes the stage");
        }
    }
}
