package io.flywheel.platform.internal;

import io.flywheel.platform.Access;
import io.flywheel.platform.Actor;
import io.flywheel.platform.Capability;
import io.flywheel.platform.Project;
import io.flywheel.platform.Role;
import io.flywheel.shared.NotFoundException;
import java.util.List;
import java.util.Set;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;

@Service
class AccessService implements Access {

    private final UserStore users;
    private final ProjectStore projects;

    AccessService(UserStore users, ProjectStore projects) {
        this.users = users;
        this.projects = projects;
    }

    @Override
    public Actor current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof ProjectKeyAuthentication key) {
            // A machine key acts like an operator inside its own project and nowhere else.
            return new Actor("key:project-" + key.projectId(), Role.OPERATOR, true, Set.of(key.projectId()));
        }
        if (authentication == null || !authentication.isAuthenticated() || authentication.getName() == null) {
            throw new AuthenticationCredentialsNotFoundException("not signed in");
        }
        return users.findByUsername(authentication.getName())
                .filter(account -> account.enabled())
                .map(account -> new Actor(account.username(), account.role(), false, account.projects()))
                .orElseThrow(() -> new AccessDeniedException("this account is disabled"));
    }

    @Override
    public Project project(long projectId, Capability capability) {
        Actor actor = current();
        if (!actor.canSee(projectId)) {
            throw new NotFoundException("project " + projectId + " does not exist");
        }
        Project project = projects.find(projectId).orElseThrow(() -> new NotFoundException("project " + projectId + " does not exist"));
        if (!actor.can(capability)) {
            throw new AccessDeniedException("your role does not allow this");
        }
        return project;
    }

    @Override
    public void require(Capability capability) {
        Actor actor = current();
        if (actor.projectKey() && capability == Capability.MANAGE) {
            throw new AccessDeniedException("a project key cannot manage projects or users");
        }
        if (!actor.can(capability)) {
            throw new AccessDeniedException("your role does not allow this");
        }
    }

    @Override
    public List<Project> visibleProjects() {
        Actor actor = current();
        return projects.all().stream().filter(project -> actor.canSee(project.id())).toList();
    }
}
