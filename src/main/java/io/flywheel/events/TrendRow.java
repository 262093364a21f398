package io.flywheel.events;

import static java.util.Objects.requireNonNull;

import java.time.LocalDateTime;

/**
 * The value of one group in one bucket. Buckets without events are absent.
 *
 * @param bucket start of the bucket in the project's time zone
 * @param group the breakdown value, {@link Breakdown#OTHER}, {@link Breakdown#NONE}, or null without a breakdown
 */
public record TrendRow(LocalDateTime bucket, String group, double value) {

    public TrendRow {
        requireNonNull(bucket, "bucket is null");
    }
}
