package io.flywheel.events.internal;

import io.flywheel.events.LifecycleRun;
import io.flywheel.events.LifecycleThresholds;
import io.flywheel.events.StageHistory;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Locale;

/**
 * Lifecycle benchmark over a data set made by {@code generate-demo} (a writable copy: it stores
 * stages): the recompute from scratch (no stages stored), again with every stage stored (nothing
 * or little changed), and the 90-day stage history. Median of 5 runs each. Run with
 * {@code bench/lifecycle.sh}.
 *
 * <pre>java ... LifecycleBenchmark DATA_DIR [PROJECT_ID] [NOW] [THREADS]</pre>
 */
public final class LifecycleBenchmark {

    private static final int RUNS = 5;

    private LifecycleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path events = Path.of(args[0]).resolve("events.duckdb");
        long project = args.length > 1 ? Long.parseLong(args[1]) : 1;
        Instant now = args.length > 2 ? Instant.parse(args[2]) : Instant.now();
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        try (DuckDbEventStore store = new DuckDbEventStore(new EventStoreProperties(events, null, threads))) {
            DuckDbLifecycles lifecycles = new DuckDbLifecycles(store);
            System.out.printf(Locale.ROOT, "data set: %,d events in project %d; %d threads; now %s; median of %d runs%n", store.count(project),
                    project, threads, now, RUNS);
            long[] scratch = new long[RUNS];
            long[] again = new long[RUNS];
            LifecycleRun run = null;
            for (int i = 0; i < RUNS; i++) {
                forget(store, project);
                long started = System.nanoTime();
                run = lifecycles.recompute(project, LifecycleThresholds.DEFAULTS, now);
                scratch[i] = (System.nanoTime() - started) / 1_000_000;
                started = System.nanoTime();
                LifecycleRun second = lifecycles.recompute(project, LifecycleThresholds.DEFAULTS, now.plusSeconds(900));
                again[i] = (System.nanoTime() - started) / 1_000_000;
                System.out.printf(Locale.ROOT, "  run %d: from scratch %,d ms (%,d persons), again 15 min later %,d ms (%,d transitions)%n", i + 1,
                        scratch[i], run.persons(), again[i], second.transitions().size());
            }
            System.out.printf(Locale.ROOT, "recompute from scratch: median %,d ms; sizes %s%n", median(scratch), run.sizes());
            System.out.printf(Locale.ROOT, "recompute again:        median %,d ms%n", median(again));
            long[] history = new long[RUNS];
            LocalDate end = LocalDate.ofInstant(now, zone);
            StageHistory answer = null;
            for (int i = 0; i < RUNS; i++) {
                long started = System.nanoTime();
                // a different range each time, so the cache does not answer
                answer = lifecycles.history(project, zone, LifecycleThresholds.DEFAULTS, end.minusDays(89 + i), end, now);
                history[i] = (System.nanoTime() - started) / 1_000_000;
            }
            System.out.printf(Locale.ROOT, "stage history, 90 days: median %,d ms (%d days, %d flows)%n", median(history), answer.days().size(),
                    answer.flows().size());
        }
    }

    private static void forget(DuckDbEventStore store, long project) {
        store.inTransaction("forgetting stages", writer -> {
            try (Statement statement = writer.createStatement()) {
                for (String table : java.util.List.of("person_stages", "person_stage_transitions", "lifecycle_runs")) {
                    statement.execute("DELETE FROM " + table + " WHERE project_id = " + project);
                }
            }
            return null;
        });
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

}
