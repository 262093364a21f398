package io.flywheel.events;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One person of a person list: a root combined with every person merged into it.
 *
 * @param firstSeen the earliest event's timestamp; null (with {@code lastSeen}) for a person who has
 *     done nothing yet, whom only profile data (an import) created
 * @param userId the root's userId or else the most recently seen one; null while anonymous
 * @param firstTouchChannel the channel of the earliest touch, null when the person has none
 * @param traits the combined traits as a JSON object text (see {@link PersonProfile#traits()})
 */
public record PersonSummary(long personId, Instant firstSeen, Instant lastSeen, long events, String userId,
        String firstTouchChannel, String traits) {

    public PersonSummary {
        requireNonNull(traits, "traits is null");
        checkSeen(firstSeen, lastSeen);
    }

    /** Both seen times or neither, in order. */
    static void checkSeen(Instant firstSeen, Instant lastSeen) {
        if ((firstSeen == null) != (lastSeen == null)) {
            throw new IllegalArgumentException("firstSeen and lastSeen are both null or neither is");
        }
        if (firstSeen != null && lastSeen.isBefore(firstSeen)) {
            throw new IllegalArgumentException("lastSeen must not be before firstSeen");
        }
    }
}
