package io.flywheel.events.internal;

import io.flywheel.events.FunnelResult;
import io.flywheel.events.FunnelSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * A funnel walked over the {@link TimeIndex}: the step names' runs are read person by person in
 * one merge pass (each run is already grouped by person, times in order), so nothing is copied
 * out of the engine or sorted but the few persons found in more than one run. Same answer as
 * the SQL path: only step 1 must fall inside the days, every step inside the days plus the
 * window, merged persons counted once as their root, {@code windowFunnel} semantics.
 */
final class IndexedFunnel {

    /** Times are packed with the step bits into one long; they must stay well inside its range. */
    private static final long TIME_LIMIT = 1L << 52;
    private static final int MASK_BITS = 10;
    private static final int NO_PERSON = Integer.MAX_VALUE;

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
        long start = TimeIndex.micros(spec.scope().start());
        long last = TimeIndex.micros(spec.scope().end().plus(spec.window()));
        return start > -TIME_LIMIT && last < TIME_LIMIT;
    }

    /** A funnel step name's run and the steps its entries match. */
    private record Source(TimeRun run, int bits) {
    }

    /** Walks the funnel on one thread per part of the persons (at most {@code parallelism}), then the merged persons together. */
    static FunnelResult run(TimeIndex.Snapshot snapshot, FunnelSpec spec, BooleanSupplier cancelled, Executor executor, int parallelism) {
        return run(snapshot, spec, cancelled, executor, parallelism, PARALLEL_ENTRIES);
    }

    /** As above, splitting only funnels of at least {@code parallelEntries} entries. */
    static FunnelResult run(TimeIndex.Snapshot snapshot, FunnelSpec spec, BooleanSupplier cancelled, Executor executor, int parallelism,
            long parallelEntries) {
        int steps = spec.steps().size();
        long start = TimeIndex.micros(spec.scope().start());
        long end = TimeIndex.micros(spec.scope().end());
        long last = TimeIndex.micros(spec.scope().end().plus(spec.window()));
        List<Source> sources = new ArrayList<>();
        List<String> names = spec.steps().stream().map(FunnelSpec.Step::event).distinct().toList();
        long entries = 0;
        int lowest = Integer.MAX_VALUE;
        int highest = -1;
        for (String name : names) {
            int bits = 0;
            for (int i = 0; i < steps; i++) {
                if (spec.steps().get(i).event().equals(name)) {
                    bits |= 1 << i;
                }
            }
            TimeIndex.NameState state = snapshot.name(name);
            List<TimeRun> runs = new ArrayList<>(state.runs());
            runs.add(tail(state, start, last));
            for (TimeRun run : runs) {
                if (run.overlaps(start, last)) {
                    sources.add(new Source(run, bits));
                    entries += run.size();
                    lowest = Math.min(lowest, run.persons[0]);
                    highest = Math.max(highest, run.persons[run.persons.length - 1]);
                }
            }
        }
        Walk whole = new Walk(steps, spec.window().toNanos() / 1_000, start, end, last, cancelled);
        if (sources.isEmpty()) {
            return new FunnelResult(whole.total.counts(null), List.of());
        }
        int parts = entries < parallelEntries ? 1 : Math.max(1, Math.min(parallelism, highest - lowest + 1));
        List<Walk> walks = new ArrayList<>(parts);
        List<CompletableFuture<Void>> futures = new ArrayList<>(parts);
        long width = ((long) highest - lowest + parts) / parts;
        for (int part = 0; part < parts; part++) {
            int from = (int) Math.min(Integer.MAX_VALUE, lowest + part * width);
            int to = (int) Math.min((long) highest + 1, lowest + (part + 1) * width);
            Walk walk = part == 0 ? whole : new Walk(steps, whole.window, start, end, last, cancelled);
            walks.add(walk);
            Runnable task = () -> walk.persons(sources, from, to, snapshot.roots());
            if (part == parts - 1) {
                task.run();
            }
            else {
                futures.add(CompletableFuture.runAsync(task, executor));
            }
        }
        for (CompletableFuture<Void> future : futures) {
            try {
                future.join();
            }
            catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                throw e;
            }
        }
        for (Walk walk : walks) {
            if (walk != whole) {
                whole.add(walk);
            }
        }
        whole.merged();
        return new FunnelResult(whole.total.counts(null), List.of());
    }

    /** Below this many entries a second thread costs more than it saves. */
    private static final long PARALLEL_ENTRIES = 1 << 18;

    /** One thread's walk over a range of persons; merged persons are kept for a walk of their own. */
    private static final class Walk {

        final long window;
        final long start;
        final long end;
        final long last;
        final BooleanSupplier cancelled;
        final FunnelWalker walker;
        final FunnelAccumulator total;
        long[] keys = new long[256];
        int[] mergedRoots = new int[0];
        long[] mergedKeys = new long[0];
        int merged;

        Walk(int steps, long window, long start, long end, long last, BooleanSupplier cancelled) {
            this.window = window;
            this.start = start;
            this.end = end;
            this.last = last;
            this.cancelled = cancelled;
            this.walker = new FunnelWalker(steps, window);
            this.total = new FunnelAccumulator(steps);
        }

        /** Walks the persons {@code [from, to)}. */
        void persons(List<Source> sources, int from, int to, TimeIndex.Roots roots) {
            int count = sources.size();
            TimeRun[] runs = new TimeRun[count];
            int[] bits = new int[count];
            int[] at = new int[count];
            int[] limit = new int[count];
            for (int c = 0; c < count; c++) {
                runs[c] = sources.get(c).run();
                bits[c] = sources.get(c).bits();
                at[c] = firstPersonAtOrAfter(runs[c].persons, from);
                limit[c] = firstPersonAtOrAfter(runs[c].persons, to);
            }
            int visited = 0;
            while (true) {
                int person = NO_PERSON;
                for (int c = 0; c < count; c++) {
                    if (at[c] < limit[c]) {
                        person = Math.min(person, runs[c].persons[at[c]]);
                    }
                }
                if (person == NO_PERSON) {
                    return;
                }
                int size = 0;
                int segments = 0;
                for (int c = 0; c < count; c++) {
                    if (at[c] >= limit[c] || runs[c].persons[at[c]] != person) {
                        continue;
                    }
                    TimeRun run = runs[c];
                    int first = run.starts[at[c]];
                    int stop = run.starts[at[c] + 1];
                    at[c]++;
                    long[] times = run.times;
                    if (times[first] < start) {
                        first = firstAtOrAfter(times, first, stop, start);
                    }
                    if (stop - first > keys.length - size) {
                        keys = Arrays.copyOf(keys, Math.max(keys.length * 2, size + stop - first));
                    }
                    int before = size;
                    for (int i = first; i < stop; i++) {
                        long time = times[i];
                        if (time > last) {
                            break;
                        }
                        int mask = time < end ? bits[c] : bits[c] & ~1;
                        if (mask != 0) {
                            keys[size++] = time << MASK_BITS | mask;
                        }
                    }
                    if (size > before) {
                        segments++;
                    }
                }
                if (size == 0) {
                    continue;
                }
                if (roots.merged(person)) {
                    // counted as its root, together with everyone merged into it, after every part's walk
                    if (merged + size > mergedKeys.length) {
                        int capacity = Math.max(mergedKeys.length * 2, merged + size);
                        mergedKeys = Arrays.copyOf(mergedKeys, capacity);
                        mergedRoots = Arrays.copyOf(mergedRoots, capacity);
                    }
                    Arrays.fill(mergedRoots, merged, merged + size, roots.root(person));
                    System.arraycopy(keys, 0, mergedKeys, merged, size);
                    merged += size;
                    continue;
                }
                if (segments > 1) {
                    Arrays.sort(keys, 0, size);
                }
                walk(walker, total, keys, 0, size);
                if ((++visited & 0xFFF) == 0 && cancelled.getAsBoolean()) {
                    throw new Cancelled();
                }
            }
        }

        /** Takes another part's counts and merged persons. */
        void add(Walk other) {
            total.add(other.total);
            if (merged + other.merged > mergedKeys.length) {
                mergedKeys = Arrays.copyOf(mergedKeys, merged + other.merged);
                mergedRoots = Arrays.copyOf(mergedRoots, merged + other.merged);
            }
            System.arraycopy(other.mergedKeys, 0, mergedKeys, merged, other.merged);
            System.arraycopy(other.mergedRoots, 0, mergedRoots, merged, other.merged);
            merged += other.merged;
        }

        void merged() {
            walkMerged(walker, total, mergedRoots, mergedKeys, merged);
        }
    }

    private static int firstPersonAtOrAfter(int[] persons, int person) {
        int low = 0;
        int high = persons.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (persons[middle] < person) {
                low = middle + 1;
            }
            else {
                high = middle;
            }
        }
        return low;
    }

    /** Signals a cancelled walk to the caller, which knows why. */
    static final class Cancelled extends RuntimeException {

        Cancelled() {
            super(null, null, false, false);
        }
    }

    /** The tail's entries inside {@code [start, last]}, grouped by person. */
    private static TimeRun tail(TimeIndex.NameState state, long start, long last) {
        int[] persons = new int[state.tailSize()];
        long[] times = new long[state.tailSize()];
        int size = 0;
        for (int i = 0; i < state.tailSize(); i++) {
            long time = state.tailTimes()[i];
            if (time >= start && time <= last) {
                persons[size] = state.tailPersons()[i];
                times[size++] = time;
            }
        }
        return TimeRun.of(persons, times, size);
    }

    private static int firstAtOrAfter(long[] times, int from, int to, long start) {
        int low = from;
        int high = to;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (times[middle] < start) {
                low = middle + 1;
            }
            else {
                high = middle;
            }
        }
        return low;
    }

    private static void walk(FunnelWalker walker, FunnelAccumulator total, long[] keys, int from, int to) {
        walker.reset();
        for (int i = from; i < to; i++) {
            walker.add(keys[i] >> MASK_BITS, (int) (keys[i] & ((1 << MASK_BITS) - 1)), -1);
        }
        int level = walker.level();
        if (level > 0) {
            total.add(level, walker.path(level));
        }
    }

    /** Groups the merged persons' entries by root (a counting sort on dense root numbers) and walks each root. */
    private static void walkMerged(FunnelWalker walker, FunnelAccumulator total, int[] roots, long[] keys, int size) {
        if (size == 0) {
            return;
        }
        LongIntMap numbers = new LongIntMap(64);
        int[] dense = new int[size];
        for (int i = 0; i < size; i++) {
            dense[i] = numbers.getOrAddNext(roots[i]);
        }
        int[] starts = new int[numbers.size() + 1];
        for (int i = 0; i < size; i++) {
            starts[dense[i] + 1]++;
        }
        for (int r = 0; r < numbers.size(); r++) {
            starts[r + 1] += starts[r];
        }
        int[] next = Arrays.copyOf(starts, numbers.size());
        long[] grouped = new long[size];
        for (int i = 0; i < size; i++) {
            grouped[next[dense[i]]++] = keys[i];
        }
        for (int r = 0; r < numbers.size(); r++) {
            Arrays.sort(grouped, starts[r], starts[r + 1]);
            walk(walker, total, grouped, starts[r], starts[r + 1]);
        }
    }
}
