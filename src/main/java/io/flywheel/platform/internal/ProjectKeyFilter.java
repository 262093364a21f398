package io.flywheel.platform.internal;

import io.flywheel.platform.Projects;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/** Authenticates {@code Authorization: Bearer <project secret key>} on the management API. */
final class ProjectKeyFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";

    private final Projects projects;

    ProjectKeyFilter(Projects projects) {
        this.projects = projects;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            chain.doFilter(request, response);
            return;
        }
        Optional<Long> projectId = projects.findBySecretKey(header.substring(BEARER.length()).trim()).map(project -> project.id());
        if (projectId.isEmpty()) {
            ProblemResponses.write(response, 401, "unauthenticated", "Unauthorized", "the bearer token is not a valid project secret key");
            return;
        }
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new ProjectKeyAuthentication(projectId.get()));
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        }
        finally {
            SecurityContextHolder.clearContext();
        }
    }
}
