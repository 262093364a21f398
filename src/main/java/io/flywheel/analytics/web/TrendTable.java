package io.flywheel.analytics.web;

import static java.util.Objects.requireNonNull;

import io.flywheel.analytics.TrendAnswer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A trend as a table and a chart: one row per bucket, one column per series, each followed by its
 * previous-period series when compared (matched by breakdown group, bucket by bucket; the previous
 * period's own top groups that are not among the current ones are left out).
 *
 * @param totals per column, for additive measures; empty otherwise
 */
record TrendTable(List<Column> columns, List<Row> rows, List<Double> totals) {

    /** The measures whose buckets without events are zero rather than without a value. */
    private static final Set<String> COUNTED = Set.of("total", "uniques", "sessions", "sum");

    /** @param previousOf for a previous-period column, the index of the column it compares with; otherwise -1 */
    record Column(String label, int previousOf, Double total) {
    }

    /** @param bucket the bucket's start as shown: a date, a month or a date and hour */
    record Row(String bucket, List<Double> values) {
    }

    /** What the chart needs, serialised into the page. */
    record Chart(String type, String measure, List<String> buckets, List<Series> series) {
    }

    /** @param previousOf as for {@link Column}: the chart's series are the table's columns */
    record Series(String name, List<Double> data, int previousOf) {
    }

    TrendTable {
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        rows = List.copyOf(requireNonNull(rows, "rows is null"));
        totals = List.copyOf(requireNonNull(totals, "totals is null"));
    }

    static TrendTable of(TrendAnswer answer, String event, ReportFormat format) {
        Map<String, TrendAnswer.Series> previous = new HashMap<>();
        if (answer.previous() != null) {
            answer.previous().series().forEach(series -> previous.put(Objects.toString(series.group(), ""), series));
        }
        List<Column> columns = new ArrayList<>();
        List<List<TrendAnswer.Point>> points = new ArrayList<>();
        for (TrendAnswer.Series series : answer.series()) {
            String label = series.group() == null ? format.event(event) : format.group(series.group());
            int index = columns.size();
            columns.add(new Column(label, -1, series.total()));
            points.add(series.points());
            if (answer.previous() != null) {
                TrendAnswer.Series before = previous.getOrDefault(Objects.toString(series.group(), ""), absent(series, answer.measure()));
                columns.add(new Column(format.message("trends.previousOf", label), index, before.total()));
                points.add(before.points());
            }
        }
        List<TrendAnswer.Point> buckets = answer.series().isEmpty() ? List.of() : answer.series().get(0).points();
        List<Row> rows = new ArrayList<>(buckets.size());
        for (int i = 0; i < buckets.size(); i++) {
            List<Double> values = new ArrayList<>(columns.size());
            for (List<TrendAnswer.Point> column : points) {
                values.add(i < column.size() ? column.get(i).v() : null);
            }
            rows.add(new Row(bucket(buckets.get(i).t(), answer.interval()), values));
        }
        boolean additive = columns.stream().allMatch(column -> column.total() != null) && !columns.isEmpty();
        List<Double> totals = additive ? columns.stream().map(Column::total).toList() : List.of();
        return new TrendTable(columns, rows, totals);
    }

    /**
     * A group the previous period does not have (it had no events then, or was outside that period's
     * top groups): zero where the measure counts, no value where it is an average or extreme.
     */
    private static TrendAnswer.Series absent(TrendAnswer.Series series, String measure) {
        Double value = COUNTED.contains(measure) ? 0d : null;
        return new TrendAnswer.Series(series.label(), series.group(),
                series.points().stream().map(point -> new TrendAnswer.Point(point.t(), value)).toList(),
                series.total() == null ? null : 0d);
    }

    /** Whether any bucket of any current-period series has a value other than zero. */
    boolean hasData() {
        for (Row row : rows) {
            for (int i = 0; i < columns.size(); i++) {
                Double value = row.values().get(i);
                if (columns.get(i).previousOf() < 0 && value != null && value != 0) {
                    return true;
                }
            }
        }
        return false;
    }

    Chart chart(String measureLabel) {
        List<Series> series = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            int column = i;
            Column header = columns.get(i);
            series.add(new Series(header.label(), rows.stream().map(row -> row.values().get(column)).toList(), header.previousOf()));
        }
        return new Chart(rows.size() == 1 ? "bar" : "line", measureLabel, rows.stream().map(Row::bucket).toList(), series);
    }

    private static String bucket(String start, String interval) {
        return switch (interval) {
            case "hour" -> start.replace('T', ' ');
            case "month" -> start.length() >= 7 ? start.substring(0, 7) : start;
            default -> start;
        };
    }
}
