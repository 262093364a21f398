package io.flywheel.events.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Reads {@link TimeRun}s of the {@link TimeIndex} person by person in one merge pass and hands each
 * person's entries inside a time range to a visitor, in order: each run is already grouped by
 * person with values ascending, so only persons found in more than one run are sorted. Merged
 * persons are collected and handed over once per root after the pass. Large scans are split by
 * person range over several threads, one visitor each.
 *
 * <p>A value is a time in microseconds shifted left by {@code shift} bits (flags below it); the
 * visitor gets {@code value << tagBits | tag}, the tag saying which kind of run it came from.
 */
final class PersonScan {

    /** Below this many entries a second thread costs more than it saves. */
    static final long PARALLEL_ENTRIES = 1 << 18;
    private static final int NO_PERSON = Integer.MAX_VALUE;

    /** A run and the tag its entries carry. */
    record Source(TimeRun run, int tag) {
    }

    /** Receives each person's (or merged root's) entries, ascending. */
    interface Visitor {
        void person(long[] keys, int size);
    }

    /** Signals a cancelled scan to the caller, which knows why. */
    static final class Cancelled extends RuntimeException {

        Cancelled() {
            super(null, null, false, false);
        }
    }

    private final int shift;
    private final int tagBits;
    private final long low;
    private final long high;

    /** Entries whose time lies in {@code [from, to]} (both inclusive). */
    PersonScan(int shift, int tagBits, long from, long to) {
        this.shift = shift;
        this.tagBits = tagBits;
        this.low = from << shift;
        this.high = to << shift | ((1L << shift) - 1);
    }

    /** The value range the scan reads, for skipping runs ({@link TimeRun#overlaps}). */
    long low() {
        return low;
    }

    long high() {
        return high;
    }

