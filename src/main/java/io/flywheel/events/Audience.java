package io.flywheel.events;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.ZoneId;

/** Whose persons a condition is evaluated over, at which instant, and in which time zone for days. */
public record Audience(long projectId, ZoneId zone, Instant now) {

    public Audience {
        requireNonNull(zone, "zone is null");
        requireNonNull(now, "now is null");
    }
}
