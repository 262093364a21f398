package io.flywheel.events;

/**
 * Where a person stands in their lifecycle, computed from their activity with per-project
 * thresholds: new (first seen recently), active, at-risk, dormant, churned (no activity for
 * growing spans), reactivated (active again after being dormant or churned).
 */
public enum LifecycleStage {
    NEW, ACTIVE, AT_RISK, DORMANT, CHURNED, REACTIVATED;

    /** The lower-case name used in APIs, rules and stored rows ({@code at_risk}). */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static LifecycleStage ofKey(String key) {
        for (LifecycleStage stage : values()) {
            if (stage.key().equals(key)) {
                return stage;
            }
        }
        throw new IllegalArgumentException("unknown lifecycle stage '" + key + "'");
    }
}
