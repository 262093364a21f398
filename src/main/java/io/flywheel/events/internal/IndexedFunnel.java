package io.flywheel.events.internal;

import io.flywheel.events.FunnelResult;
import io.flywheel.events.FunnelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * A funnel walked over the {@link TimeIndex} with a {@link PersonScan} of the step names' runs, so
 * nothing is copied out of the engine. Same answer as the SQL path: only step 1 must fall inside
 * the days, every step inside the days plus the window, merged persons counted once as their root,
 * {@code windowFunnel} semantics.
 */
final class IndexedFunnel {

    /** Times are packed with the step bits into one long; they must stay well inside its range. */
    private static final long TIME_LIMIT = 1L << 52;
    private static final int MASK_BITS = 10;
    private static final long MASK = (1L << MASK_BITS) - 1;

    private IndexedFunnel() {
    }

    /** Whether the index can answer: no step filters, no breakdown (it keeps names, persons and times only). */
    static boolean answers(FunnelSpec spec) {
        if (spec.breakdown() != null || spec.steps().size() > MASK_BITS) {
            return false;
        }
        for (FunnelSpec.Step step : spec.steps()) {
            if (!step.filters().isEmpty()) {
                return false;
            }
        }
        long start = DuckDbEventStore.micros(spec.scope().start());
        long last = DuckDbEventStore.micros(spec.scope().end().plus(spec.window()));
        return start > -TIME_LIMIT && last < TIME_LIMIT;
    }

    /** Walks the funnel on up to {@code parallelism} threads by person range. */
    static FunnelResult run(TimeIndex.Snapshot snapshot, FunnelSpec spec, BooleanSupplier cancelled, Executor executor, int parallelism) {
        return run(snapshot, spec, cancelled, executor, parallelism, PersonScan.PARALLEL_ENTRIES);
    }

    /** As above, splitting only funnels of at least {@code parallelEntries} entries. */
    static FunnelResult run(TimeIndex.Snapshot snapshot, FunnelSpec spec, BooleanSupplier cancelled, Executor executor, int parallelism,
            long parallelEntries) {
        int steps = spec.steps().size();
        long start = DuckDbEventStore.micros(spec.scope().start());
        long end = DuckDbEventStore.micros(spec.scope().end());
        long last = DuckDbEventStore.micros(spec.scope().end().plus(spec.window()));
        long window = spec.window().toNanos() / 1_000;
        PersonScan scan = new PersonScan(0, MASK_BITS, start, last);
        List<PersonScan.Source> sources = new ArrayList<>();
        for (String name : spec.steps().stream().map(FunnelSpec.Step::event).distinct().toList()) {
            int bits = 0;
            for (int i = 0; i < steps; i++) {
                if (spec.steps().get(i).event().equals(name)) {
                    bits |= 1 << i;
                }
            }
            scan.addSources(snapshot.name(name), bits, sources);
        }
        List<Walk> walks = scan.scan(sources, snapshot.roots(), () -> new Walk(steps, window, end), executor, parallelism,
                parallelEntries, cancelled);
        FunnelAccumulator total = walks.get(0).total;
        for (int i = 1; i < walks.size(); i++) {
            total.add(walks.get(i).total);
        }
        return new FunnelResult(total.counts(null), List.of());
    }

    /** The windowFunnel walk of each person's entries ({@code time << 10 | step bits}). */
    private static final class Walk implements PersonScan.Visitor {

        final FunnelWalker walker;
        final FunnelAccumulator total;
        final long end;

        Walk(int steps, long window, long end) {
            this.walker = new FunnelWalker(steps, window);
            this.total = new FunnelAccumulator(steps);
            this.end = end;
        }

        @Override
        public void person(long[] keys, int size) {
            walker.reset();
            for (int i = 0; i < size; i++) {
                long time = keys[i] >> MASK_BITS;
                int bits = (int) (keys[i] & MASK);
                // only step 1 must start inside the days
                walker.add(time, time < end ? bits : bits & ~1, -1);
            }
            int level = walker.level();
            if (level > 0) {
                total.add(level, walker.path(level));
            }
        }
    }
}
