package io.flywheel.analytics;

import io.flywheel.events.EventStore;
import io.flywheel.platform.Project;
import io.flywheel.shared.InvalidInputException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import org.springframework.stereotype.Service;

/** The project overview: daily events and active persons, days taken in the project's time zone. */
@Service
public class Overview {

    public static final int MAX_DAYS = 366;

    private final EventStore events;
    private final Clock clock;

    public Overview(EventStore events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    /** The last {@code days} days up to and including today in the project's zone. */
    public ActivitySummary lastDays(Project project, int days) {
        LocalDate today = LocalDate.now(clock.withZone(project.timeZone()));
        return between(project, today.minusDays(days - 1L), today);
    }

    public ActivitySummary between(Project project, LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            throw new InvalidInputException("to", "to must not be before from");
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            throw new InvalidInputException("from", "the range must be at most " + MAX_DAYS + " days");
        }
        return new ActivitySummary(to, events.dailyActivity(project.id(), project.timeZone(), from, to));
    }
}
