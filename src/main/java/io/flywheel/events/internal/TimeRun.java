package io.flywheel.events.internal;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * An immutable run of one event name's occurrences, grouped by person: the persons in ascending
 * order, where each one's times start, and the times (microseconds), ascending within a person.
 * The funnel walks these without sorting anything at query time.
 */
final class TimeRun {

    /** Above this many distinct person ids a counting sort would waste memory; a key sort is used instead. */
    private static final int COUNTING_LIMIT = 1 << 26;

    final int[] persons;
    final int[] starts;
    final long[] times;
    final long minTime;
    final long maxTime;

    private TimeRun(int[] persons, int[] starts, long[] times) {
        this.persons = persons;
        this.starts = starts;
        this.times = times;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int p = 0; p < persons.length; p++) {
            min = Math.min(min, times[starts[p]]);
            max = Math.max(max, times[starts[p + 1] - 1]);
        }
        this.minTime = min;
        this.maxTime = max;
    }

    int size() {
        return times.length;
    }

    boolean overlaps(long from, long to) {
        return size() > 0 && minTime <= to && maxTime >= from;
    }

    /** Groups the first {@code size} entries (person ids ≥ 0, in any order) by person, times ascending. */
    static TimeRun of(int[] persons, long[] times, int size) {
        if (size == 0) {
            return new TimeRun(new int[0], new int[] {0}, new long[0]);
        }
        int max = 0;
        for (int i = 0; i < size; i++) {
            max = Math.max(max, persons[i]);
        }
        int[] sortedPersons = new int[size];
        long[] sortedTimes = new long[size];
        if (max < COUNTING_LIMIT && max <= 16L * size + (1 << 20)) {
            int[] next = new int[max + 2];
            for (int i = 0; i < size; i++) {
                next[persons[i] + 1]++;
            }
            for (int p = 0; p <= max; p++) {
                next[p + 1] += next[p];
            }
            for (int i = 0; i < size; i++) {
                int at = next[persons[i]]++;
                sortedPersons[at] = persons[i];
                sortedTimes[at] = times[i];
            }
        }
        else {
            long[] keys = new long[size];
            for (int i = 0; i < size; i++) {
                keys[i] = (long) persons[i] << 32 | i;
            }
            Arrays.sort(keys);
            for (int i = 0; i < size; i++) {
                int from = (int) keys[i];
                sortedPersons[i] = persons[from];
                sortedTimes[i] = times[from];
            }
        }
        return grouped(sortedPersons, sortedTimes, size);
    }

    /** Builds the run from entries already grouped by ascending person, sorting each person's times where needed. */
    private static TimeRun grouped(int[] sortedPersons, long[] sortedTimes, int size) {
        int distinct = 0;
        for (int i = 0; i < size; i++) {
            if (i == 0 || sortedPersons[i] != sortedPersons[i - 1]) {
                distinct++;
            }
        }
        int[] persons = new int[distinct];
        int[] starts = new int[distinct + 1];
        int p = -1;
        for (int i = 0; i < size; i++) {
            if (i == 0 || sortedPersons[i] != sortedPersons[i - 1]) {
                p++;
                persons[p] = sortedPersons[i];
                starts[p] = i;
            }
        }
        starts[distinct] = size;
        long[] times = sortedTimes.length == size ? sortedTimes : Arrays.copyOf(sortedTimes, size);
        for (int q = 0; q < distinct; q++) {
            int from = starts[q];
            int to = starts[q + 1];
            for (int i = from + 1; i < to; i++) {
                if (times[i] < times[i - 1]) {
                    Arrays.sort(times, from, to);
                    break;
                }
            }
        }
        return new TimeRun(persons, starts, times);
    }

    /** One run holding both runs' entries. */
    static TimeRun merge(TimeRun a, TimeRun b) {
        int[] persons = new int[a.persons.length + b.persons.length];
        int[] starts = new int[persons.length + 1];
        long[] times = new long[a.size() + b.size()];
        int i = 0;
        int j = 0;
        int p = 0;
        int at = 0;
        while (i < a.persons.length || j < b.persons.length) {
            int pa = i < a.persons.length ? a.persons[i] : Integer.MAX_VALUE;
            int pb = j < b.persons.length ? b.persons[j] : Integer.MAX_VALUE;
            starts[p] = at;
            if (pa < pb) {
                persons[p++] = pa;
                at = copy(a, i++, times, at);
            }
            else if (pb < pa) {
                persons[p++] = pb;
                at = copy(b, j++, times, at);
            }
            else {
                persons[p++] = pa;
                int x = a.starts[i];
                int xe = a.starts[i + 1];
                int y = b.starts[j];
                int ye = b.starts[j + 1];
                while (x < xe && y < ye) {
                    times[at++] = a.times[x] <= b.times[y] ? a.times[x++] : b.times[y++];
                }
                while (x < xe) {
                    times[at++] = a.times[x++];
                }
                while (y < ye) {
                    times[at++] = b.times[y++];
                }
                i++;
                j++;
            }
        }
        starts[p] = at;
        return new TimeRun(Arrays.copyOf(persons, p), Arrays.copyOf(starts, p + 1), times);
    }

    private static int copy(TimeRun run, int person, long[] into, int at) {
        int from = run.starts[person];
        int length = run.starts[person + 1] - from;
        System.arraycopy(run.times, from, into, at, length);
        return at + length;
    }

    /** This run without the persons {@code removed} accepts; itself when it holds none of them. */
    TimeRun without(IntPredicate removed) {
        int keptPersons = 0;
        int keptTimes = 0;
        for (int p = 0; p < persons.length; p++) {
            if (!removed.test(persons[p])) {
                keptPersons++;
                keptTimes += starts[p + 1] - starts[p];
            }
        }
        if (keptPersons == persons.length) {
            return this;
        }
        int[] newPersons = new int[keptPersons];
        int[] newStarts = new int[keptPersons + 1];
        long[] newTimes = new long[keptTimes];
        int q = 0;
        int at = 0;
        for (int p = 0; p < persons.length; p++) {
            if (!removed.test(persons[p])) {
                newPersons[q] = persons[p];
                newStarts[q++] = at;
                at = copy(this, p, newTimes, at);
            }
        }
        newStarts[q] = at;
        return new TimeRun(newPersons, newStarts, newTimes);
    }
}
