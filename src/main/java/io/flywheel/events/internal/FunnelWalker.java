package io.flywheel.events.internal;

import java.util.Arrays;

/**
 * The {@code windowFunnel} default-mode state machine for one person's events, fed in time order.
 * Entries with the same timestamp are combined first and their steps taken in ascending order, as
 * ClickHouse sorts (timestamp, step) pairs. For each level the walker keeps the latest chain that
 * reached it (its step times and the group of its first event); a later step-1 event starts a new
 * chain, which can only extend the reach.
 */
final class FunnelWalker {

    private final int steps;
    private final long window;
    private final boolean[] reached;
    private final long[][] paths;
    private final int[] groups;
    private boolean complete;
    private long pendingTime;
    private int pendingMask;
    private int pendingGroup;

    FunnelWalker(int steps, long window) {
        this.steps = steps;
        this.window = window;
        this.reached = new boolean[steps];
        this.paths = new long[steps][steps];
        this.groups = new int[steps];
    }

    int steps() {
        return steps;
    }

    void reset() {
        Arrays.fill(reached, false);
        Arrays.fill(groups, -1);
        complete = false;
        pendingMask = 0;
        pendingGroup = -1;
    }

    /** One event: its time, the steps it matches as bits (bit i = step i+1), and its breakdown group. */
    void add(long time, int mask, int group) {
        if (pendingMask != 0 && time != pendingTime) {
            flush();
        }
        if (pendingMask == 0 || (mask & 1) != 0) {
            pendingGroup = group;
        }
        pendingTime = time;
        pendingMask |= mask;
    }

    private void flush() {
        int mask = pendingMask;
        long time = pendingTime;
        pendingMask = 0;
        if (complete) {
            return;
        }
        for (int step = 0; step < steps && mask >>> step != 0; step++) {
            if ((mask & (1 << step)) == 0) {
                continue;
            }
            if (step == 0) {
                reached[0] = true;
                paths[0][0] = time;
                groups[0] = pendingGroup;
            }
            else if (reached[step - 1] && time - paths[step - 1][0] <= window) {
                reached[step] = true;
                System.arraycopy(paths[step - 1], 0, paths[step], 0, step);
                paths[step][step] = time;
                groups[step] = groups[step - 1];
                if (step == steps - 1) {
                    complete = true;
                    return;
                }
            }
        }
    }

    /** The furthest level reached (0 to steps), after every event of the person was added. */
    int level() {
        if (pendingMask != 0) {
            flush();
        }
        for (int level = steps; level > 0; level--) {
            if (reached[level - 1]) {
                return level;
            }
        }
        return 0;
    }

    /** The step times of the chain that reached {@code level}. */
    long[] path(int level) {
        return paths[level - 1];
    }

    /** The group of the first event of the chain that reached the furthest level. */
    int group() {
        int level = level();
        return level == 0 ? -1 : groups[level - 1];
    }
}
