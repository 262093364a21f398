package io.flywheel.analytics.internal;

import io.flywheel.analytics.AarrrAnswer;
import io.flywheel.analytics.ChannelSpend;
import io.flywheel.analytics.ChannelsAnswer;
import io.flywheel.analytics.FunnelAnswer;
import io.flywheel.analytics.GrowthSettings;
import io.flywheel.analytics.MetricsAnswer;
import io.flywheel.analytics.RfmAnswer;
import io.flywheel.analytics.RetentionAnswer;
import io.flywheel.analytics.TrendAnswer;
import io.flywheel.events.Breakdown;
import io.flywheel.events.ChannelQuality;
import io.flywheel.events.MetricValues;
import io.flywheel.events.RfmScore;
import io.flywheel.events.FunnelCounts;
import io.flywheel.events.FunnelResult;
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

    public static FunnelAnswer funnel(FunnelSpec spec, FunnelResult result) {
        List<FunnelAnswer.Step> total = steps(spec, result.total());
        List<FunnelAnswer.Group> groups = new ArrayList<>();
        for (FunnelCounts group : result.groups()) {
            List<FunnelAnswer.Step> steps = steps(spec, group);
            groups.add(new FunnelAnswer.Group(group.group(), steps, overall(steps)));
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

    // ------------------------------------------------------------ metrics

    public static MetricsAnswer metrics(Scope scope, Scope previous, MetricValues now, MetricValues before) {
        List<MetricsAnswer.Metric> metrics = new ArrayList<>();
        metric(metrics, "pv", now.pageViews(), before.pageViews());
        metric(metrics, "uv", now.visitors(), before.visitors());
        metric(metrics, "activePersons", now.activePersons(), before.activePersons());
        metric(metrics, "sessions", now.sessions(), before.sessions());
        metric(metrics, "averageSessionSeconds", now.averageSessionSeconds(), before.averageSessionSeconds());
        metric(metrics, "bounceRate", now.bounceRate(), before.bounceRate());
        metric(metrics, "dau", now.averageDailyActive(), before.averageDailyActive());
        metric(metrics, "wau", now.weeklyActive(), before.weeklyActive());
        metric(metrics, "mau", now.monthlyActive(), before.monthlyActive());
        metric(metrics, "stickiness", now.stickiness(), before.stickiness());
        metric(metrics, "newPersons", now.newPersons(), before.newPersons());
        metric(metrics, "orders", now.orders(), before.orders());
        metric(metrics, "refundedOrders", now.refundedOrders(), before.refundedOrders());
        metric(metrics, "gmv", now.gmv(), before.gmv());
        metric(metrics, "payingPersons", now.payingPersons(), before.payingPersons());
        metric(metrics, "arpu", now.arpu(), before.arpu());
        metric(metrics, "arppu", now.arppu(), before.arppu());
        metric(metrics, "conversionRate", now.conversionRate(), before.conversionRate());
        return new MetricsAnswer("metrics", scope.from(), scope.to(), previous.from(), previous.to(), metrics, null);
    }

    private static void metric(List<MetricsAnswer.Metric> metrics, String key, double value, double previous) {
        Double change = previous == 0 ? null : round((value - previous) / previous, 4);
        metrics.add(new MetricsAnswer.Metric(key, round(value, 4), round(previous, 4), change));
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    // ------------------------------------------------------------ channels

    public static ChannelsAnswer channels(Scope scope, LocalDate asOf, List<ChannelQuality> rows, List<ChannelSpend> spend) {
        Map<String, Double> spendByChannel = prorate(scope, spend);
        List<ChannelsAnswer.Row> channels = new ArrayList<>();
        long visitors = 0, signUps = 0, activated = 0, retained = 0, eligible = 0, paying = 0;
        double revenue = 0;
        for (ChannelQuality row : rows) {
            channels.add(row(row.channel(), row.visitors(), row.signUps(), row.activated(), row.retainedDay7(), row.eligibleDay7(),
                    row.payingPersons(), row.revenue(), spendByChannel.get(row.channel())));
            visitors += row.visitors();
            signUps += row.signUps();
            activated += row.activated();
            retained += row.retainedDay7();
            eligible += row.eligibleDay7();
            paying += row.payingPersons();
            revenue += row.revenue();
        }
        for (Map.Entry<String, Double> entry : spendByChannel.entrySet()) {
            if (rows.stream().noneMatch(row -> row.channel().equals(entry.getKey()))) {
                channels.add(row(entry.getKey(), 0, 0, 0, 0, 0, 0, 0, entry.getValue()));
            }
        }
        Double totalSpend = spendByChannel.isEmpty() ? null : spendByChannel.values().stream().mapToDouble(Double::doubleValue).sum();
        ChannelsAnswer.Row total = row("$total", visitors, signUps, activated, retained, eligible, paying, revenue, totalSpend);
        return new ChannelsAnswer("channels", scope.from(), scope.to(), asOf, channels, total, null);
    }

    private static ChannelsAnswer.Row row(String channel, long visitors, long signUps, long activated, long retained, long eligible,
            long paying, double revenue, Double spend) {
        Double cac = spend == null || paying == 0 ? null : round(spend / paying, 2);
        Double roi = spend == null || spend == 0 ? null : round((revenue - spend) / spend, 4);
        return new ChannelsAnswer.Row(channel, visitors, signUps, rate(signUps, visitors), activated, rate(activated, visitors),
                retained, eligible, rate(retained, eligible), paying, rate(paying, visitors), round(revenue, 2),
                spend == null ? null : round(spend, 2), cac, roi);
    }

    /** Each channel's spend inside the scope, a month's amount spread evenly over its days. */
    static Map<String, Double> prorate(Scope scope, List<ChannelSpend> spend) {
        Map<String, Double> byChannel = new java.util.TreeMap<>();
        for (ChannelSpend row : spend) {
            LocalDate first = row.month().atDay(1);
            LocalDate last = row.month().atEndOfMonth();
            LocalDate from = first.isAfter(scope.from()) ? first : scope.from();
            LocalDate to = last.isBefore(scope.to()) ? last : scope.to();
            if (to.isBefore(from)) {
                continue;
            }
            double share = (ChronoUnit.DAYS.between(from, to) + 1) / (double) row.month().lengthOfMonth();
            byChannel.merge(row.channel(), row.amount().doubleValue() * share, Double::sum);
        }
        return byChannel;
    }

    public static java.time.YearMonth month(LocalDate day) {
        return java.time.YearMonth.from(day);
    }

    // ------------------------------------------------------------ RFM

    /** Builds the segment table, score counts and (when asked) one segment's page of persons from streamed scores. */
    public static final class RfmCollector implements java.util.function.Consumer<RfmScore> {

        private final String segment;
        private final int page;
        private final int size;
        private final Map<String, double[]> segments = new LinkedHashMap<>();
        private final long[][] scores = new long[3][5];
        private final List<RfmScore> members = new ArrayList<>();
        private long buyers;
        private double recency;
        private double frequency;
        private double monetary;

        public RfmCollector(String segment, int page, int size) {
            this.segment = segment;
            this.page = page;
            this.size = size;
            for (String key : RfmAnswer.SEGMENTS) {
                segments.put(key, new double[5]);
            }
        }

        @Override
        public void accept(RfmScore score) {
            buyers++;
            recency += score.recencyDays();
            frequency += score.frequency();
            monetary += score.monetary();
            scores[0][score.r() - 1]++;
            scores[1][score.f() - 1]++;
            scores[2][score.m() - 1]++;
            String key = RfmAnswer.segment(score.recencyAbove(), score.frequencyAbove(), score.monetaryAbove());
            double[] sums = segments.get(key);
            sums[0]++;
            sums[1] += score.monetary();
            sums[2] += score.recencyDays();
            sums[3] += score.frequency();
            if (key.equals(segment)) {
                members.add(score);
            }
        }

        public RfmAnswer answer(Scope scope) {
            List<RfmAnswer.Segment> table = new ArrayList<>();
            segments.forEach((key, sums) -> {
                long persons = (long) sums[0];
                table.add(new RfmAnswer.Segment(key, !key.endsWith("keep") && !key.endsWith("win_back"),
                        key.endsWith("value") || key.endsWith("keep"), key.startsWith("important"), persons,
                        rate(persons, buyers), round(sums[1], 2), persons == 0 ? 0 : round(sums[2] / persons, 2),
                        persons == 0 ? 0 : round(sums[3] / persons, 2), persons == 0 ? 0 : round(sums[1] / persons, 2)));
            });
            RfmAnswer.Averages averages = buyers == 0 ? new RfmAnswer.Averages(0, 0, 0)
                    : new RfmAnswer.Averages(round(recency / buyers, 2), round(frequency / buyers, 2), round(monetary / buyers, 2));
            RfmAnswer.Persons persons = null;
            if (segment != null) {
                members.sort(Comparator.comparingDouble(RfmScore::monetary).reversed().thenComparingLong(RfmScore::personId));
                int from = Math.min(members.size(), (page - 1) * size);
                int to = Math.min(members.size(), from + size);
                persons = new RfmAnswer.Persons(segment, page, size, members.size(), members.subList(from, to).stream()
                        .map(s -> new RfmAnswer.Person(s.personId(), s.userId(), s.recencyDays(), s.frequency(), round(s.monetary(), 2),
                                s.r(), s.f(), s.m()))
                        .toList());
            }
            return new RfmAnswer("rfm", scope.from(), scope.to(), scope.to(), buyers, averages, table,
                    new RfmAnswer.Scores(counts(scores[0]), counts(scores[1]), counts(scores[2])), persons, null);
        }

        private static List<Long> counts(long[] values) {
            return java.util.Arrays.stream(values).boxed().toList();
        }
    }

    // ------------------------------------------------------------ AARRR

    public static AarrrAnswer aarrr(Scope scope, GrowthSettings settings, List<ChannelQuality> channels, MetricValues metrics,
            long referrers) {
        long visitors = channels.stream().mapToLong(ChannelQuality::visitors).sum();
        long activated = channels.stream().mapToLong(ChannelQuality::activated).sum();
        long retained = channels.stream().mapToLong(ChannelQuality::retainedDay7).sum();
        long eligible = channels.stream().mapToLong(ChannelQuality::eligibleDay7).sum();
        List<AarrrAnswer.ChannelCount> byChannel = channels.stream()
                .map(row -> new AarrrAnswer.ChannelCount(row.channel(), row.visitors())).toList();
        return new AarrrAnswer("aarrr", scope.from(), scope.to(),
                new AarrrAnswer.Acquisition(metrics.newPersons(), metrics.visitors(), byChannel),
                new AarrrAnswer.Activation(settings.activationEvent(), activated, rate(activated, visitors)),
                new AarrrAnswer.Retention(retained, eligible, rate(retained, eligible), round(metrics.stickiness(), 4)),
                new AarrrAnswer.Revenue(round(metrics.gmv(), 2), metrics.orders(), metrics.payingPersons(), round(metrics.arpu(), 2),
                        round(metrics.arppu(), 2), round(metrics.conversionRate(), 4)),
                new AarrrAnswer.Referral(settings.referralEvent(), referrers, rate(referrers, metrics.activePersons())), null);
    }
}
