package io.flywheel.platform;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Set;

/** A console user as shown to admins; never carries the password hash. */
public record UserAccount(
        long id, String username, String displayName, Role role, boolean enabled, Set<Long> projects, Instant createdAt) {

    public UserAccount {
        requireNonNull(username, "username is null");
        requireNonNull(displayName, "displayName is null");
        requireNonNull(role, "role is null");
        projects = Set.copyOf(requireNonNull(projects, "projects is null"));
        requireNonNull(createdAt, "createdAt is null");
    }
}
