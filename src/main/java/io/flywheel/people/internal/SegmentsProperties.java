package io.flywheel.people.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How segments and rule tags are kept current.
 *
 * @param refreshDelay pause between two rounds of the refresher (changed persons, changed rules)
 * @param fullRefreshInterval how often every rule set is evaluated again for everyone, because
 *                            "last D days" windows slide without new events (also after midnight in
 *                            the project's zone)
 * @param sampleInterval how often a set's size is written to its history at most (plus once an hour)
 * @param countTimeout how long a live count or a member list may run
 */
@ConfigurationProperties("flywheel.segments")
public record SegmentsProperties(
        @DefaultValue("1s") Duration refreshDelay,
        @DefaultValue("10m") Duration fullRefreshInterval,
        @DefaultValue("1m") Duration sampleInterval,
        @DefaultValue("30s") Duration countTimeout) {

    public static SegmentsProperties defaults() {
        return new SegmentsProperties(Duration.ofSeconds(1), Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofSeconds(30));
    }
}
