package io.flywheel.analytics;

import java.time.LocalDate;
import java.util.List;

/**
 * The standard metrics of a date range next to the range of the same length just before.
 *
 * @param metrics in a fixed order: pv, uv, activePersons, sessions, averageSessionSeconds, bounceRate, dau, wau, mau,
 *                stickiness, newPersons, orders, refundedOrders, gmv, payingPersons, arpu, arppu, conversionRate
 */
public record MetricsAnswer(String kind, LocalDate from, LocalDate to, LocalDate previousFrom, LocalDate previousTo,
        List<Metric> metrics, QueryMeta meta) implements Answer {

    /** @param change relative change against the previous range, null when the previous value is zero */
    public record Metric(String key, double value, double previous, Double change) {
    }

    /** The value of one metric by key. */
    public Metric metric(String key) {
        return metrics.stream().filter(metric -> metric.key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no metric " + key));
    }

    @Override
    public MetricsAnswer withMeta(QueryMeta meta) {
        return new MetricsAnswer(kind, from, to, previousFrom, previousTo, metrics, meta);
    }
}
