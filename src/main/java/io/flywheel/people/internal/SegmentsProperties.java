package io.flywheel.people.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How segments and rule tags are kept current.
 *
 * @param refreshDelay pause between two rounds of the refresher (changed persons, changed rules, window edges); a round
 *                     that evaluated changed persons is followed this long after it started, at once if it took longer
 * @param fullRefreshInterval how often rules that rank a person against everyone (RFM) are evaluated
 *                            again for everyone (also after midnight in the project's zone)
 * @param fullPassBudget how long one round may spend evaluating sets of the backlog for everyone
 *                       (after a start, and the ranked rules), so that the next round's changed persons
 *                       wait little; at least one set per round, and ten times as long in a round that
 *                       had no changed persons or rules
 * @param fullPassShare at most this share of the refresher's time goes to the backlog while changed persons keep
 *                      coming: after a round spent T on it, the backlog rests for T × (1 − share) / share in rounds
 *                      that have changed persons (a pass of one rule for everyone takes seconds on a large data set,
 *                      and every changed person would wait for it); 1 never rests
 * @param sampleInterval how often a set's size is written to its history at most (plus once an hour)
 * @param countTimeout how long a live count or a member list may run
 */
@ConfigurationProperties("flywheel.segments")
public record SegmentsProperties(
        @DefaultValue("250ms") Duration refreshDelay,
        @DefaultValue("1h") Duration fullRefreshInterval,
        @DefaultValue("500ms") Duration fullPassBudget,
        @DefaultValue("0.25") double fullPassShare,
        @DefaultValue("1m") Duration sampleInterval,
        @DefaultValue("30s") Duration countTimeout) {

    public SegmentsProperties {
        if (!(fullPassShare > 0 && fullPassShare <= 1)) {
            throw new IllegalArgumentException("flywheel.segments.full-pass-share must be above 0 and at most 1, not " + fullPassShare);
        }
    }

    public static SegmentsProperties defaults() {
        return new SegmentsProperties(Duration.ofMillis(250), Duration.ofHours(1), Duration.ofMillis(500), 0.25, Duration.ofMinutes(1),
                Duration.ofSeconds(30));
    }
}
