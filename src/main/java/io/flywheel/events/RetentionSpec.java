package io.flywheel.events;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.List;

/**
 * Cohorts by the period of each person's first {@code cohortEvent} (ever); cell k counts the cohort's
 * persons who did {@code returnEvent} in the k-th period after the cohort's period (k = 0 is the
 * cohort period itself). Cohort periods are those that start inside the scope's days.
 *
 * @param returnEvent an event name or {@link TrendSpec#ANY_EVENT}
 * @param asOf the last day whose returns count (today); periods starting after it are left out
 */
public record RetentionSpec(Scope scope, String cohortEvent, List<EventFilter> cohortFilters, String returnEvent,
        List<EventFilter> returnFilters, Interval period, int periods, LocalDate asOf) {

    public static final int MAX_PERIODS = 120;

    public RetentionSpec {
        requireNonNull(scope, "scope is null");
        requireNonNull(cohortEvent, "cohortEvent is null");
        cohortFilters = List.copyOf(requireNonNull(cohortFilters, "cohortFilters is null"));
        requireNonNull(returnEvent, "returnEvent is null");
        returnFilters = List.copyOf(requireNonNull(returnFilters, "returnFilters is null"));
        requireNonNull(period, "period is null");
        requireNonNull(asOf, "asOf is null");
        if (period == Interval.HOUR) {
            throw new IllegalArgumentException("retention periods are days, weeks or months");
        }
        if (periods < 1 || periods > MAX_PERIODS) {
            throw new IllegalArgumentException("periods must be between 1 and " + MAX_PERIODS);
        }
    }
}
