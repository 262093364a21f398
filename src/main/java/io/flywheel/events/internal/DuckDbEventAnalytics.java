package io.flywheel.events.internal;

import io.flywheel.events.Breakdown;
import io.flywheel.events.ChannelQuality;
import io.flywheel.events.CohortEvents;
import io.flywheel.events.MetricValues;
import io.flywheel.events.RfmScore;
import io.flywheel.events.EventAnalytics;
import io.flywheel.events.FunnelCounts;
import io.flywheel.events.FunnelResult;
import io.flywheel.events.FunnelSpec;
import io.flywheel.events.Interval;
import io.flywheel.events.QueryCancelledException;
import io.flywheel.events.QueryControl;
import io.flywheel.events.RetentionCohort;
import io.flywheel.events.RetentionSpec;
import io.flywheel.events.Scope;
import io.flywheel.events.TrendRow;
import io.flywheel.events.TrendSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.duckdb.DuckDBChunkedResult;
import org.duckdb.DuckDBDataChunkReader;
import org.duckdb.DuckDBPreparedStatement;
import org.duckdb.DuckDBReadableVector;

/**
 * Trends, funnels and retention inside DuckDB. Trends and retention are single SQL statements; the
 * funnel lets DuckDB filter, tag and sort the matching events and walks them in Java with the
 * {@code windowFunnel} state machine, reading DuckDB's column vectors directly.
 */
