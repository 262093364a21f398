package io.flywheel.events;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A person was deleted from the event store with every person merged with it: their events,
 * identity links, merges and profiles are gone. Published by the module that deleted the person,
 * so that modules keeping identities in memory forget these ids and persons.
 *
 * @param personId the root that was asked for
 * @param personIds the root and every person merged into it, ascending
 * @param distinctIds the anonymousIds and userIds that were linked to them or seen on their events
 * @param events the number of events removed
 */
public record PersonDeleted(long projectId, long personId, List<Long> personIds, List<String> distinctIds, long events) {

    public PersonDeleted {
        personIds = List.copyOf(requireNonNull(personIds, "personIds is null"));
        distinctIds = List.copyOf(requireNonNull(distinctIds, "distinctIds is null"));
        if (!personIds.contains(personId)) {
            throw new IllegalArgumentException("personIds must contain the person");
        }
    }
}
