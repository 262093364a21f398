package io.flywheel.events.internal;

import io.flywheel.events.FunnelCounts;
import java.util.Arrays;

/** Counts persons per furthest step and collects step-to-step durations for the medians. */
final class FunnelAccumulator {

    private final long[] reached;
    private final long[][] durations;
    private final int[] sizes;

    FunnelAccumulator(int steps) {
        reached = new long[steps];
        durations = new long[steps][16];
        sizes = new int[steps];
    }

    /** A person whose furthest step is {@code level}, with the step times of that chain (microseconds). */
    void add(int level, long[] path) {
        for (int i = 0; i < level; i++) {
            reached[i]++;
        }
        for (int i = 1; i < level; i++) {
            if (sizes[i] == durations[i].length) {
                durations[i] = Arrays.copyOf(durations[i], sizes[i] * 2);
            }
            durations[i][sizes[i]++] = path[i] - path[i - 1];
        }
    }

    /** Adds another accumulator's persons and durations (for walks split over threads). */
    void add(FunnelAccumulator other) {
        for (int i = 0; i < reached.length; i++) {
            reached[i] += other.reached[i];
            if (sizes[i] + other.sizes[i] > durations[i].length) {
                durations[i] = Arrays.copyOf(durations[i], sizes[i] + other.sizes[i]);
            }
            System.arraycopy(other.durations[i], 0, durations[i], sizes[i], other.sizes[i]);
            sizes[i] += other.sizes[i];
        }
    }

    FunnelCounts counts(String group) {
        double[] medians = new double[reached.length];
        for (int i = 1; i < reached.length; i++) {
            medians[i] = median(durations[i], sizes[i]) / 1_000_000d;
        }
        return new FunnelCounts(group, reached.clone(), medians);
    }

    private static double median(long[] values, int size) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        return size % 2 == 1 ? sorted[size / 2] : (sorted[size / 2 - 1] + sorted[size / 2]) / 2d;
    }
}
