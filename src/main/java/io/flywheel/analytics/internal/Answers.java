package io.flywheel.analytics.internal;

import io.flywheel.analytics.FunnelAnswer;
import io.flywheel.analytics.RetentionAnswer;
import io.flywheel.analytics.TrendAnswer;
import io.flywheel.events.Breakdown;
import io.flywheel.events.FunnelCounts;
import io.flywheel.events.FunnelSpec;
import io.flywheel.events.Interval;
import io.flywheel.events.RetentionCohort;
import io.flywheel.events.RetentionSpec;
import io.flywheel.events.Scope;
import io.flywheel.events.TrendRow;
import io.flywheel.events.TrendSpec;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the engine's rows into the answers of the query API: filled buckets, rates, percentages. */
public final class Answers {

    private Answers() {
    }

    // ------------------------------------------------------------ trend

    public static List<TrendAnswer.Series> series(TrendSpec spec, List<TrendRow> rows) {
        List<LocalDateTime> buckets = buckets(spec.scope(), spec.interval());
        Map<String, Map<LocalDateTime, Double>> groups = new LinkedHashMap<>();
        for (TrendRow row : rows) {
            groups.computeIfAbsent(row.group(), key -> new LinkedHashMap<>()).put(row.bucket(), row.value());
        }
        if (groups.isEmpty()) {
            groups.put(null, Map.of());
        }
        boolean additive = spec.measure() == TrendSpec.Measure.TOTAL || spec.measure() == TrendSpec.Measure.SESSIONS
                || spec.measure() == TrendSpec.Measure.SUM;
        boolean zeroFill = additive || spec.measure() == TrendSpec.Measure.UNIQUES;
        List<TrendAnswer.Series> series = new ArrayList<>();
        groups.forEach((group, values) -> {
            List<TrendAnswer.Point> points = new ArrayList<>(buckets.size());
            double total = 0;
            for (LocalDateTime bucket : buckets) {
                Double value = values.get(bucket);
                if (value == null && zeroFill) {
                    value = 0d;
                }
                total += value == null ? 0 : value;
                points.add(new TrendAnswer.Point(label(bucket, spec.interval()), value));
            }
            series.add(new TrendAnswer.Series(seriesLabel(spec.event(), group), group, points, additive ? total : null));
        });
        series.sort(Comparator.comparing((TrendAnswer.Series s) -> Breakdown.OTHER.equals(s.group()))
                .thenComparing(s -> -sum(s.points())));
        return series;
    }

    private static double sum(List<TrendAnswer.Point> points) {
        return points.stream().mapToDouble(point -> point.v() == null ? 0 : point.v()).sum();
    }

    private static String seriesLabel(String event, String group) {
        String name = event.equals(TrendSpec.ANY_EVENT) ? "All events" : event;
        return group == null ? name : group;
    }

