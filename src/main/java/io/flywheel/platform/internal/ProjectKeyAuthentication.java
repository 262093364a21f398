package io.flywheel.platform.internal;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A machine authenticated with a project's secret key; it sees that one project only. */
final class ProjectKeyAuthentication extends AbstractAuthenticationToken {

    private final long projectId;

    ProjectKeyAuthentication(long projectId) {
        super(List.of(new SimpleGrantedAuthority("ROLE_PROJECT_KEY")));
        this.projectId = projectId;
        setAuthenticated(true);
    }

    long projectId() {
        return projectId;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return "key:project-" + projectId;
    }
}
