package io.flywheel.events;

import java.time.Duration;

/**
 * A project's lifecycle thresholds in days: a person is new while first seen less than
 * {@code newDays} ago, and at-risk, dormant or churned after that many days without activity.
 * Reactivated lasts {@code newDays} after a return from a gap of at least {@code dormantDays}.
 */
public record LifecycleThresholds(int newDays, int atRiskDays, int dormantDays, int churnedDays) {

    public static final LifecycleThresholds DEFAULTS = new LifecycleThresholds(7, 14, 30, 90);
    /** No threshold may exceed ten years. */
    public static final int MAX_DAYS = 3650;

    public LifecycleThresholds {
        if (newDays < 1 || newDays > MAX_DAYS) {
            throw new IllegalArgumentException("newDays must be between 1 and " + MAX_DAYS);
        }
        if (atRiskDays < 1) {
            throw new IllegalArgumentException("atRiskDays must be at least 1");
        }
        if (dormantDays <= atRiskDays) {
            throw new IllegalArgumentException("dormantDays must be greater than atRiskDays");
        }
        if (churnedDays <= dormantDays) {
            throw new IllegalArgumentException("churnedDays must be greater than dormantDays");
        }
        if (churnedDays > MAX_DAYS) {
            throw new IllegalArgumentException("churnedDays must be at most " + MAX_DAYS);
        }
    }

    public Duration newSpan() {
        return Duration.ofDays(newDays);
    }

    public Duration atRisk() {
        return Duration.ofDays(atRiskDays);
    }

    public Duration dormant() {
        return Duration.ofDays(dormantDays);
    }

    public Duration churned() {
        return Duration.ofDays(churnedDays);
    }
}
