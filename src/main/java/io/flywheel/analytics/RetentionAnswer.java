package io.flywheel.analytics;

import java.time.LocalDate;
import java.util.List;

/**
 * Retention cohorts.
 *
 * @param average per period, the retained share of all cohorts that reached that period, weighted by cohort size
 */
public record RetentionAnswer(String kind, LocalDate from, LocalDate to, String period, int periods, List<Cohort> cohorts,
        List<Double> average, QueryMeta meta) implements Answer {

    /** @param percentages values as a percentage of the cohort's size */
    public record Cohort(LocalDate start, long size, List<Long> values, List<Double> percentages) {
    }

    @Override
    public RetentionAnswer withMeta(QueryMeta meta) {
        return new RetentionAnswer(kind, from, to, period, periods, cohorts, average, meta);
    }
}
