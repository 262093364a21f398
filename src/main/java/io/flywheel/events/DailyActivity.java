package io.flywheel.events;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;

/** Events and distinct active persons on one day of a project's time zone. */
public record DailyActivity(LocalDate day, long events, long activePersons) {

    public DailyActivity {
        requireNonNull(day, "day is null");
    }
}
