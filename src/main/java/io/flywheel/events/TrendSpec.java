package io.flywheel.events;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One series (or one per breakdown group) of a measure over time buckets.
 *
 * @param event the event name, or {@link #ANY_EVENT} for every event
 * @param property the numeric property for SUM/AVG/MIN/MAX, null otherwise
 * @param breakdown null for one series
 */
public record TrendSpec(Scope scope, String event, Measure measure, String property, Interval interval,
        List<EventFilter> filters, Breakdown breakdown) {

    public static final String ANY_EVENT = "$any";

    public enum Measure {
        TOTAL, UNIQUES, SESSIONS, SUM, AVG, MIN, MAX;

        public boolean needsProperty() {
            return this == SUM || this == AVG || this == MIN || this == MAX;
        }
    }

    public TrendSpec {
        requireNonNull(scope, "scope is null");
        requireNonNull(event, "event is null");
        requireNonNull(measure, "measure is null");
        requireNonNull(interval, "interval is null");
        filters = List.copyOf(requireNonNull(filters, "filters is null"));
        if (measure.needsProperty() && (property == null || property.isBlank())) {
            throw new IllegalArgumentException(measure + " needs a numeric property");
        }
    }
}
