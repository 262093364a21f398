package io.flywheel.people;

import java.time.Instant;

/**
 * One row of the person list.
 *
 * @param name the {@code name} trait, null when the person has none
 * @param userId null while the person is anonymous
 * @param channel the first-touch channel, null when the person has no touch
 * @param firstSeen null (with {@code lastSeen}) for a person with no activity yet, created by an import
 */
public record PersonListItem(long personId, String name, String userId, String city, String gender, String ageBand, String channel,
        Instant firstSeen, Instant lastSeen, long events) {

    /** Whether the person has done anything at all; a person only imported has not. */
    public boolean seen() {
        return firstSeen != null;
    }
}
