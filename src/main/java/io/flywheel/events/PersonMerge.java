package io.flywheel.events;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * Person {@code from} turned out to be person {@code into} (identify or alias linked their ids).
 * Queries count both as {@code into}; no stored event is rewritten.
 */
public record PersonMerge(long projectId, long from, long into, Instant at) {

    public PersonMerge {
        requireNonNull(at, "at is null");
        if (from == into) {
            throw new IllegalArgumentException("a person cannot be merged into itself");
        }
    }
}
