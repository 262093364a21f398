package io.flywheel.events;

import static java.util.Objects.requireNonNull;

/**
 * A distinct id of a project belongs to a person.
 *
 * @param userId whether the id is a userId (a known customer) rather than an anonymousId
 */
public record IdentityLink(long projectId, String distinctId, long personId, boolean userId) {

    public IdentityLink {
        requireNonNull(distinctId, "distinctId is null");
    }
}
