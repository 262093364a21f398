package io.flywheel.events;

import static java.util.Objects.requireNonNull;

/**
 * One cohort: its period's first day, its size and the persons retained in periods 0, 1, 2, ...
 * ({@code values.length} is smaller than requested for cohorts whose later periods have not begun).
 */
public record RetentionCohort(java.time.LocalDate start, long size, long[] values) {

    public RetentionCohort {
        requireNonNull(start, "start is null");
        requireNonNull(values, "values is null");
    }
}
