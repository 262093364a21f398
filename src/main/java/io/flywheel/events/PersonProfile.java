package io.flywheel.events;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * What the event store knows about one person, with every person merged into it combined: merges
 * are applied when reading, never by rewriting.
 *
 * @param personId the root person, the one that every merged person now counts as
 * @param mergedPersonIds the persons merged into the root, ascending
 * @param firstSeen timestamp of the earliest event; null for a person who has done nothing yet, whom
 *     only profile data (an import) created
 * @param lastSeen timestamp of the latest event; null exactly when {@code firstSeen} is
 * @param events number of events
 * @param userId the latest known userId, null while the person is anonymous
 * @param traits the traits sent by identify calls, as a JSON object text. A later call overwrites the
 *     keys it sends and keeps the others (JSON merge patch, RFC 7396: a null value removes a trait);
 *     merged persons are combined in the order of their last identify, so the latest call wins
 * @param firstTouch the touch with the earliest timestamp, null when the person has none
 * @param lastTouch the touch with the latest timestamp, null when the person has none
 * @param anonymousIds the anonymousIds linked to the person or seen on its events, sorted
 * @param userIds the userIds linked to the person or seen on its events, sorted
 */
public record PersonProfile(
        long projectId,
        long personId,
        List<Long> mergedPersonIds,
        Instant firstSeen,
        Instant lastSeen,
        long events,
        String userId,
        String traits,
        Touch firstTouch,
        Touch lastTouch,
        List<String> anonymousIds,
        List<String> userIds) {

    public PersonProfile {
        mergedPersonIds = List.copyOf(requireNonNull(mergedPersonIds, "mergedPersonIds is null"));
        requireNonNull(traits, "traits is null");
        anonymousIds = List.copyOf(requireNonNull(anonymousIds, "anonymousIds is null"));
        userIds = List.copyOf(requireNonNull(userIds, "userIds is null"));
        PersonSummary.checkSeen(firstSeen, lastSeen);
    }

    /** Whether the person has done anything at all; a person only imported has not. */
    public boolean seen() {
        return firstSeen != null;
    }

    /**
     * An event that carried a channel (a page view or a campaign-tagged event): where the person
     * came from at that moment.
     *
     * @param campaign the touch's {@code utm_campaign}, null when it had none
     * @param at the event's timestamp
     */
    public record Touch(String channel, String campaign, Instant at) {

        public Touch {
            requireNonNull(channel, "channel is null");
            requireNonNull(at, "at is null");
        }
    }
}
