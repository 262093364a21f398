package io.flywheel.events.internal;

import java.util.Arrays;
import java.util.List;

/**
 * The events of a few persons, read from the time index instead of a scan of every event: for an
 * incremental segment refresh, which needs the dirty persons' events of some names from some time on.
 * Each person is looked up in every run of a name by binary search (the runs are grouped by person),
 * and the unsorted tail is walked once.
 */
final class IndexedPersonEvents {

    /** Stands for "every time" as a start. */
    static final long ALL_TIME = Long.MIN_VALUE;

    /** Receives one event: the person's root, its raw person id, the name's place in the list and its time in microseconds. */
    @FunctionalInterface
    interface Sink {
        void accept(long root, long personId, int name, long micros) throws java.sql.SQLException;
    }

    /** One name to copy and the first time (microseconds, or {@link #ALL_TIME}) to copy it from. */
    record Need(String name, long from) {
    }

    private IndexedPersonEvents() {
    }

    /**
     * Sends every event of the given persons ({@code personIds} ascending, {@code roots} alongside)
     * in each needed name from its start on to {@code sink}; returns how many.
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
        for (int n = 0; n < needs.size(); n++) {
            Need need = needs.get(n);
            TimeIndex.NameState state = snapshot.name(need.name());
            for (TimeRun run : state.runs()) {
                copied += copyRun(run, need.from(), persons, rootsOf, n, sink);
            }
            int[] tailPersons = state.tailPersons();
            long[] tailTimes = state.tailTimes();
            for (int i = 0; i < state.tailSize(); i++) {
                if (tailTimes[i] >= need.from()) {
                    int at = Arrays.binarySearch(persons, tailPersons[i]);
                    if (at >= 0) {
                        sink.accept(rootsOf[at], persons[at], n, tailTimes[i]);
                        copied++;
                    }
                }
            }
        }
        return copied;
    }

    private static long copyRun(TimeRun run, long from, int[] persons, long[] roots, int name, Sink sink)
            throws java.sql.SQLException {
        if (run.size() == 0 || run.maxTime < from) {
            return 0;
        }
        long copied = 0;
        int low = 0;
        for (int p = 0; p < persons.length && low < run.persons.length; p++) {
            int at = Arrays.binarySearch(run.persons, low, run.persons.length, persons[p]);
            if (at < 0) {
                low = -at - 1;
                continue;
            }
            low = at + 1;
            int end = run.starts[at + 1];
            int i = PersonScan.firstAtOrAfter(run.times, run.starts[at], end, from);
            for (; i < end; i++) {
                sink.accept(roots[p], persons[p], name, run.times[i]);
                copied++;
            }
        }
        return copied;
    }
}
