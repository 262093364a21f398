package io.flywheel.events.internal;

import java.util.Arrays;
import java.util.List;

/**
 * The events of a few persons, read from the time index instead of a scan of every event: for an
 * incremental segment refresh, which needs the dirty persons' events of some names from some time on.
 * Each person is looked up in every run of a name by binary search (the runs are grouped by person),
 * and the unsorted tail is walked once. A person's times of a name come together in one array (in no
 * particular order), so that a receiver writes one row per person and name rather than one per event.
 */
final class IndexedPersonEvents {

    /** Stands for "every time" as a start. */
    static final long ALL_TIME = Long.MIN_VALUE;

    /** Receives the times (microseconds) of one person in one name, with the person's root and the name's place in the list. */
    @FunctionalInterface
    interface Sink {
        void accept(long root, int name, long[] micros) throws java.sql.SQLException;
    }

    /** One name to copy and the first time (microseconds, or {@link #ALL_TIME}) to copy it from. */
    record Need(String name, long from) {
    }

    private IndexedPersonEvents() {
    }

    /**
     * Sends every event of the given persons ({@code personIds} ascending, {@code roots} alongside)
     * in each needed name from its start on to {@code sink}; returns how many events.
     */
    static long copy(TimeIndex.Snapshot snapshot, List<Need> needs, long[] personIds, long[] roots, Sink sink)
            throws java.sql.SQLException {
        int[] persons = new int[personIds.length];
        long[] rootsOf = new long[personIds.length];
        int count = 0;
        for (int p = 0; p < personIds.length; p++) {
            // larger ids have no events in the index (it turns a project off when an event has one)
            if (personIds[p] >= 0 && personIds[p] < Integer.MAX_VALUE) {
                persons[count] = (int) personIds[p];
                rootsOf[count++] = roots[p];
            }
        }
        persons = Arrays.copyOf(persons, count);
        long copied = 0;
        long[] buffer = new long[256];
        for (int n = 0; n < needs.size(); n++) {
            Need need = needs.get(n);
            TimeIndex.NameState state = snapshot.name(need.name());
            List<TimeRun> runs = state.runs().stream().filter(run -> run.size() > 0 && run.maxTime >= need.from()).toList();
            int[] low = new int[runs.size()];
            long[] tail = tail(state, need.from(), persons);
            int inTail = 0;
            for (int p = 0; p < persons.length; p++) {
                int size = 0;
                for (int r = 0; r < runs.size(); r++) {
                    TimeRun run = runs.get(r);
                    if (low[r] >= run.persons.length) {
                        continue;
                    }
                    int at = Arrays.binarySearch(run.persons, low[r], run.persons.length, persons[p]);
                    if (at < 0) {
                        low[r] = -at - 1;
                        continue;
                    }
                    low[r] = at + 1;
                    int end = run.starts[at + 1];
                    int first = PersonScan.firstAtOrAfter(run.times, run.starts[at], end, need.from());
                    if (size + end - first > buffer.length) {
                        buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + end - first));
                    }
                    System.arraycopy(run.times, first, buffer, size, end - first);
                    size += end - first;
                }
                for (; inTail < tail.length && (int) (tail[inTail] >>> 32) == p; inTail++) {
                    if (size == buffer.length) {
                        buffer = Arrays.copyOf(buffer, buffer.length * 2);
                    }
                    buffer[size++] = state.tailTimes()[(int) tail[inTail]];
                }
                if (size > 0) {
                    sink.accept(rootsOf[p], n, Arrays.copyOf(buffer, size));
                    copied += size;
                }
            }
        }
        return copied;
    }

    /** The tail's entries of the persons from {@code from} on as (person's place << 32 | tail index), sorted: by person, in tail order. */
    private static long[] tail(TimeIndex.NameState state, long from, int[] persons) {
        int[] tailPersons = state.tailPersons();
        long[] tailTimes = state.tailTimes();
        long[] kept = new long[Math.min(state.tailSize(), 1 << 10)];
        int size = 0;
        for (int i = 0; i < state.tailSize(); i++) {
            if (tailTimes[i] >= from) {
                int at = Arrays.binarySearch(persons, tailPersons[i]);
                if (at >= 0) {
                    if (size == kept.length) {
                        kept = Arrays.copyOf(kept, Math.max(16, size * 2));
                    }
                    kept[size++] = (long) at << 32 | i;
                }
            }
        }
        kept = Arrays.copyOf(kept, size);
        Arrays.sort(kept);
        return kept;
    }
}
