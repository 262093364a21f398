package io.flywheel.events;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Stage sizes per day and the flows between stages over a range of days, derived from activity
 * with given thresholds: the stage of each person at the end of each day (or now, for today).
 *
 * @param days one entry per day of the range, every stage present
 * @param flows persons per (stage at the start of the range, stage at its end), largest first; a
 *     null {@code from} counts persons first seen during the range
 */
public record StageHistory(LocalDate from, LocalDate to, List<Day> days, List<Flow> flows) {

    public StageHistory {
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        days = List.copyOf(requireNonNull(days, "days is null"));
        flows = List.copyOf(requireNonNull(flows, "flows is null"));
    }

    public record Day(LocalDate day, Map<LifecycleStage, Long> sizes) {
        public Day {
            requireNonNull(day, "day is null");
            sizes = Map.copyOf(requireNonNull(sizes, "sizes is null"));
        }
    }

    public record Flow(LifecycleStage from, LifecycleStage to, long persons) {
        public Flow {
            requireNonNull(to, "to is null");
        }
    }
}
