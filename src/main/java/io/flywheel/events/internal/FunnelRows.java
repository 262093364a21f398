package io.flywheel.events.internal;

import java.util.Arrays;

/**
 * The matching events of a funnel, column by column, grouped by person in Java instead of sorted by
 * the engine: a counting sort on dense person numbers, then a time sort only for the few persons
 * whose events did not arrive in time order.
 */
final class FunnelRows {

    private int size;
    private int[] persons = new int[1 << 16];
    private long[] times = new long[1 << 16];
    private int[] masks = new int[1 << 16];
    private int[] groups = new int[1 << 16];

    void add(int person, long time, int mask, int group) {
        if (size == persons.length) {
            int capacity = size * 2;
            persons = Arrays.copyOf(persons, capacity);
            times = Arrays.copyOf(times, capacity);
            masks = Arrays.copyOf(masks, capacity);
            groups = Arrays.copyOf(groups, capacity);
        }
        persons[size] = person;
        times[size] = time;
        masks[size] = mask;
        groups[size] = group;
        size++;
    }

    /** Receives the events of one person at a time, in time order. */
    interface PersonVisitor {
        void person(long[] times, int[] masks, int[] groups, int from, int to);
    }

    /** Visits every person's events in time order; {@code personCount} is one more than the highest person number. */
    void visit(int personCount, PersonVisitor visitor) {
        int[] starts = new int[personCount + 1];
        for (int i = 0; i < size; i++) {
            starts[persons[i] + 1]++;
        }
        for (int p = 0; p < personCount; p++) {
            starts[p + 1] += starts[p];
        }
        long[] sortedTimes = new long[size];
        int[] sortedMasks = new int[size];
        int[] sortedGroups = new int[size];
        int[] next = Arrays.copyOf(starts, personCount);
        for (int i = 0; i < size; i++) {
            int at = next[persons[i]]++;
            sortedTimes[at] = times[i];
            sortedMasks[at] = masks[i];
            sortedGroups[at] = groups[i];
        }
        for (int p = 0; p < personCount; p++) {
            int from = starts[p];
            int to = starts[p + 1];
            if (from == to) {
                continue;
            }
            if (!inOrder(sortedTimes, from, to)) {
                sort(sortedTimes, sortedMasks, sortedGroups, from, to);
            }
            visitor.person(sortedTimes, sortedMasks, sortedGroups, from, to);
        }
    }

    private static boolean inOrder(long[] times, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            if (times[i] < times[i - 1]) {
                return false;
            }
        }
        return true;
    }

    /** Sorts one person's events by time (a stable merge sort through index order). */
    private static void sort(long[] times, int[] masks, int[] groups, int from, int to) {
        int length = to - from;
        Integer[] order = new Integer[length];
        for (int i = 0; i < length; i++) {
            order[i] = from + i;
        }
        Arrays.sort(order, (left, right) -> Long.compare(times[left], times[right]));
        long[] t = new long[length];
        int[] m = new int[length];
        int[] g = new int[length];
        for (int i = 0; i < length; i++) {
            t[i] = times[order[i]];
            m[i] = masks[order[i]];
            g[i] = groups[order[i]];
        }
        System.arraycopy(t, 0, times, from, length);
        System.arraycopy(m, 0, masks, from, length);
        System.arraycopy(g, 0, groups, from, length);
    }
}
