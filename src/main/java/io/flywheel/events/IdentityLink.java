package io.flywheel.events;

import static java.util.Objects.requireNonNull;

/** A distinct id (an anonymousId or a userId) of a project belongs to a person. */
public record IdentityLink(long projectId, String distinctId, long personId) {

    public IdentityLink {
        requireNonNull(distinctId, "distinctId is null");
    }
}
