package io.flywheel.events;

import static java.util.Objects.requireNonNull;

/**
 * How many persons of one group reached each step, and how long they took.
 *
 * @param group breakdown value, or null without a breakdown
 * @param reached {@code reached[i]}: persons whose furthest step is at least step i+1
 * @param medianSeconds {@code medianSeconds[i]}: median seconds from step i to step i+1 among persons who reached
 *                      step i+1, along the latest chain that reached it; index 0 is always 0; NaN when nobody did
 */
public record FunnelCounts(String group, long[] reached, double[] medianSeconds) {

    public FunnelCounts {
        requireNonNull(reached, "reached is null");
        requireNonNull(medianSeconds, "medianSeconds is null");
        if (reached.length != medianSeconds.length) {
            throw new IllegalArgumentException("reached and medianSeconds differ in length");
        }
    }
}
