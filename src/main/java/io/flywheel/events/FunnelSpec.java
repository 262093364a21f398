package io.flywheel.events;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * An ordered funnel with ClickHouse {@code windowFunnel(window)} default-mode semantics: for each
 * person, the furthest step reached by a chain of events matching steps 1..k in order (equal
 * timestamps ordered by step), every event of the chain at most {@code window} after the chain's
 * step-1 event. The step-1 event must fall inside the scope's days; later steps may follow up to
 * {@code window} after its end.
 *
 * @param breakdown null for no breakdown; an event-property breakdown takes the value of the step-1 event of the chain
 */
public record FunnelSpec(Scope scope, List<Step> steps, Duration window, Breakdown breakdown) {

    public static final int MAX_STEPS = 10;

    /** One step: an event name and conditions on its properties. */
    public record Step(String event, List<EventFilter> filters) {

        public Step {
            requireNonNull(event, "event is null");
            filters = List.copyOf(requireNonNull(filters, "filters is null"));
        }
    }

    public FunnelSpec {
        requireNonNull(scope, "scope is null");
        steps = List.copyOf(requireNonNull(steps, "steps is null"));
        requireNonNull(window, "window is null");
        if (steps.size() < 2 || steps.size() > MAX_STEPS) {
            throw new IllegalArgumentException("a funnel has 2 to " + MAX_STEPS + " steps");
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive");
        }
    }
}
