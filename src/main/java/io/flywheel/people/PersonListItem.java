package io.flywheel.people;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One row of the person list.
 *
 * @param name the {@code name} trait, null when the person has none
 * @param userId null while the person is anonymous
 * @param channel the first-touch channel, null when the person has no touch
 */
public record PersonListItem(long personId, String name, String userId, String city, String gender, String ageBand, String channel,
        Instant firstSeen, Instant lastSeen, long events) {

    public PersonListItem {
        requireNonNull(firstSeen, "firstSeen is null");
        requireNonNull(lastSeen, "lastSeen is null");
    }
}
