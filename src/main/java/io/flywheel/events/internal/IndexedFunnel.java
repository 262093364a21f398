package io.flywheel.events.internal;

import io.flywheel.events.FunnelResult;
import io.flywheel.events.FunnelSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

    private static final class Cursor {

        final TimeRun run;
        final int bits;
        int at;

        Cursor(TimeRun run, int bits) {
            this.run = run;
            this.bits = bits;
        }

        int person() {
            return at < run.persons.length ? run.persons[at] : NO_PERSON;
        }
    }

    static FunnelResult run(TimeIndex.Snapshot snapshot, FunnelSpec spec, BooleanSupplier cancelled) {
        int steps = spec.steps().size();
        long start = TimeIndex.micros(spec.scope().start());
        long end = TimeIndex.micros(spec.scope().end());
        long last = TimeIndex.micros(spec.scope().end().plus(spec.window()));
        List<Cursor> list = new ArrayList<>();
        List<String> names = spec.steps().stream().map(FunnelSpec.Step::event).distinct().toList();
        for (String name : names) {
            int bits = 0;
            for (int i = 0; i < steps; i++) {
                if (spec.steps().get(i).event().equals(name)) {
                    bits |= 1 << i;
                }
            }
            TimeIndex.NameState state = snapshot.name(name);
            for (TimeRun run : state.runs()) {
                if (run.overlaps(start, last)) {
                    list.add(new Cursor(run, bits));
                }
            }
            TimeRun tail = tail(state, start, last);
            if (tail.size() > 0) {
                list.add(new Cursor(tail, bits));
            }
        }
        Cursor[] cursors = list.toArray(Cursor[]::new);
        TimeIndex.Roots roots = snapshot.roots();
        FunnelWalker walker = new FunnelWalker(steps, spec.window().toNanos() / 1_000);
        FunnelAccumulator total = new FunnelAccumulator(steps);
        long[] keys = new long[256];
        int[] mergedRoots = new int[0];
        long[] mergedKeys = new long[0];
        int merged = 0;
        int visited = 0;
        while (true) {
            int person = NO_PERSON;
            for (Cursor cursor : cursors) {
                person = Math.min(person, cursor.person());
            }
            if (person == NO_PERSON) {
                break;
            }
            int size = 0;
            int segments = 0;
            for (Cursor cursor : cursors) {
                if (cursor.person() != person) {
                    continue;
                }
                TimeRun run = cursor.run;
                int from = run.starts[cursor.at];
                int to = run.starts[cursor.at + 1];
                cursor.at++;
                long[] times = run.times;
                if (times[from] < start) {
                    from = firstAtOrAfter(times, from, to, start);
                }
                if (to - from > keys.length - size) {
                    keys = Arrays.copyOf(keys, Math.max(keys.length * 2, size + to - from));
                }
                int before = size;
                for (int i = from; i < to; i++) {
                    long time = times[i];
                    if (time > last) {
                        break;
                    }
                    int mask = time < end ? cursor.bits : cursor.bits & ~1;
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
                // counted as its root, together with everyone merged into it, after the pass
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
        walkMerged(walker, total, mergedRoots, mergedKeys, merged);
        return new FunnelResult(total.counts(null), List.of());
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
