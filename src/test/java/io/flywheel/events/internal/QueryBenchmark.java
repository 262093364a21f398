package io.flywheel.events.internal;

import io.flywheel.events.EventAnalytics;
import io.flywheel.events.FunnelCounts;
import io.flywheel.events.FunnelSpec;
import io.flywheel.events.Interval;
import io.flywheel.events.QueryControl;
import io.flywheel.events.RetentionSpec;
import io.flywheel.events.Scope;
import io.flywheel.events.TrendSpec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Query benchmark over a data set made by {@code generate-demo}: each query warm, median of 5 runs,
 * against the same question as hand-written SQL straight to DuckDB. Run with {@code bench/queries.sh}.
 *
 * <pre>java ... QueryBenchmark DATA_DIR [PROJECT_ID] [END_DATE] [THREADS]</pre>
 */
public final class QueryBenchmark {

    private static final int RUNS = 5;

    private QueryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path events = Path.of(args[0]).resolve("events.duckdb");
        long project = args.length > 1 ? Long.parseLong(args[1]) : 1;
        LocalDate end = args.length > 2 ? LocalDate.parse(args[2]) : LocalDate.now(ZoneId.of("Asia/Shanghai"));
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        // a fifth argument sets the time index's budget in entries (0 turns it off); default: a quarter of the heap
        long indexEntries = args.length > 4 ? Long.parseLong(args[4]) : -1;
        try (DuckDbEventStore store = new DuckDbEventStore(new EventStoreProperties(events, null, threads, indexEntries))) {
            long loading = System.nanoTime();
            if (!store.timeIndex().awaitLoaded(10, java.util.concurrent.TimeUnit.MINUTES)) {
                throw new IllegalStateException("the time index did not load within 10 minutes");
            }
            long loadedMs = (System.nanoTime() - loading) / 1_000_000;
            System.gc();
            Runtime runtime = Runtime.getRuntime();
            System.out.printf(Locale.ROOT, "time index loaded %s ms after the store opened; heap in use after a GC: %,d MB%n", loadedMs,
                    (runtime.totalMemory() - runtime.freeMemory()) >> 20);
            EventAnalytics analytics = new DuckDbEventAnalytics(store);
            long count = store.count(project);
            System.out.printf(Locale.ROOT, "data set: %,d events in project %d; %d threads; median of %d warm runs%n", count, project, threads, RUNS);
            QueryControl control = QueryControl.withTimeout(Duration.ofMinutes(5));
            Scope ninety = new Scope(project, zone, end.minusDays(89), end);
            Scope thirty = new Scope(project, zone, end.minusDays(29), end);
            String from90 = "TIMESTAMP '" + ninety.start().toString().replace("T", " ").replace("Z", "") + "'";
            String to90 = "TIMESTAMP '" + ninety.end().toString().replace("T", " ").replace("Z", "") + "'";
            String from30 = "TIMESTAMP '" + thirty.start().toString().replace("T", " ").replace("Z", "") + "'";
            String to30 = "TIMESTAMP '" + thirty.end().toString().replace("T", " ").replace("Z", "") + "'";
            String person = "COALESCE(m.root_id, e.person_id)";
            String merges = " LEFT JOIN person_merges m ON m.project_id = e.project_id AND m.person_id = e.person_id ";

            FunnelSpec funnel = new FunnelSpec(ninety, List.of(new FunnelSpec.Step("Product Viewed", List.of()),
                    new FunnelSpec.Step("Product Added", List.of()), new FunnelSpec.Step("Order Completed", List.of())), Duration.ofDays(7), null);
            String funnelSql = """
                    WITH tagged AS (
                      SELECT %1$s AS person, e.ts,
                             CASE WHEN e.event = 'Product Viewed' AND e.ts < %3$s THEN e.ts END AS s1,
                             e.event = 'Product Added' AS is2, e.event = 'Order Completed' AS is3
                      FROM events e %2$s
                      WHERE e.project_id = %4$d AND e.ts >= %5$s AND e.ts <= %3$s + INTERVAL 7 DAY
                        AND e.event IN ('Product Viewed', 'Product Added', 'Order Completed')),
                    l1 AS (SELECT *, max(s1) OVER w AS start1 FROM tagged WINDOW w AS (PARTITION BY person ORDER BY ts, NOT is2 ROWS UNBOUNDED PRECEDING)),
                    l2 AS (SELECT *, max(CASE WHEN is2 AND ts <= start1 + INTERVAL 7 DAY THEN start1 END)
                             OVER (PARTITION BY person ORDER BY ts, NOT is2 ROWS UNBOUNDED PRECEDING) AS start2 FROM l1),
                    levels AS (SELECT person, CASE
                               WHEN bool_or(is3 AND ts <= start2 + INTERVAL 7 DAY) THEN 3
                               WHEN max(start2) IS NOT NULL THEN 2 WHEN max(start1) IS NOT NULL THEN 1 ELSE 0 END AS level
                               FROM l2 GROUP BY person)
                    SELECT count(*) FILTER (level >= 1), count(*) FILTER (level >= 2), count(*) FILTER (level >= 3) FROM levels"""
                    .formatted(person, merges, to90, project, from90);

            TrendSpec trend = new TrendSpec(ninety, TrendSpec.ANY_EVENT, TrendSpec.Measure.UNIQUES, null, Interval.DAY, List.of(), null);
            String trendSql = ("SELECT date_trunc('day', e.ts + INTERVAL 8 HOUR) AS d, count(DISTINCT %s) FROM events e %s "
                    + "WHERE e.project_id = %d AND e.ts >= %s AND e.ts < %s GROUP BY 1 ORDER BY 1").formatted(person, merges, project, from90, to90);

            RetentionSpec retention = new RetentionSpec(thirty, "Signed Up", List.of(), TrendSpec.ANY_EVENT, List.of(), Interval.DAY, 30, end);
            String retentionSql = """
                    WITH firsts AS (SELECT %1$s AS person, min(e.ts) AS f FROM events e %2$s
                                    WHERE e.project_id = %3$d AND e.event = 'Signed Up' AND e.ts < %5$s GROUP BY 1),
                    cohort AS (SELECT person, CAST(f + INTERVAL 8 HOUR AS DATE) AS start FROM firsts WHERE f >= %4$s),
                    returns AS (SELECT DISTINCT %1$s AS person, CAST(e.ts + INTERVAL 8 HOUR AS DATE) AS day FROM events e %2$s
                                WHERE e.project_id = %3$d AND e.ts >= %4$s AND e.ts < %5$s)
                    SELECT c.start, date_diff('day', c.start, r.day) AS k, count(*) FROM cohort c JOIN returns r USING (person)
                    WHERE r.day >= c.start AND r.day < c.start + 30 GROUP BY 1, 2"""
                    .formatted(person, merges, project, from30, to30);

            FunnelCounts counts = analytics.funnel(funnel, control).total();
            System.out.println("funnel counts (Flywheel): " + Arrays.toString(counts.reached()) + "; reference SQL: " + firstRow(store, funnelSql));

            report("3-step funnel, 7-day window, 90 days", () -> analytics.funnel(funnel, control), () -> rows(store, funnelSql));
            report("daily uniques trend, 90 days", () -> analytics.trend(trend, control), () -> rows(store, trendSql));
            report("retention, 30 daily cohorts x 30 days", () -> analytics.retention(retention, control), () -> rows(store, retentionSql));
            String metricsSql = """
                    SELECT count(*) FILTER (type IN ('page', 'screen')), count(DISTINCT %1$s) FILTER (type IN ('page', 'screen')),
                           count(DISTINCT %1$s), count(*) FILTER (event = 'Order Completed'), sum(revenue) FILTER (event = 'Order Completed'),
                           count(DISTINCT %1$s) FILTER (event = 'Order Completed')
                    FROM events e %2$s WHERE e.project_id = %3$d AND e.ts >= %4$s AND e.ts < %5$s""".formatted(person, merges, project, from30, to30);
            report("metrics, 30 days (reference: counts only)", () -> analytics.metrics(thirty, control), () -> rows(store, metricsSql));
        }
    }

    private static void report(String name, Callable<?> flywheel, Callable<?> reference) throws Exception {
        double ours = median(flywheel);
        double theirs = median(reference);
        System.out.printf(Locale.ROOT, "%-42s flywheel %8.1f ms   hand-written SQL %8.1f ms   ratio %.2f%n", name, ours, theirs, ours / theirs);
    }

    private static double median(Callable<?> query) throws Exception {
        query.call();
        double[] times = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            query.call();
            times[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(times);
        return times[RUNS / 2];
    }

    private static int rows(DuckDbEventStore store, String sql) throws Exception {
        try (Connection connection = store.reader(); Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            int rows = 0;
            while (result.next()) {
                rows++;
            }
            return rows;
        }
    }

    private static String firstRow(DuckDbEventStore store, String sql) throws Exception {
        try (Connection connection = store.reader(); Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            List<String> values = new ArrayList<>();
            for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                values.add(result.getString(i));
            }
            return values.toString();
        }
    }
}
