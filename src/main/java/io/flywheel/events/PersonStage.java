package io.flywheel.events;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** A person's (root id) current lifecycle stage and when the person entered it. */
public record PersonStage(long personId, LifecycleStage stage, Instant since) {

    public PersonStage {
        requireNonNull(stage, "stage is null");
        requireNonNull(since, "since is null");
    }
}
