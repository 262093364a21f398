package io.flywheel.platform;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.ZoneId;

/** A project (tenant). Every project-owned row anywhere carries its id. */
public record Project(long id, String name, ZoneId timeZone, String writeKey, Instant createdAt) {

    /** A project's keys were replaced; caches of keys must forget the old ones. */
    public record KeysRotated(long projectId) {
    }

    public Project {
        requireNonNull(name, "name is null");
        requireNonNull(timeZone, "timeZone is null");
        requireNonNull(writeKey, "writeKey is null");
        requireNonNull(createdAt, "createdAt is null");
    }
}