    static List<LocalDateTime> buckets(Scope scope, Interval interval) {
        List<LocalDateTime> buckets = new ArrayList<>();
        LocalDateTime end = scope.to().plusDays(1).atStartOfDay();
        LocalDateTime at = switch (interval) {
            case HOUR, DAY -> scope.from().atStartOfDay();
            case WEEK -> scope.from().with(TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY)).atStartOfDay();
            case MONTH -> scope.from().withDayOfMonth(1).atStartOfDay();
        };
        while (at.isBefore(end)) {
            buckets.add(at);
            at = switch (interval) {
                case HOUR -> at.plusHours(1);
                case DAY -> at.plusDays(1);
                case WEEK -> at.plusWeeks(1);
                case MONTH -> at.plusMonths(1);
            };
        }
        return buckets;
    }

    private static String label(LocalDateTime bucket, Interval interval) {
        return interval == Interval.HOUR ? bucket.toString() : bucket.toLocalDate().toString();
    }

    /** The scope of the same length just before {@code scope}. */
    public static Scope previous(Scope scope) {
        long days = ChronoUnit.DAYS.between(scope.from(), scope.to()) + 1;
        return new Scope(scope.projectId(), scope.zone(), scope.from().minusDays(days), scope.from().minusDays(1));
    }

    public static TrendSpec shifted(TrendSpec spec, Scope scope) {
        return new TrendSpec(scope, spec.event(), spec.measure(), spec.property(), spec.interval(), spec.filters(), spec.breakdown());
    }

    // ------------------------------------------------------------ funnel

    public static FunnelAnswer funnel(FunnelSpec spec, List<FunnelCounts> counts) {
        List<FunnelAnswer.Step> total;
        List<FunnelAnswer.Group> groups = new ArrayList<>();
        if (spec.breakdown() == null) {
            total = steps(spec, counts.get(0));
        }
        else {
            long[] sum = new long[spec.steps().size()];
            for (FunnelCounts group : counts) {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += group.reached()[i];
                }
                List<FunnelAnswer.Step> steps = steps(spec, group);
                groups.add(new FunnelAnswer.Group(group.group(), steps, overall(steps)));
            }
            double[] noMedians = new double[sum.length];
            java.util.Arrays.fill(noMedians, Double.NaN);
            total = steps(spec, new FunnelCounts(null, sum, noMedians));
        }
        return new FunnelAnswer("funnel", spec.scope().from(), spec.scope().to(), spec.window().toString(), total, overall(total), groups, null);
    }

    private static List<FunnelAnswer.Step> steps(FunnelSpec spec, FunnelCounts counts) {
        List<FunnelAnswer.Step> steps = new ArrayList<>();
        long first = counts.reached()[0];
        for (int i = 0; i < spec.steps().size(); i++) {
            long count = counts.reached()[i];
            long previous = i == 0 ? count : counts.reached()[i - 1];
            double median = counts.medianSeconds()[i];
            steps.add(new FunnelAnswer.Step(spec.steps().get(i).event(), count, rate(count, first), rate(count, previous),
                    previous - count, i == 0 || Double.isNaN(median) ? null : median));
        }
        return steps;
    }

    private static double overall(List<FunnelAnswer.Step> steps) {
        return rate(steps.get(steps.size() - 1).count(), steps.get(0).count());
    }

    private static double rate(long part, long whole) {
        return whole == 0 ? 0 : Math.round(part * 10000d / whole) / 10000d;
    }

    // ------------------------------------------------------------ retention

    public static RetentionAnswer retention(RetentionSpec spec, List<RetentionCohort> cohorts) {
        List<RetentionAnswer.Cohort> list = new ArrayList<>();
        long[] retained = new long[spec.periods()];
        long[] base = new long[spec.periods()];
        for (RetentionCohort cohort : cohorts) {
            List<Long> values = new ArrayList<>();
            List<Double> percentages = new ArrayList<>();
            for (int k = 0; k < cohort.values().length; k++) {
                values.add(cohort.values()[k]);
                percentages.add(percent(cohort.values()[k], cohort.size()));
                retained[k] += cohort.values()[k];
                base[k] += cohort.size();
            }
            list.add(new RetentionAnswer.Cohort(cohort.start(), cohort.size(), values, percentages));
        }
        List<Double> average = new ArrayList<>();
        for (int k = 0; k < spec.periods() && base[k] > 0; k++) {
            average.add(percent(retained[k], base[k]));
        }
        return new RetentionAnswer("retention", spec.scope().from(), spec.scope().to(), QueryParser.lower(spec.period()),
                spec.periods(), list, average, null);
    }

    private static double percent(long part, long whole) {
        return whole == 0 ? 0 : Math.round(part * 10000d / whole) / 100d;
    }

    /** Today in the project's zone, for cache keys and retention's last period. */
    public static LocalDate today(java.time.Clock clock, java.time.ZoneId zone) {
        return LocalDate.now(clock.withZone(zone));
    }
}
