package io.flywheel.people;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** The size of a segment or tag at a moment, for the size-over-time chart. */
public record SetSize(Instant at, long size) {

    public SetSize {
        requireNonNull(at, "at is null");
    }
}
