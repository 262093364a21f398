package io.flywheel.events;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/** Which project and which inclusive days, counted in the project's time zone, a query looks at. */
public record Scope(long projectId, ZoneId zone, LocalDate from, LocalDate to) {

    public Scope {
        requireNonNull(zone, "zone is null");
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("to must not be before from");
        }
    }

    /** The first instant of {@code from}. */
    public Instant start() {
        return from.atStartOfDay(zone).toInstant();
    }

    /** The first instant after {@code to}. */
    public Instant end() {
        return to.plusDays(1).atStartOfDay(zone).toInstant();
    }
}
