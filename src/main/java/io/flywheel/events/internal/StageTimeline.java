package io.flywheel.events.internal;

import io.flywheel.events.LifecycleStage;
import io.flywheel.events.LifecycleThresholds;
import java.util.Arrays;

/**
 * The lifecycle stages of one person over time, as a pure function of the person's activity: the
 * first and last activity (exact), and the gaps between active hours of at least the at-risk
 * threshold (hour resolution). Activity between such gaps forms runs; within a run the person is
 * never at-risk. The stage at an instant T:
 *
 * <ol>
 *   <li>churned, dormant or at-risk when the last activity up to T is that long ago (≥ threshold);
 *   <li>otherwise new when first seen less than {@code newDays} before T;
 *   <li>otherwise reactivated when a run began less than {@code newDays} before T after a gap of at
 *       least {@code dormantDays};
 *   <li>otherwise active.
 * </ol>
 *
 * The stage only changes at a few candidate instants (first seen, +new; each return, +new; each
 * run's end + at-risk, + dormant, + churned), so the whole timeline is the stage at each of them.
 * One instance is reused for many persons; not thread safe. Times are epoch microseconds.
 */
final class StageTimeline {

    static final long HOUR = 3_600_000_000L;
    private static final long DAY = 24 * HOUR;
    private static final LifecycleStage[] STAGES = LifecycleStage.values();

    private final long newSpan;
    private final long atRisk;
    private final long dormant;
    private final long churned;

    private long first;
    private long last;
    private int gaps;
    private long[] gapStart = new long[8];
    private long[] gapEnd = new long[8];

    private int segments;
    private long[] segmentFrom = new long[16];
    private byte[] segmentStage = new byte[16];
    private long[] candidates = new long[32];

    StageTimeline(LifecycleThresholds thresholds) {
        newSpan = thresholds.newDays() * DAY;
        atRisk = thresholds.atRiskDays() * DAY;
        dormant = thresholds.dormantDays() * DAY;
        churned = thresholds.churnedDays() * DAY;
    }

    /** The smallest gap between active hours that can change a stage, in hours. */
    long gapHours() {
        return atRisk / HOUR;
    }

    /** Starts a person: first and last activity, exact. */
    void reset(long firstActivity, long lastActivity) {
        first = firstActivity;
        last = Math.max(firstActivity, lastActivity);
        gaps = 0;
        segments = 0;
    }

    /** Adds a gap between two active hours (start of the hour before, start of the hour after), in time order. */
    void gap(long lastHourBefore, long firstHourAfter) {
        if (gaps == gapStart.length) {
            gapStart = Arrays.copyOf(gapStart, gaps * 2);
            gapEnd = Arrays.copyOf(gapEnd, gaps * 2);
        }
        gapStart[gaps] = lastHourBefore;
        gapEnd[gaps] = firstHourAfter;
        gaps++;
    }

    /** Adds the gaps found in a person's active hours (hours since the epoch, ascending). */
    void gaps(int[] hours, int from, int to) {
        long threshold = gapHours();
        for (int i = from + 1; i < to; i++) {
            if (hours[i] - (long) hours[i - 1] >= threshold) {
                gap(hours[i - 1] * HOUR, hours[i] * HOUR);
            }
        }
    }

    private long runStart(int run) {
        return run == 0 ? first : gapEnd[run - 1];
    }

    private long runEnd(int run) {
        return run < gaps ? Math.max(gapStart[run], runStart(run)) : Math.max(last, runStart(run));
    }

    /** The stage at {@code t}, or null before the person was first seen. */
    LifecycleStage stageAt(long t) {
        int index = stageIndexAt(t);
        return index < 0 ? null : STAGES[index];
    }

    private int stageIndexAt(long t) {
        if (t < first) {
            return -1;
        }
        int run = 0;
        while (run < gaps && gapEnd[run] <= t) {
            run++;
        }
        long end = runEnd(run);
        long idle = t > end ? t - end : 0;
        if (idle >= churned) {
            return LifecycleStage.CHURNED.ordinal();
        }
        if (idle >= dormant) {
            return LifecycleStage.DORMANT.ordinal();
        }
        if (idle >= atRisk) {
            return LifecycleStage.AT_RISK.ordinal();
        }
        if (t - first < newSpan) {
            return LifecycleStage.NEW.ordinal();
        }
        for (int i = 0; i < run; i++) {
            if (gapEnd[i] - gapStart[i] >= dormant && t - gapEnd[i] < newSpan) {
                return LifecycleStage.REACTIVATED.ordinal();
            }
        }
        return LifecycleStage.ACTIVE.ordinal();
    }

    /** Builds the segments of constant stage that begin up to {@code until}. */
    void build(long until) {
        int count = 0;
        count = add(count, first);
        count = add(count, first + newSpan);
        for (int run = 0; run <= gaps; run++) {
            if (run > 0) {
                count = add(count, gapEnd[run - 1]);
                count = add(count, gapEnd[run - 1] + newSpan);
            }
            long end = runEnd(run);
            count = add(count, end + atRisk);
            count = add(count, end + dormant);
            count = add(count, end + churned);
        }
        Arrays.sort(candidates, 0, count);
        segments = 0;
        for (int i = 0; i < count; i++) {
            long t = candidates[i];
            if (t > until || (i > 0 && t == candidates[i - 1])) {
                continue;
            }
            int stage = stageIndexAt(t);
            if (stage < 0 || (segments > 0 && segmentStage[segments - 1] == stage)) {
                continue;
            }
            if (segments == segmentFrom.length) {
                segmentFrom = Arrays.copyOf(segmentFrom, segments * 2);
                segmentStage = Arrays.copyOf(segmentStage, segments * 2);
            }
            segmentFrom[segments] = t;
            segmentStage[segments] = (byte) stage;
            segments++;
        }
    }

    private int add(int count, long t) {
        if (count == candidates.length) {
            candidates = Arrays.copyOf(candidates, count * 2);
        }
        candidates[count] = t;
        return count + 1;
    }

    /** The number of segments built. */
    int segments() {
        return segments;
    }

    long segmentFrom(int segment) {
        return segmentFrom[segment];
    }

    LifecycleStage segmentStage(int segment) {
        return STAGES[segmentStage[segment]];
    }

    /** The index of the segment holding {@code t} among those built, or -1 before the first. */
    int segmentAt(long t) {
        int found = -1;
        for (int i = 0; i < segments && segmentFrom[i] <= t; i++) {
            found = i;
        }
        return found;
    }
}
