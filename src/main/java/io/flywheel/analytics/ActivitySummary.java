package io.flywheel.analytics;

import static java.util.Objects.requireNonNull;

import io.flywheel.events.DailyActivity;
import java.time.LocalDate;
import java.util.List;

/**
 * Events and active persons per day over a range ending today, with today and yesterday singled out.
 *
 * @param today the last day of the range, in the project's time zone
 */
public record ActivitySummary(LocalDate today, List<DailyActivity> days) {

    public ActivitySummary {
        requireNonNull(today, "today is null");
        days = List.copyOf(requireNonNull(days, "days is null"));
    }

    public DailyActivity onToday() {
        return on(today);
    }

    public DailyActivity onYesterday() {
        return on(today.minusDays(1));
    }

    public long totalEvents() {
        return days.stream().mapToLong(DailyActivity::events).sum();
    }

    private DailyActivity on(LocalDate day) {
        return days.stream().filter(activity -> activity.day().equals(day)).findFirst().orElse(new DailyActivity(day, 0, 0));
    }
}
