package io.flywheel.events;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A funnel's answer: every person together, and per breakdown group (largest first, the rest folded
 * into {@link Breakdown#OTHER}); {@code groups} is empty without a breakdown.
 */
public record FunnelResult(FunnelCounts total, List<FunnelCounts> groups) {

    public FunnelResult {
        requireNonNull(total, "total is null");
        groups = List.copyOf(requireNonNull(groups, "groups is null"));
    }
}