final class DuckDbEventAnalytics implements EventAnalytics {

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "query-timeout");
        thread.setDaemon(true);
        return thread;
    });

    /** Threads that walk parts of a large indexed funnel next to the query's own. */
    private static final int WALKERS = Runtime.getRuntime().availableProcessors();
    private static final ExecutorService WALK = Executors.newFixedThreadPool(Math.max(1, WALKERS - 1), runnable -> {
        Thread thread = new Thread(runnable, "funnel-walk");
        thread.setDaemon(true);
        return thread;
    });

    private final DuckDbEventStore store;

    DuckDbEventAnalytics(DuckDbEventStore store) {
        this.store = store;
    }

    // ---------------------------------------------------------------- trend

    @Override
    public List<TrendRow> trend(TrendSpec spec, QueryControl control) {
        if (IndexedActivity.answers(spec)) {
            TimeIndex.Snapshot snapshot = store.timeIndex().snapshot(spec.scope().projectId());
            if (snapshot != null) {
                return indexed(control, () -> IndexedActivity.trend(snapshot, spec, control::isCancelled, WALK, WALKERS));
            }
        }
        return trendBySql(spec, control);
    }

    /** The trend in DuckDB; any trend. */
    List<TrendRow> trendBySql(TrendSpec spec, QueryControl control) {
        Scope scope = spec.scope();
        boolean hourly = fromHourlyActivity(spec);
        String local = hourly ? Sql.localTime("e.hour", scope.zone(), scope.start(), scope.end())
                : Sql.localTime("e.ts", scope.zone(), scope.start(), scope.end());
        Sql sql = new Sql();
        sql.append("WITH base AS (SELECT ")
                .append("date_trunc('" + unit(spec.interval()) + "', " + local + ") AS bucket, ")
                .append(group(spec.breakdown(), "grp")).append(", ")
                .append(Sql.PERSON + " AS person, ")
                .append((spec.measure().needsProperty() ? Sql.number(spec.property()) : hourly ? "e.events" : "NULL") + " AS val");
        if (spec.measure() == TrendSpec.Measure.SESSIONS) {
            sql.append(", session");
        }
        sql.append(" FROM ");
        if (spec.measure() == TrendSpec.Measure.SESSIONS) {
            sessionised(sql, spec);
        }
        else {
            sql.append((hourly ? "person_hours e " : "events e ") + Sql.MERGES);
        }
        touches(sql, spec.breakdown(), scope.projectId());
        sql.append(" WHERE e.project_id = ? AND " + (hourly ? "e.hour" : "e.ts") + " >= ? AND " + (hourly ? "e.hour" : "e.ts") + " < ?",
                scope.projectId(), scope.start(), scope.end());
        if (!spec.event().equals(TrendSpec.ANY_EVENT)) {
            sql.append(" AND e.event = ?", spec.event());
        }
        sql.filters(spec.filters());
        if (spec.measure().needsProperty()) {
            sql.append(" AND val IS NOT NULL");
        }
        sql.append(")");
        String aggregate = hourly && spec.measure() == TrendSpec.Measure.TOTAL ? "CAST(sum(val) AS DOUBLE)" : aggregate(spec.measure());
        if (spec.breakdown() == null) {
            sql.append(" SELECT bucket, NULL AS g, " + aggregate + " FROM base GROUP BY bucket ORDER BY bucket");
        }
        else {
            List<String> fixed = spec.breakdown().groups();
            if (fixed.isEmpty()) {
                sql.append(", top AS (SELECT grp FROM base GROUP BY grp ORDER BY " + aggregate + " DESC, grp LIMIT "
                        + spec.breakdown().limit() + ")");
            }
            else {
                sql.append(", top AS (SELECT unnest([" + Sql.placeholders(fixed.size()) + "]::VARCHAR[]) AS grp)", fixed.toArray());
            }
            sql.append(" SELECT bucket, CASE WHEN grp IN (SELECT grp FROM top) THEN grp ELSE '" + Breakdown.OTHER + "' END AS g, "
                    + aggregate + " FROM base GROUP BY bucket, g ORDER BY bucket, g");
        }
        return run(sql, control, result -> {
            List<TrendRow> rows = new ArrayList<>();
            while (result.next()) {
                double value = result.getDouble(3);
                if (result.wasNull()) {
                    value = 0;
                }
                rows.add(new TrendRow(result.getObject(1, LocalDateTime.class), result.getString(2), value));
            }
            return rows;
        });
    }

    /**
     * Whether a trend can be answered from the hourly activity table: every event, no filters, a count
     * of events or persons, and a zone whose offset stays the same whole number of hours over the range.
     */
    private static boolean fromHourlyActivity(TrendSpec spec) {
        return spec.event().equals(TrendSpec.ANY_EVENT) && spec.filters().isEmpty()
                && (spec.measure() == TrendSpec.Measure.TOTAL || spec.measure() == TrendSpec.Measure.UNIQUES)
                && (spec.breakdown() == null || spec.breakdown().kind() == Breakdown.Kind.FIRST_TOUCH_CHANNEL)
                && Sql.wholeHourOffset(spec.scope().zone(), spec.scope().start(), spec.scope().end());
    }

    /** Events of the project with a session number per person (a gap of 30 minutes or more starts a new session). */
    private static void sessionised(Sql sql, TrendSpec spec) {
        Scope scope = spec.scope();
        // person_id is replaced by the merged person, so the outer query's person expression needs no second join
        sql.append("(SELECT *, SUM(CASE WHEN previous IS NULL OR ts - previous >= INTERVAL 30 MINUTE THEN 1 ELSE 0 END) "
                + "OVER (PARTITION BY person_id ORDER BY ts ROWS UNBOUNDED PRECEDING) AS session FROM ("
                + "SELECT e.* REPLACE (" + Sql.PERSON + " AS person_id), "
                + "lag(e.ts) OVER (PARTITION BY " + Sql.PERSON + " ORDER BY e.ts) AS previous FROM events e " + Sql.MERGES
                + " WHERE e.project_id = ? AND e.ts >= ? AND e.ts < ?)) e", scope.projectId(), scope.start(), scope.end());
        sql.append(" LEFT JOIN (SELECT NULL::BIGINT AS root_id) m ON FALSE");
    }

    private static String aggregate(TrendSpec.Measure measure) {
        return switch (measure) {
            case TOTAL -> "CAST(count(*) AS DOUBLE)";
            case UNIQUES -> "CAST(count(DISTINCT person) AS DOUBLE)";
            case SESSIONS -> "CAST(count(DISTINCT (person, session)) AS DOUBLE)";
            case SUM -> "sum(val)";
            case AVG -> "avg(val)";
            case MIN -> "min(val)";
            case MAX -> "max(val)";
        };
    }

    private static String unit(Interval interval) {
        return interval.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The breakdown group expression, named {@code alias}; {@code $none} for missing values. */
    private static String group(Breakdown breakdown, String alias) {
        if (breakdown == null) {
            return "NULL AS " + alias;
        }
        String expression = switch (breakdown.kind()) {
            case EVENT_PROPERTY -> Sql.property(breakdown.name());
            case FIRST_TOUCH_CHANNEL -> "touch.channel";
        };
        return "COALESCE(" + expression + ", '" + Breakdown.NONE + "') AS " + alias;
    }

    /** Joins each person's first-touch channel when the breakdown needs it. */
    private static void touches(Sql sql, Breakdown breakdown, long projectId) {
        if (breakdown == null || breakdown.kind() != Breakdown.Kind.FIRST_TOUCH_CHANNEL) {
            return;
        }
        sql.append(" LEFT JOIN (" + PEOPLE + ") touch ON touch.person = " + Sql.PERSON, projectId);
    }

    /**
     * Merged persons from the persons table: first seen and first-touch channel over every raw
     * person merged into each root. Columns: person, first_ts, channel.
     */
    static final String PEOPLE = "SELECT COALESCE(m.root_id, p.person_id) AS person, min(p.first_seen) AS first_ts, "
            + "arg_min(p.first_touch_channel, p.first_touch_at) FILTER (WHERE p.first_touch_channel IS NOT NULL) AS channel "
            + "FROM " + DuckDbEventStore.PERSONS_NOW + " p LEFT JOIN person_merges m ON m.project_id = p.project_id AND m.person_id = p.person_id "
            + "WHERE p.project_id = ? GROUP BY 1";

    // ---------------------------------------------------------------- funnel

    @Override
    public FunnelResult funnel(FunnelSpec spec, QueryControl control) {
        if (IndexedFunnel.answers(spec)) {
            TimeIndex.Snapshot snapshot = store.timeIndex().snapshot(spec.scope().projectId());
            if (snapshot != null) {
                return indexed(control, () -> IndexedFunnel.run(snapshot, spec, control::isCancelled, WALK, WALKERS));
            }
        }
        return funnelBySql(spec, control);
    }

    /** The funnel with DuckDB filtering and tagging the events and Java walking them; any funnel. */
    FunnelResult funnelBySql(FunnelSpec spec, QueryControl control) {
        Scope scope = spec.scope();
        int steps = spec.steps().size();
        Instant end = scope.end();
        // Each distinct step event name joins with its index and the steps it always matches; steps with filters
        // add their bit only where the filters hold; only step 1 must fall inside the days. A join on a small
        // table of names is cheaper in DuckDB than an IN list plus a CASE per step.
        List<String> names = spec.steps().stream().map(FunnelSpec.Step::event).distinct().toList();
        int all = (1 << steps) - 1;
        Sql sql = new Sql();
        sql.append("SELECT person, t, mask, grp FROM (SELECT " + Sql.PERSON + " AS person, epoch_us(e.ts) AS t, ((s.bits");
        for (int i = 0; i < steps; i++) {
            FunnelSpec.Step step = spec.steps().get(i);
            if (!step.filters().isEmpty()) {
                sql.append(" | (CASE WHEN s.idx = " + names.indexOf(step.event())).filters(step.filters()).append(" THEN " + (1 << i) + " ELSE 0 END)");
            }
        }
        sql.append(") & (CASE WHEN e.ts < ? THEN " + all + " ELSE " + (all & ~1) + " END)) AS mask, ", end)
                .append(group(spec.breakdown(), "grp"))
                .append(" FROM events e JOIN (VALUES ");
        for (int n = 0; n < names.size(); n++) {
            int bits = 0;
            for (int i = 0; i < steps; i++) {
                FunnelSpec.Step step = spec.steps().get(i);
                if (step.event().equals(names.get(n)) && step.filters().isEmpty()) {
                    bits |= 1 << i;
                }
            }
            sql.append(n == 0 ? "" : ", ").append("(?, " + n + ", " + bits + ")", names.get(n));
        }
        sql.append(") s(name, idx, bits) ON e.event = s.name " + Sql.MERGES);
        touches(sql, spec.breakdown(), scope.projectId());
        sql.append(" WHERE e.project_id = ? AND e.ts >= ? AND e.ts <= ?", scope.projectId(), scope.start(), end.plus(spec.window()))
                .append(") WHERE mask <> 0");
        long window = spec.window().toNanos() / 1_000;
        boolean grouped = spec.breakdown() != null;
        return execute(sql, control, statement -> walkFunnel(statement, steps, window, grouped, spec.breakdown()));
    }

    /** A question answered over the time index, with the control's time limit and cancellation. */
    private static <T> T indexed(QueryControl control, java.util.function.Supplier<T> work) {
        if (control.isCancelled()) {
            throw new QueryCancelledException("the query was cancelled", false);
        }
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> timer = TIMER.schedule(() -> {
            timedOut.set(true);
            control.cancel();
        }, control.timeout().toMillis(), TimeUnit.MILLISECONDS);
        try {
            return work.get();
        }
        catch (PersonScan.Cancelled e) {
            throw new QueryCancelledException(timedOut.get()
                    ? "the query ran longer than its limit of " + control.timeout().toSeconds() + " s"
                    : "the query was cancelled", timedOut.get());
        }
        finally {
            timer.cancel(false);
            control.finished();
        }
    }

    private FunnelResult walkFunnel(DuckDBPreparedStatement statement, int steps, long window, boolean grouped,
            Breakdown breakdown) throws SQLException {
        FunnelRows rows = new FunnelRows();
        PersonNumbers persons = new PersonNumbers();
        Map<String, Integer> groupIds = new HashMap<>();
        List<String> groupNames = new ArrayList<>();
        try (DuckDBChunkedResult result = statement.query()) {
            while (result.nextChunk()) {
                DuckDBDataChunkReader chunk = result.chunk();
                DuckDBReadableVector personColumn = chunk.vector(0);
                DuckDBReadableVector timeColumn = chunk.vector(1);
                DuckDBReadableVector maskColumn = chunk.vector(2);
                DuckDBReadableVector groupColumn = grouped ? chunk.vector(3) : null;
                long count = chunk.rowCount();
                for (long row = 0; row < count; row++) {
                    int group = -1;
                    if (grouped) {
                        group = groupIds.computeIfAbsent(groupColumn.getString(row), name -> {
                            groupNames.add(name);
                            return groupNames.size() - 1;
                        });
                    }
                    rows.add(persons.number(personColumn.getLong(row)), timeColumn.getLong(row), maskColumn.getInt(row), group);
                }
            }
        }
        FunnelWalker walker = new FunnelWalker(steps, window);
        FunnelAccumulator total = new FunnelAccumulator(steps);
        Map<Integer, FunnelAccumulator> accumulators = new HashMap<>();
        rows.visit(persons.size(), (times, masks, groups, from, to) -> {
            walker.reset();
            for (int i = from; i < to; i++) {
                walker.add(times[i], masks[i], groups[i]);
            }
            int level = walker.level();
            if (level > 0) {
                total.add(level, walker.path(level));
                if (grouped) {
                    accumulators.computeIfAbsent(walker.group(), key -> new FunnelAccumulator(steps)).add(level, walker.path(level));
                }
            }
        });
        List<FunnelCounts> counts = new ArrayList<>();
        accumulators.forEach((group, accumulator) -> counts.add(accumulator.counts(group < 0 ? null : groupNames.get(group))));
        counts.sort(Comparator.comparingLong((FunnelCounts c) -> c.reached()[0]).reversed().thenComparing(FunnelCounts::group,
                Comparator.nullsFirst(Comparator.naturalOrder())));
        return new FunnelResult(total.counts(null), grouped ? limit(counts, breakdown.limit(), steps) : List.of());
    }

    private static double[] emptyMedians(int steps) {
        double[] medians = new double[steps];
        Arrays.fill(medians, Double.NaN);
        medians[0] = 0;
        return medians;
    }

    /** Keeps the largest groups and folds the rest into {@link Breakdown#OTHER} (medians are not foldable and are left out). */
    private static List<FunnelCounts> limit(List<FunnelCounts> counts, int limit, int steps) {
        if (counts.size() <= limit) {
            return counts;
        }
        List<FunnelCounts> kept = new ArrayList<>(counts.subList(0, limit));
        long[] other = new long[steps];
        for (FunnelCounts rest : counts.subList(limit, counts.size())) {
            for (int i = 0; i < steps; i++) {
                other[i] += rest.reached()[i];
            }
        }
        kept.add(new FunnelCounts(Breakdown.OTHER, other, emptyMedians(steps)));
        return kept;
    }

    // ---------------------------------------------------------------- retention

    @Override
    public List<RetentionCohort> retention(RetentionSpec spec, QueryControl control) {
        Scope scope = spec.scope();
        Instant asOfEnd = spec.asOf().plusDays(1).atStartOfDay(scope.zone()).toInstant();
        Instant cohortEnd = scope.end();
        String unit = unit(spec.period());
        String localFirst = Sql.localTime("first_ts", scope.zone(), scope.start(), asOfEnd);
        String local = Sql.localTime("e.ts", scope.zone(), scope.start(), asOfEnd);
        // returns of "any event" without filters come from the hourly activity table
        boolean hourly = spec.returnEvent().equals(TrendSpec.ANY_EVENT) && spec.returnFilters().isEmpty()
                && Sql.wholeHourOffset(scope.zone(), scope.start(), asOfEnd);
        Sql sql = new Sql();
        sql.append("WITH firsts AS (SELECT " + Sql.PERSON + " AS person, min(e.ts) AS first_ts FROM events e " + Sql.MERGES)
                .append(" WHERE e.project_id = ? AND e.ts < ? AND e.event = ?", scope.projectId(), cohortEnd, spec.cohortEvent())
                .filters(spec.cohortFilters())
                .append(" GROUP BY 1), cohort AS (SELECT person, CAST(date_trunc('" + unit + "', " + localFirst + ") AS DATE) AS start FROM firsts")
                .append(" WHERE first_ts >= ?)", scope.start())
                .append(", returns AS (SELECT DISTINCT " + Sql.PERSON + " AS person, CAST(date_trunc('" + unit + "', "
                        + (hourly ? Sql.localTime("e.hour", scope.zone(), scope.start(), asOfEnd) : local)
                        + ") AS DATE) AS period FROM " + (hourly ? "person_hours" : "events") + " e " + Sql.MERGES)
                .append(" WHERE e.project_id = ? AND " + (hourly ? "e.hour" : "e.ts") + " >= ? AND " + (hourly ? "e.hour" : "e.ts") + " < ?",
                        scope.projectId(), scope.start(), asOfEnd);
        if (!spec.returnEvent().equals(TrendSpec.ANY_EVENT)) {
            sql.append(" AND e.event = ?", spec.returnEvent());
        }
        sql.filters(spec.returnFilters())
                .append(" AND " + Sql.PERSON + " IN (SELECT person FROM cohort))")
                .append(" SELECT c.start, -1 AS k, count(*) FROM cohort c GROUP BY c.start")
                .append(" UNION ALL SELECT c.start, date_diff('" + unit + "', c.start, r.period) AS k, count(*) FROM cohort c")
                .append(" JOIN returns r ON r.person = c.person AND r.period >= c.start")
                .append(" WHERE date_diff('" + unit + "', c.start, r.period) < " + spec.periods() + " GROUP BY 1, 2 ORDER BY 1, 2");
        Map<LocalDate, long[]> cells = new LinkedHashMap<>();
        Map<LocalDate, Long> sizes = new HashMap<>();
        run(sql, control, result -> {
            while (result.next()) {
                LocalDate start = result.getObject(1, LocalDate.class);
                int k = result.getInt(2);
                long count = result.getLong(3);
                if (k < 0) {
                    sizes.put(start, count);
                    cells.computeIfAbsent(start, key -> new long[spec.periods()]);
                }
                else {
                    cells.computeIfAbsent(start, key -> new long[spec.periods()])[k] = count;
                }
            }
            return null;
        });
        List<RetentionCohort> cohorts = new ArrayList<>();
        cells.keySet().stream().sorted().forEach(start -> {
            int available = availablePeriods(start, spec.period(), spec.periods(), spec.asOf());
            cohorts.add(new RetentionCohort(start, sizes.getOrDefault(start, 0L), Arrays.copyOf(cells.get(start), available)));
        });
        return cohorts;
    }

    /** How many periods of a cohort have begun by {@code asOf}. */
    static int availablePeriods(LocalDate start, Interval period, int periods, LocalDate asOf) {
        int available = 0;
        while (available < periods && !periodStart(start, period, available).isAfter(asOf)) {
            available++;
        }
        return available;
    }

    private static LocalDate periodStart(LocalDate start, Interval period, int k) {
        return switch (period) {
            case DAY -> start.plusDays(k);
            case WEEK -> start.plusWeeks(k);
            case MONTH -> start.plusMonths(k);
            case HOUR -> throw new IllegalArgumentException("hour");
        };
    }

    // ---------------------------------------------------------------- metrics

    @Override
    public MetricValues metrics(Scope scope, QueryControl control) {
        Instant start = scope.start();
        Instant end = scope.end();
        Instant monthStart = scope.to().minusDays(29).atStartOfDay(scope.zone()).toInstant();
        Instant weekStart = scope.to().minusDays(6).atStartOfDay(scope.zone()).toInstant();
        Instant from = monthStart.isBefore(start) ? monthStart : start;
        TimeIndex.Snapshot snapshot = IndexedActivity.answersActivity(scope.zone(), from, end)
                ? store.timeIndex().snapshot(scope.projectId()) : null;
        if (snapshot == null) {
            return metricsBySql(scope, control);
        }
        IndexedActivity.Activity a = indexed(control, () -> IndexedActivity.activity(snapshot, scope.zone(), from, start, weekStart,
                monthStart, end, control::isCancelled, WALK, WALKERS, PersonScan.PARALLEL_ENTRIES));
        // from the orders table, not every event; the refunded orders are read once and joined, rather than tested twice with IN
        String table = store.orderEvents();
        Sql orders = new Sql().append("WITH refunded AS (SELECT DISTINCT order_id FROM " + table + " WHERE project_id = ? "
                        + "AND event = 'Order Refunded' AND order_id IS NOT NULL), "
                        + "o AS (SELECT e.revenue, " + Sql.PERSON + " AS person, r.order_id IS NOT NULL AS refunded FROM " + table + " e " + Sql.MERGES
                        + " LEFT JOIN refunded r ON r.order_id = e.order_id", scope.projectId())
                .append(" WHERE e.project_id = ? AND e.ts >= ? AND e.ts < ? AND e.event = 'Order Completed') ", scope.projectId(), start, end)
                .append("SELECT count(*), count(*) FILTER (refunded), coalesce(sum(revenue) FILTER (NOT refunded), 0), count(DISTINCT person) FROM o");
        double[] o = run(orders, control, result -> row(result, 4));
        double[] n = run(newPersons(scope), control, result -> row(result, 1));
        long days = java.time.temporal.ChronoUnit.DAYS.between(scope.from(), scope.to()) + 1;
        long sessions = a.sessions();
        return new MetricValues(a.pageViews(), a.visitors(), a.activePersons(), sessions,
                sessions == 0 ? 0 : a.sessionMicros() / 1_000_000d / sessions, sessions == 0 ? 0 : (double) a.bounces() / sessions,
                (double) a.personDays() / days, a.weeklyActive(), a.monthlyActive(), (long) n[0], (long) o[0], (long) o[1], o[2], (long) o[3]);
    }

    private static Sql newPersons(Scope scope) {
        return new Sql().append("SELECT count(*) FROM (" + PEOPLE + ") WHERE first_ts >= ? AND first_ts < ?",
                scope.projectId(), scope.start(), scope.end());
    }

    /** Every metric in DuckDB. */
    MetricValues metricsBySql(Scope scope, QueryControl control) {
        Instant start = scope.start();
        Instant end = scope.end();
        Instant monthStart = scope.to().minusDays(29).atStartOfDay(scope.zone()).toInstant();
        Instant weekStart = scope.to().minusDays(6).atStartOfDay(scope.zone()).toInstant();
        String local = Sql.localTime("e.ts", scope.zone(), start, end);
        long days = java.time.temporal.ChronoUnit.DAYS.between(scope.from(), scope.to()) + 1;
        String range = " FROM events e " + Sql.MERGES + " WHERE e.project_id = ? AND e.ts >= ? AND e.ts < ?";
        String refunded = "(SELECT DISTINCT order_id FROM events WHERE project_id = ? AND event = 'Order Refunded' AND order_id IS NOT NULL)";
        // one pass for the counts, one sorted pass for the sessions, one for the active persons of the last 7 and 30 days
        Sql counts = new Sql().append("SELECT count(*) FILTER (e.type IN ('page', 'screen')), "
                        + "count(DISTINCT " + Sql.PERSON + ") FILTER (e.type IN ('page', 'screen')), count(DISTINCT " + Sql.PERSON + "), "
                        + "count(DISTINCT (" + Sql.PERSON + ", CAST(" + local + " AS DATE))), "
                        + "count(*) FILTER (e.event = 'Order Completed'), "
                        + "count(*) FILTER (e.event = 'Order Completed' AND e.order_id IN " + refunded + "), "
                        + "coalesce(sum(e.revenue) FILTER (e.event = 'Order Completed' AND (e.order_id IS NULL OR e.order_id NOT IN " + refunded + ")), 0), "
                        + "count(DISTINCT " + Sql.PERSON + ") FILTER (e.event = 'Order Completed')", scope.projectId(), scope.projectId())
                .append(range, scope.projectId(), start, end);
        Sql sessions = new Sql().append("SELECT count(*) FILTER (before IS NULL OR before >= 1800000000), "
                        + "coalesce(sum(before) FILTER (before < 1800000000), 0), "
                        + "count(*) FILTER ((before IS NULL OR before >= 1800000000) AND (after IS NULL OR after >= 1800000000)) "
                        + "FROM (SELECT t - lag(t) OVER w AS before, lead(t) OVER w - t AS after FROM (SELECT " + Sql.PERSON
                        + " AS person, epoch_us(e.ts) AS t")
                .append(range, scope.projectId(), start, end)
                .append(") WINDOW w AS (PARTITION BY person ORDER BY t))");
        Sql active = Sql.wholeHourOffset(scope.zone(), monthStart, end)
                ? new Sql().append("SELECT count(DISTINCT " + Sql.PERSON + ") FILTER (e.hour >= ?), count(DISTINCT " + Sql.PERSON + ")", weekStart)
                        .append(" FROM person_hours e " + Sql.MERGES + " WHERE e.project_id = ? AND e.hour >= ? AND e.hour < ?",
                                scope.projectId(), monthStart, end)
                : new Sql().append("SELECT count(DISTINCT " + Sql.PERSON + ") FILTER (e.ts >= ?), count(DISTINCT " + Sql.PERSON + ")", weekStart)
                        .append(range, scope.projectId(), monthStart, end);
        double[] c = run(counts, control, result -> row(result, 8));
        double[] s = run(sessions, control, result -> row(result, 3));
        double[] a = run(active, control, result -> row(result, 2));
        double[] n = run(newPersons(scope), control, result -> row(result, 1));
        long sessionCount = (long) s[0];
        return new MetricValues((long) c[0], (long) c[1], (long) c[2], sessionCount,
                sessionCount == 0 ? 0 : s[1] / 1_000_000d / sessionCount, sessionCount == 0 ? 0 : s[2] / sessionCount,
                c[3] / days, (long) a[0], (long) a[1], (long) n[0], (long) c[4], (long) c[5], c[6], (long) c[7]);
    }

    private static double[] row(ResultSet result, int columns) throws SQLException {
        result.next();
        double[] values = new double[columns];
        for (int i = 0; i < columns; i++) {
            values[i] = result.getDouble(i + 1);
        }
        return values;
    }

    // ---------------------------------------------------------------- channels

    @Override
    public List<ChannelQuality> channels(Scope scope, CohortEvents cohortEvents, QueryControl control) {
        Instant asOfEnd = cohortEvents.asOf().plusDays(1).atStartOfDay(scope.zone()).toInstant();
        String localFirst = Sql.localTime("first_ts", scope.zone(), scope.start(), asOfEnd);
        String local = Sql.localTime("e.ts", scope.zone(), scope.start(), asOfEnd);
        Sql sql = new Sql();
        sql.append("WITH ev AS (SELECT " + Sql.PERSON + " AS person, e.ts, e.event, e.channel, e.revenue, e.order_id FROM events e "
                        + Sql.MERGES + " WHERE e.project_id = ? AND e.ts < ?), ", scope.projectId(), asOfEnd)
                .append("people AS (" + PEOPLE + "), ", scope.projectId())
                .append("cohort AS (SELECT person, coalesce(channel, '" + Breakdown.NONE + "') AS channel, CAST(" + localFirst
                        + " AS DATE) AS first_day FROM people WHERE first_ts >= ? AND first_ts < ?), ", scope.start(), scope.end())
                .append("refunded AS (SELECT DISTINCT order_id FROM ev WHERE event = 'Order Refunded' AND order_id IS NOT NULL), ")
                .append("facts AS (SELECT c.person, c.channel, c.first_day, ")
                .append("bool_or(e.event = ?) AS signed, bool_or(e.event = ?) AS activated, ",
                        cohortEvents.signUpEvent(), cohortEvents.activationEvent())
                .append("bool_or(CAST(" + local.replace("e.ts", "e.ts") + " AS DATE) = c.first_day + 7) AS retained, ")
                .append("bool_or(e.event = 'Order Completed') AS paid, ")
                .append("sum(e.revenue) FILTER (WHERE e.event = 'Order Completed' AND (e.order_id IS NULL OR e.order_id NOT IN "
                        + "(SELECT order_id FROM refunded))) AS revenue ")
                .append("FROM cohort c JOIN ev e ON e.person = c.person GROUP BY 1, 2, 3) ")
                .append("SELECT channel, count(*), count(*) FILTER (signed), count(*) FILTER (activated), count(*) FILTER (retained), ")
                .append("count(*) FILTER (first_day + 7 <= ?), count(*) FILTER (paid), coalesce(sum(revenue), 0) ", cohortEvents.asOf())
                .append("FROM facts GROUP BY channel ORDER BY 2 DESC, 1");
        return run(sql, control, result -> {
            List<ChannelQuality> rows = new ArrayList<>();
            while (result.next()) {
                rows.add(new ChannelQuality(result.getString(1), result.getLong(2), result.getLong(3), result.getLong(4),
                        result.getLong(5), result.getLong(6), result.getLong(7), result.getDouble(8)));
            }
            return rows;
        });
    }

    @Override
    public long personsWhoDid(Scope scope, String event, QueryControl control) {
        Sql sql = new Sql().append("SELECT count(DISTINCT " + Sql.PERSON + ") FROM events e " + Sql.MERGES)
                .append(" WHERE e.project_id = ? AND e.ts >= ? AND e.ts < ? AND e.event = ?", scope.projectId(), scope.start(), scope.end(), event);
        return run(sql, control, result -> {
            result.next();
            return result.getLong(1);
        });
    }

    // ---------------------------------------------------------------- RFM

    @Override
    public void rfm(Scope scope, QueryControl control, java.util.function.Consumer<RfmScore> consumer) {
        Sql sql = rfmScores(scope, store.orderEvents());
        run(sql, control, result -> {
            while (result.next()) {
                consumer.accept(new RfmScore(result.getLong(1), result.getString(2), result.getLong(3), result.getLong(4), result.getDouble(5),
                        result.getInt(6), result.getInt(7), result.getInt(8), result.getBoolean(9), result.getBoolean(10), result.getBoolean(11)));
            }
            return null;
        });
    }

    /**
     * Every buyer's RFM figures and scores over the completed orders of the scope, as of its last day.
     * Columns: person, user_id, recency, frequency, monetary, r, f, m, recency_above, frequency_above,
     * monetary_above. Person sets evaluate RFM conditions with the same statement.
     */
    /**
     * The same scores as {@link #rfmScores}, ranked among every buyer, but only for the persons of
     * {@code only} (a relation with a column {@code person}): instead of three window sorts of every
     * buyer, each rank comes from the counts of buyers per distinct value (the number strictly before
     * a value is what {@code percent_rank} divides by the buyers but one).
     */
    static Sql rfmScoresOf(Scope scope, String events, String only) {
        return rfmRanksOf(new Sql().append("WITH ").include(buyerFigures(scope, events, null)), only);
    }

    /**
     * The scores of {@link #rfmScoresOf} from kept figures: {@code figures} opens a {@code WITH}
     * that defines {@code p} (person, user_id, recency, frequency, monetary) for every buyer.
     */
    static Sql rfmRanksOf(Sql figures, String only) {
        Sql sql = figures
                .append(", n AS (SELECT count(*) AS n, avg(recency) AS ar, avg(frequency) AS af, avg(monetary) AS am FROM p), ")
                .append("mine AS (SELECT * FROM p WHERE person IN (SELECT person FROM " + only + ")), ")
                .append("rb AS (SELECT recency, sum(c) OVER (ORDER BY recency DESC) - c AS before FROM "
                        + "(SELECT recency, count(*) AS c FROM p GROUP BY 1)), ")
                .append("fb AS (SELECT frequency, sum(c) OVER (ORDER BY frequency) - c AS before FROM (SELECT frequency, count(*) AS c FROM p GROUP BY 1)), ")
                .append("mb AS (SELECT monetary, sum(c) OVER (ORDER BY monetary) - c AS before FROM (SELECT monetary, count(*) AS c FROM p GROUP BY 1)) ")
                .append("SELECT mine.person, mine.user_id, mine.recency, mine.frequency, mine.monetary, ")
                .append("least(5, 1 + floor(" + rank("rb") + " * 5)) AS r, ")
                .append("least(5, 1 + floor(" + rank("fb") + " * 5)) AS f, ")
                .append("least(5, 1 + floor(" + rank("mb") + " * 5)) AS m, ")
                .append("mine.recency < n.ar AS recency_above, mine.frequency > n.af AS frequency_above, mine.monetary > n.am AS monetary_above ")
                .append("FROM mine CROSS JOIN n JOIN rb ON rb.recency = mine.recency JOIN fb ON fb.frequency = mine.frequency "
                        + "JOIN mb ON mb.monetary = mine.monetary");
        return sql;
    }

    /** {@code percent_rank} from the buyers strictly before: 0 with a single buyer. */
    private static String rank(String counts) {
        return "(CASE WHEN n.n > 1 THEN CAST(" + counts + ".before AS DOUBLE) / CAST(n.n - 1 AS DOUBLE) ELSE 0 END)";
    }

    /**
     * The figures of every buyer as {@link #rfmScores} ranks them (person, user_id, recency,
     * frequency, monetary), or with {@code persons} (a relation with a column {@code person_id})
     * only of the buyers with an order of one of those ids; refunds count from every person.
     */
    static Sql rfmFigures(Scope scope, String events, String persons) {
        return new Sql().append("WITH ").include(buyerFigures(scope, events, persons)).append(" SELECT * FROM p");
    }

    /**
     * {@code refunded}, {@code buyers} and {@code p} (person, user_id, recency, frequency, monetary) of {@link #rfmScores};
     * with {@code persons}, only the buyers with an order of one of its {@code person_id}s.
     */
    private static Sql buyerFigures(Scope scope, String events, String persons) {
        String local = Sql.localTime("last_ts", scope.zone(), scope.start(), scope.end());
        return new Sql().append("refunded AS (SELECT DISTINCT order_id FROM " + events + " WHERE project_id = ? AND event = 'Order Refunded' "
                        + "AND order_id IS NOT NULL), ", scope.projectId())
                .append("buyers AS (SELECT " + Sql.PERSON + " AS person, max(e.ts) AS last_ts, count(*) AS frequency, "
                        + "coalesce(sum(e.revenue), 0) AS monetary, max(e.user_id) AS user_id FROM " + events + " e " + Sql.MERGES)
                .append(" WHERE e.project_id = ? AND e.ts >= ? AND e.ts < ? AND e.event = 'Order Completed' ",
                        scope.projectId(), scope.start(), scope.end())
                .append("AND (e.order_id IS NULL OR e.order_id NOT IN (SELECT order_id FROM refunded)) "
                        + (persons == null ? "" : "AND e.person_id IN (SELECT person_id FROM " + persons + ") ") + "GROUP BY 1), ")
                .append("p AS (SELECT person, user_id, date_diff('day', CAST(" + local + " AS DATE), ?) AS recency, frequency, monetary FROM buyers)",
                        scope.to());
    }

    /** Over a relation with the columns of {@code events} that it reads and at least every order and refund (events, order_events, a copy). */
    static Sql rfmScores(Scope scope, String events) {
        return new Sql().append("WITH ").include(buyerFigures(scope, events, null))
                .append(" SELECT person, user_id, recency, frequency, monetary, ")
                .append("least(5, 1 + floor(percent_rank() OVER (ORDER BY recency DESC) * 5)) AS r, ")
                .append("least(5, 1 + floor(percent_rank() OVER (ORDER BY frequency) * 5)) AS f, ")
                .append("least(5, 1 + floor(percent_rank() OVER (ORDER BY monetary) * 5)) AS m, ")
                .append("recency < avg(recency) OVER () AS recency_above, frequency > avg(frequency) OVER () AS frequency_above, ")
                .append("monetary > avg(monetary) OVER () AS monetary_above FROM p");
    }

    @Override
    public List<EventName> eventNames(long projectId, int limit) {
        Sql sql = new Sql().append("SELECT event, count(*) FROM events WHERE project_id = ? GROUP BY event ORDER BY 2 DESC, 1 LIMIT ?",
                projectId, limit);
        return run(sql, QueryControl.withTimeout(Duration.ofSeconds(30)), result -> {
            List<EventName> names = new ArrayList<>();
            while (result.next()) {
                names.add(new EventName(result.getString(1), result.getLong(2)));
            }
            return names;
        });
    }

    // ---------------------------------------------------------------- running

    @FunctionalInterface
    interface ResultReader<T> {
        T read(ResultSet result) throws SQLException;
    }

    @FunctionalInterface
    interface StatementReader<T> {
        T read(DuckDBPreparedStatement statement) throws SQLException;
    }

    private <T> T run(Sql sql, QueryControl control, ResultReader<T> reader) {
        return run(store, sql, control, reader);
    }

    private <T> T execute(Sql sql, QueryControl control, StatementReader<T> reader) {
        return execute(store, sql, control, reader);
    }

    /** Runs one statement on a reader of {@code store} with the control's time limit and cancellation. */
    static <T> T run(DuckDbEventStore store, Sql sql, QueryControl control, ResultReader<T> reader) {
        return execute(store, sql, control, statement -> {
            try (ResultSet result = statement.executeQuery()) {
                return reader.read(result);
            }
        });
    }

    /** Runs with the control's time limit and cancellation; a cancelled statement reports why. */
    static <T> T execute(DuckDbEventStore store, Sql sql, QueryControl control, StatementReader<T> reader) {
        AtomicBoolean timedOut = new AtomicBoolean();
        if (control.isCancelled()) {
            throw new QueryCancelledException("the query was cancelled", false);
        }
        try (Connection connection = store.reader();
                DuckDBPreparedStatement statement = connection.prepareStatement(sql.text()).unwrap(DuckDBPreparedStatement.class)) {
            sql.bind(statement);
            control.onCancel(() -> cancel(statement));
            ScheduledFuture<?> timer = TIMER.schedule(() -> {
                timedOut.set(true);
                control.cancel();
            }, control.timeout().toMillis(), TimeUnit.MILLISECONDS);
            try {
                return reader.read(statement);
            }
            finally {
                timer.cancel(false);
                control.finished();
            }
        }
        catch (SQLException e) {
            if (control.isCancelled()) {
                throw new QueryCancelledException(timedOut.get()
                        ? "the query ran longer than its limit of " + control.timeout().toSeconds() + " s"
                        : "the query was cancelled", timedOut.get());
            }
            throw new EventStoreException("an analytical query failed: " + e.getMessage(), e);
        }
    }

    private static void cancel(PreparedStatement statement) {
        try {
            statement.cancel();
        }
        catch (SQLException ignored) {
            // the statement has finished or closed in the meantime
        }
    }
}
