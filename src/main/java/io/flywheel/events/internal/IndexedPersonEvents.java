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

    /** Receives one event of a walk: the person's place in {@link Persons#ids()} and the event's time in microseconds. */
    @FunctionalInterface
    interface Visitor {
        void accept(int position, long micros) throws java.sql.SQLException;
    }

    /** One name to copy and the first time (microseconds, or {@link #ALL_TIME}) to copy it from. */
    record Need(String name, long from) {
    }

    /**
     * The persons that can have events in the index (ascending), each with its root: larger ids
     * have none (the index turns a project off when an event has one).
     */
    record Persons(int[] ids, long[] roots) {

        static Persons of(long[] personIds, long[] roots) {
            int[] ids = new int[personIds.length];
            long[] rootsOf = new long[personIds.length];
            int count = 0;
            for (int p = 0; p < personIds.length; p++) {
                if (personIds[p] >= 0 && personIds[p] < Integer.MAX_VALUE) {
                    ids[count] = (int) personIds[p];
                    rootsOf[count++] = roots[p];
                }
            }
            return new Persons(Arrays.copyOf(ids, count), Arrays.copyOf(rootsOf, count));
        }

        int size() {
            return ids.length;
        }

        long root(int position) {
            return roots[position];
        }
    }

    private IndexedPersonEvents() {
    }

    /**
     * Sends every event of the given persons ({@code personIds} ascending, {@code roots} alongside)
     * in each needed name from its start on to {@code sink}; returns how many.
     */
    static long copy(TimeIndex.Snapshot snapshot, List<Need> needs, long[] personIds, long[] roots, Sink sink)
            throws java.sql.SQLException {
        Persons persons = Persons.of(personIds, roots);
        long copied = 0;
        for (int n = 0; n < needs.size(); n++) {
            int name = n;
            copied += visit(snapshot.name(needs.get(n).name()), needs.get(n).from(), persons.ids(),
                    (position, micros) -> sink.accept(persons.root(position), persons.ids()[position], name, micros));
        }
        return copied;
    }

    /** Visits every event of {@code persons} (ascending) in {@code state} from {@code from} on; returns how many. */
    static long visit(TimeIndex.NameState state, long from, int[] persons, Visitor visitor) throws java.sql.SQLException {
        long visited = 0;
        for (TimeRun run : state.runs()) {
            visited += visitRun(run, from, persons, visitor);
        }
        int[] tailPersons = state.tailPersons();
        long[] tailTimes = state.tailTimes();
        for (int i = 0; i < state.tailSize(); i++) {
            if (tailTimes[i] >= from) {
                int at = Arrays.binarySearch(persons, tailPersons[i]);
                if (at >= 0) {
                    visitor.accept(at, tailTimes[i]);
                    visited++;
                }
            }
        }
        return visited;
    }

    private static long visitRun(TimeRun run, long from, int[] persons, Visitor visitor) throws java.sql.SQLException {
        if (run.size() == 0 || run.maxTime < from) {
            return 0;
        }
        long visited = 0;
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
                visitor.accept(p, run.times[i]);
                visited++;
            }
        }
        return visited;
    }
}
