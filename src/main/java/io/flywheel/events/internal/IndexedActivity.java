package io.flywheel.events.internal;

import io.flywheel.events.Interval;
import io.flywheel.events.Scope;
import io.flywheel.events.TrendRow;
import io.flywheel.events.TrendSpec;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * Trends and the activity part of {@code metrics} (page views, visitors, active persons, daily,
 * weekly and monthly actives, sessions, session time, bounces) answered from the {@link TimeIndex}
 * with a {@link PersonScan}: each person's events arrive in time order, so sessions are found
 * without a sort and distinct counts without a hash table. The same answers as the SQL path
 * (compared on random data by {@code IndexedActivityTests}).
 */
final class IndexedActivity {

    private static final long TIME_LIMIT = 1L << 52;
    private static final long SESSION_GAP = 30L * 60 * 1_000_000;
    private static final long HOUR = 3_600_000_000L;
    private static final long DAY = 24 * HOUR;

    private IndexedActivity() {
    }

    private static boolean inLimits(Instant from, Instant to) {
        return DuckDbEventStore.micros(from) > -TIME_LIMIT && DuckDbEventStore.micros(to) < TIME_LIMIT;
    }

    /** Whether the index answers the trend: counts, uniques or (of every event) sessions, no filters, no breakdown, one offset. */
    static boolean answers(TrendSpec spec) {
        boolean measure = switch (spec.measure()) {
            case TOTAL, UNIQUES -> true;
            case SESSIONS -> spec.event().equals(TrendSpec.ANY_EVENT);
            default -> false;
        };
        Scope scope = spec.scope();
        return measure && spec.filters().isEmpty() && spec.breakdown() == null && inLimits(scope.start(), scope.end())
                && Sql.fixedOffset(scope.zone(), scope.start(), scope.end()) != null;
    }

    // ------------------------------------------------------------ trend

    static List<TrendRow> trend(TimeIndex.Snapshot snapshot, TrendSpec spec, BooleanSupplier cancelled, Executor executor,
            int parallelism) {
        return trend(snapshot, spec, cancelled, executor, parallelism, PersonScan.PARALLEL_ENTRIES);
    }

    static List<TrendRow> trend(TimeIndex.Snapshot snapshot, TrendSpec spec, BooleanSupplier cancelled, Executor executor,
            int parallelism, long parallelEntries) {
        Scope scope = spec.scope();
        long offset = Sql.fixedOffset(scope.zone(), scope.start(), scope.end()).getTotalSeconds() * 1_000_000L;
        long start = DuckDbEventStore.micros(scope.start());
        long end = DuckDbEventStore.micros(scope.end());
        Buckets buckets = new Buckets(spec.interval(), scope, offset, start);
        boolean any = spec.event().equals(TrendSpec.ANY_EVENT);
        // the family of all events keeps a page flag below the time
        int shift = any ? 1 : 0;
        PersonScan scan = new PersonScan(shift, 0, start, end - 1);
        List<PersonScan.Source> sources = new ArrayList<>();
        scan.addSources(any ? snapshot.all() : snapshot.name(spec.event()), 0, sources);
        List<TrendCounter> counters = scan.scan(sources, snapshot.roots(), () -> new TrendCounter(spec.measure(), buckets, shift),
                executor, parallelism, parallelEntries, cancelled);
        long[] counts = new long[buckets.size()];
        for (TrendCounter counter : counters) {
            for (int b = 0; b < counts.length; b++) {
                counts[b] += counter.counts[b];
            }
        }
        List<TrendRow> rows = new ArrayList<>();
        for (int b = 0; b < counts.length; b++) {
            if (counts[b] > 0) {
                rows.add(new TrendRow(buckets.label(b), null, counts[b]));
            }
        }
        return rows;
    }

    /** Local time buckets (hour, day, ISO week, month) of the range, numbered from 0. */
    private static final class Buckets {

        private final boolean hourly;
        private final long offset;
        private final long firstHour;
        private final long firstDay;
        private final int[] dayBucket;
        private final List<LocalDateTime> labels = new ArrayList<>();

        Buckets(Interval interval, Scope scope, long offset, long start) {
            this.offset = offset;
            this.hourly = interval == Interval.HOUR;
            this.firstHour = Math.floorDiv(start + offset, HOUR);
            this.firstDay = Math.floorDiv(start + offset, DAY);
            LocalDate first = scope.from();
            int days = (int) (java.time.temporal.ChronoUnit.DAYS.between(scope.from(), scope.to()) + 1);
            if (hourly) {
                dayBucket = null;
                for (int h = 0; h < days * 24; h++) {
                    labels.add(first.atStartOfDay().plusHours(h));
                }
                return;
            }
            dayBucket = new int[days];
            LocalDate previous = null;
            for (int d = 0; d < days; d++) {
                LocalDate day = first.plusDays(d);
                LocalDate truncated = switch (interval) {
                    case DAY -> day;
                    case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                    case MONTH -> day.withDayOfMonth(1);
                    case HOUR -> throw new IllegalStateException("hour");
                };
                if (!truncated.equals(previous)) {
                    labels.add(truncated.atStartOfDay());
                    previous = truncated;
                }
                dayBucket[d] = labels.size() - 1;
            }
        }

        int size() {
            return labels.size();
        }

        LocalDateTime label(int bucket) {
            return labels.get(bucket);
        }

