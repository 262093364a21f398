package io.flywheel.events;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One person of a person list: a root combined with every person merged into it.
 *
 * @param userId the root's userId or else the most recently seen one; null while anonymous
 * @param firstTouchChannel the channel of the earliest touch, null when the person has none
 * @param traits the combined traits as a JSON object text (see {@link PersonProfile#traits()})
 */
public record PersonSummary(long personId, Instant firstSeen, Instant lastSeen, long events, String userId,
        String firstTouchChannel, String traits) {

    public PersonSummary {
        requireNonNull(firstSeen, "firstSeen is null");
        requireNonNull(lastSeen, "lastSeen is null");
        requireNonNull(traits, "traits is null");
    }
}
