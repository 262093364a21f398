package io.flywheel.analytics;

import java.time.LocalDate;
import java.util.List;

/**
 * Persons reaching each step of a funnel.
 *
 * @param window the conversion window as an ISO-8601 duration
 * @param breakdown one entry per group when a breakdown was asked, largest first; otherwise empty
 */
public record FunnelAnswer(String kind, LocalDate from, LocalDate to, String window, List<Step> steps,
        double overallConversionRate, List<Group> breakdown, QueryMeta meta) implements Answer {

    /**
     * @param count persons who reached this step
     * @param conversionRate count divided by the first step's count
     * @param stepConversionRate count divided by the previous step's count
     * @param dropOff persons of the previous step who did not reach this one
     * @param medianSecondsToConvert median time from the previous step, null for the first step or when nobody converted
     */
    public record Step(String event, long count, double conversionRate, double stepConversionRate, long dropOff,
            Double medianSecondsToConvert) {
    }

    public record Group(String group, List<Step> steps, double overallConversionRate) {
    }

    @Override
    public FunnelAnswer withMeta(QueryMeta meta) {
        return new FunnelAnswer(kind, from, to, window, steps, overallConversionRate, breakdown, meta);
    }
}