        int of(long time) {
            if (hourly) {
                return (int) (Math.floorDiv(time + offset, HOUR) - firstHour);
            }
            return dayBucket[(int) (Math.floorDiv(time + offset, DAY) - firstDay)];
        }
    }

    private static final class TrendCounter implements PersonScan.Visitor {

        final TrendSpec.Measure measure;
        final Buckets buckets;
        final int shift;
        final long[] counts;

        TrendCounter(TrendSpec.Measure measure, Buckets buckets, int shift) {
            this.measure = measure;
            this.buckets = buckets;
            this.shift = shift;
            this.counts = new long[buckets.size()];
        }

        @Override
        public void person(long[] keys, int size) {
            int last = -1;
            long previous = Long.MIN_VALUE;
            for (int i = 0; i < size; i++) {
                long time = keys[i] >> shift;
                int bucket = buckets.of(time);
                switch (measure) {
                    case TOTAL -> counts[bucket]++;
                    case UNIQUES -> {
                        if (bucket != last) {
                            counts[bucket]++;
                        }
                    }
                    default -> {
                        // a session counts once in each bucket it touches
                        boolean starts = i == 0 || time - previous >= SESSION_GAP;
                        if (starts || bucket != last) {
                            counts[bucket]++;
                        }
                    }
                }
                last = bucket;
                previous = time;
            }
        }
    }

    // ------------------------------------------------------------ metrics

    /** The activity figures of a range; orders, revenue and new persons come from elsewhere. */
    record Activity(long pageViews, long visitors, long activePersons, long sessions, long sessionMicros, long bounces,
            long personDays, long weeklyActive, long monthlyActive) {
    }

    /**
     * Whether the index answers the activity metrics of the range {@code [from, end)} (from = the
     * earlier of the scope's start and the 30-day window's start).
     */
    static boolean answersActivity(ZoneId zone, Instant from, Instant end) {
        return inLimits(from, end) && Sql.fixedOffset(zone, from, end) != null;
    }

    static Activity activity(TimeIndex.Snapshot snapshot, ZoneId zone, Instant from, Instant start, Instant weekStart, Instant monthStart,
            Instant end, BooleanSupplier cancelled, Executor executor, int parallelism, long parallelEntries) {
        long offset = Sql.fixedOffset(zone, from, end).getTotalSeconds() * 1_000_000L;
        PersonScan scan = new PersonScan(1, 0, DuckDbEventStore.micros(from), DuckDbEventStore.micros(end) - 1);
        List<PersonScan.Source> sources = new ArrayList<>();
        scan.addSources(snapshot.all(), 0, sources);
        long startMicros = DuckDbEventStore.micros(start);
        long weekMicros = DuckDbEventStore.micros(weekStart);
        long monthMicros = DuckDbEventStore.micros(monthStart);
        List<ActivityCounter> counters = scan.scan(sources, snapshot.roots(),
                () -> new ActivityCounter(offset, startMicros, weekMicros, monthMicros), executor, parallelism, parallelEntries, cancelled);
        long[] sum = new long[9];
        for (ActivityCounter counter : counters) {
            long[] values = {counter.pageViews, counter.visitors, counter.active, counter.sessions, counter.sessionMicros,
                counter.bounces, counter.personDays, counter.weekly, counter.monthly};
            for (int i = 0; i < sum.length; i++) {
                sum[i] += values[i];
            }
        }
        return new Activity(sum[0], sum[1], sum[2], sum[3], sum[4], sum[5], sum[6], sum[7], sum[8]);
    }

    private static final class ActivityCounter implements PersonScan.Visitor {

        final long offset;
        final long start;
        final long weekStart;
        final long monthStart;
        long pageViews;
        long visitors;
        long active;
        long sessions;
        long sessionMicros;
        long bounces;
        long personDays;
        long weekly;
        long monthly;

        ActivityCounter(long offset, long start, long weekStart, long monthStart) {
            this.offset = offset;
            this.start = start;
            this.weekStart = weekStart;
            this.monthStart = monthStart;
        }

        @Override
        public void person(long[] keys, int size) {
            boolean inRange = false;
            boolean page = false;
            boolean week = false;
            boolean month = false;
            long previous = 0;
            long lastDay = Long.MIN_VALUE;
            // a session's start is a bounce unless the next event follows within the gap
            boolean candidate = false;
            for (int i = 0; i < size; i++) {
                long time = keys[i] >> 1;
                month |= time >= monthStart;
                week |= time >= weekStart;
                if (time < start) {
                    continue;
                }
                if ((keys[i] & 1) != 0) {
                    pageViews++;
                    page = true;
                }
                long day = Math.floorDiv(time + offset, DAY);
                if (day != lastDay) {
                    personDays++;
                    lastDay = day;
                }
                if (!inRange || time - previous >= SESSION_GAP) {
                    if (candidate) {
                        bounces++;
                    }
                    sessions++;
                    candidate = true;
                }
                else {
                    sessionMicros += time - previous;
                    candidate = false;
                }
                inRange = true;
                previous = time;
            }
            if (candidate) {
                bounces++;
            }
            if (inRange) {
                active++;
            }
            if (page) {
                visitors++;
            }
            if (week) {
                weekly++;
            }
            if (month) {
                monthly++;
            }
        }
    }
}
