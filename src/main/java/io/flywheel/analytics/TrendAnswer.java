package io.flywheel.analytics;

import java.time.LocalDate;
import java.util.List;

/**
 * Series of a trend, one per breakdown group (or one), with a point for every bucket of the range.
 *
 * @param previous the same query over the period of the same length just before, when asked with compare
 */
public record TrendAnswer(String kind, LocalDate from, LocalDate to, String interval, String measure, List<Series> series,
        Previous previous, QueryMeta meta) implements Answer {

    /** @param total sum over the buckets for additive measures (total, sessions, sum), otherwise null */
    public record Series(String label, String group, List<Point> points, Double total) {
    }

    /** @param t bucket start: a date, or a local date-time for hourly buckets */
    public record Point(String t, Double v) {
    }

    public record Previous(LocalDate from, LocalDate to, List<Series> series) {
    }

    @Override
    public TrendAnswer withMeta(QueryMeta meta) {
        return new TrendAnswer(kind, from, to, interval, measure, series, previous, meta);
    }
}
