package io.flywheel.platform;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** One recorded change: who did what to which thing, and when. */
public record AuditEntry(long id, Instant at, String actor, Long projectId, String action, String target, String detail) {

    public AuditEntry {
        requireNonNull(at, "at is null");
        requireNonNull(actor, "actor is null");
        requireNonNull(action, "action is null");
    }
}