    /**
     * Scans every source, split into at most {@code parallelism} person ranges when there are at
     * least {@code parallelEntries} entries; returns the visitors, the first of which also saw the
     * merged persons.
     */
    <V extends Visitor> List<V> scan(List<Source> sources, TimeIndex.Roots roots, Supplier<V> visitors, Executor executor,
            int parallelism, long parallelEntries, BooleanSupplier cancelled) {
        List<Source> used = new ArrayList<>();
        long entries = 0;
        int lowest = Integer.MAX_VALUE;
        int highest = -1;
        for (Source source : sources) {
            TimeRun run = source.run();
            if (run.overlaps(low, high)) {
                used.add(source);
                entries += run.size();
                lowest = Math.min(lowest, run.persons[0]);
                highest = Math.max(highest, run.persons[run.persons.length - 1]);
            }
        }
        if (used.isEmpty()) {
            return List.of(visitors.get());
        }
        int parts = entries < parallelEntries ? 1 : (int) Math.max(1, Math.min(parallelism, (long) highest - lowest + 1));
        List<Part<V>> list = new ArrayList<>(parts);
        List<CompletableFuture<Void>> futures = new ArrayList<>(parts);
        long width = ((long) highest - lowest + parts) / parts;
        for (int p = 0; p < parts; p++) {
            int from = (int) Math.min(Integer.MAX_VALUE, lowest + p * width);
            int to = (int) Math.min((long) highest + 1, lowest + (p + 1) * width);
            Part<V> part = new Part<>(visitors.get(), cancelled);
            list.add(part);
            Runnable task = () -> part.persons(used, from, to, roots);
            if (p == parts - 1) {
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
        Part<V> first = list.get(0);
        for (int p = 1; p < list.size(); p++) {
            first.takeMerged(list.get(p));
        }
        first.visitMerged();
        List<V> result = new ArrayList<>(list.size());
        list.forEach(part -> result.add(part.visitor));
        return result;
    }

    /** One thread's share: the persons of a range. */
    private final class Part<V extends Visitor> {

        final V visitor;
        final BooleanSupplier cancelled;
        long[] keys = new long[256];
        int[] mergedRoots = new int[0];
        long[] mergedKeys = new long[0];
        int merged;

        Part(V visitor, BooleanSupplier cancelled) {
            this.visitor = visitor;
            this.cancelled = cancelled;
        }

        void persons(List<Source> sources, int from, int to, TimeIndex.Roots roots) {
            int count = sources.size();
            TimeRun[] runs = new TimeRun[count];
            int[] tags = new int[count];
            int[] at = new int[count];
            int[] limit = new int[count];
            for (int c = 0; c < count; c++) {
                runs[c] = sources.get(c).run();
                tags[c] = sources.get(c).tag();
                at[c] = firstAtOrAfter(runs[c].persons, from);
                limit[c] = firstAtOrAfter(runs[c].persons, to);
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
                    long[] values = run.times;
                    if (values[first] < low) {
                        first = firstAtOrAfter(values, first, stop, low);
                    }
                    if (stop - first > keys.length - size) {
                        keys = Arrays.copyOf(keys, Math.max(keys.length * 2, size + stop - first));
                    }
                    int before = size;
                    int tag = tags[c];
                    for (int i = first; i < stop; i++) {
                        long value = values[i];
                        if (value > high) {
                            break;
                        }
                        keys[size++] = value << tagBits | tag;
                    }
                    if (size > before) {
                        segments++;
                    }
                }
                if (size == 0) {
                    continue;
                }
                if (roots.merged(person)) {
                    // visited as its root, together with everyone merged into it, after every part's pass
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
                visitor.person(keys, size);
                if ((++visited & 0xFFF) == 0 && cancelled.getAsBoolean()) {
                    throw new Cancelled();
                }
            }
        }

        void takeMerged(Part<V> other) {
            if (merged + other.merged > mergedKeys.length) {
                mergedKeys = Arrays.copyOf(mergedKeys, merged + other.merged);
                mergedRoots = Arrays.copyOf(mergedRoots, merged + other.merged);
            }
            System.arraycopy(other.mergedKeys, 0, mergedKeys, merged, other.merged);
            System.arraycopy(other.mergedRoots, 0, mergedRoots, merged, other.merged);
            merged += other.merged;
        }

        /** Groups the merged persons' entries by root (a counting sort on dense root numbers) and visits each root. */
        void visitMerged() {
            if (merged == 0) {
                return;
            }
            LongIntMap numbers = new LongIntMap(64);
            int[] dense = new int[merged];
            for (int i = 0; i < merged; i++) {
                dense[i] = numbers.getOrAddNext(mergedRoots[i]);
            }
            int[] starts = new int[numbers.size() + 1];
            for (int i = 0; i < merged; i++) {
                starts[dense[i] + 1]++;
            }
            for (int r = 0; r < numbers.size(); r++) {
                starts[r + 1] += starts[r];
            }
            int[] next = Arrays.copyOf(starts, numbers.size());
            long[] grouped = new long[merged];
            for (int i = 0; i < merged; i++) {
                grouped[next[dense[i]]++] = mergedKeys[i];
            }
            for (int r = 0; r < numbers.size(); r++) {
                int size = starts[r + 1] - starts[r];
                if (size > keys.length) {
                    keys = new long[size];
                }
                System.arraycopy(grouped, starts[r], keys, 0, size);
                Arrays.sort(keys, 0, size);
                visitor.person(keys, size);
            }
        }
    }

    /** The tail's entries whose values lie in the scan's range, grouped by person. */
    TimeRun tail(TimeIndex.NameState state) {
        int[] persons = new int[state.tailSize()];
        long[] values = new long[state.tailSize()];
        int size = 0;
        for (int i = 0; i < state.tailSize(); i++) {
            long value = state.tailTimes()[i];
            if (value >= low && value <= high) {
                persons[size] = state.tailPersons()[i];
                values[size++] = value;
            }
        }
        return TimeRun.of(persons, values, size);
    }

    /** Adds the state's runs and its tail (inside the range) as sources with {@code tag}. */
    void addSources(TimeIndex.NameState state, int tag, List<Source> sources) {
        for (TimeRun run : state.runs()) {
            sources.add(new Source(run, tag));
        }
        TimeRun tail = tail(state);
        if (tail.size() > 0) {
            sources.add(new Source(tail, tag));
        }
    }

    private static int firstAtOrAfter(int[] persons, int person) {
        int lowIndex = 0;
        int highIndex = persons.length;
        while (lowIndex < highIndex) {
            int middle = (lowIndex + highIndex) >>> 1;
            if (persons[middle] < person) {
                lowIndex = middle + 1;
            }
            else {
                highIndex = middle;
            }
        }
        return lowIndex;
    }

    /** The first index in {@code [from, to)} of ascending {@code values} holding at least {@code value}. */
    static int firstAtOrAfter(long[] values, int from, int to, long value) {
        int lowIndex = from;
        int highIndex = to;
        while (lowIndex < highIndex) {
            int middle = (lowIndex + highIndex) >>> 1;
            if (values[middle] < value) {
                lowIndex = middle + 1;
            }
            else {
                highIndex = middle;
            }
        }
        return lowIndex;
    }
}
