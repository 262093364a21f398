package io.flywheel.platform;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * Who is calling: a console user (by HTTP Basic or a console session) or a machine holding a
 * project's secret key. A machine sees exactly one project.
 *
 * @param projects the projects a non-admin user or a key may see; ignored for admins
 */
public record Actor(String name, Role role, boolean projectKey, Set<Long> projects) {

    public Actor {
        requireNonNull(name, "name is null");
        requireNonNull(role, "role is null");
        projects = Set.copyOf(requireNonNull(projects, "projects is null"));
    }

    public boolean isAdmin() {
        return !projectKey && role == Role.ADMIN;
    }

    public boolean canSee(long projectId) {
        return isAdmin() || projects.contains(projectId);
    }

    public boolean can(Capability capability) {
        return role.can(capability);
    }
}
