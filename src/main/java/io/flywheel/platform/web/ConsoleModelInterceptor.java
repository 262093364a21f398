package io.flywheel.platform.web;

import io.flywheel.platform.Access;
import io.flywheel.platform.Actor;
import io.flywheel.platform.ConsoleBanner;
import io.flywheel.platform.NavItem;
import io.flywheel.platform.Project;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.context.MessageSource;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.support.RequestContextUtils;
import org.springframework.web.servlet.view.RedirectView;

/**
 * Adds what the console shell needs to every rendered page: the signed-in user, the projects they
 * may switch to, the current project, the navigation and any banner. Only rendered views pay for it.
 */
@Component
class ConsoleModelInterceptor implements HandlerInterceptor {

    private final Access access;
    private final List<NavItem> navigation;
    private final List<ConsoleBanner> banners;
    private final MessageSource messages;

    ConsoleModelInterceptor(Access access, List<NavItem> navigation, List<ConsoleBanner> banners, MessageSource messages) {
        this.access = access;
        this.navigation = navigation.stream().sorted(Comparator.comparingInt(NavItem::order)).toList();
        this.banners = banners;
        this.messages = messages;
    }

    @Override
    public void postHandle(HttpServletRequest request, HttpServletResponse response, Object handler, ModelAndView view) {
        if (view == null || view.getView() instanceof RedirectView || (view.getViewName() != null && view.getViewName().startsWith("redirect:"))) {
            return;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        view.addObject("requestPath", path);
        view.addObject("languagePath", languagePath(path, request.getQueryString()));
        view.addObject("section", section(path));
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || authentication instanceof AnonymousAuthenticationToken || !authentication.isAuthenticated()) {
            view.addObject("visibleProjects", List.of());
            view.addObject("adminNav", List.of());
            return;
        }
        Actor actor = access.current();
        List<Project> visible = access.visibleProjects();
        Project current = currentProject(request, visible);
        view.addObject("currentUser", actor);
        view.addObject("isAdmin", actor.isAdmin());
        view.addObject("visibleProjects", visible);
        view.addObject("currentProject", current);
        view.addObject("projectNav", navigation.stream().filter(item -> item.projectScoped() && actor.can(item.capability())).toList());
        view.addObject("adminNav", navigation.stream().filter(item -> !item.projectScoped() && actor.can(item.capability())).toList());
        if (current != null) {
            view.addObject("banner", banner(current.id(), RequestContextUtils.getLocale(request)));
        }
    }

    private String banner(long projectId, Locale locale) {
        for (ConsoleBanner source : banners) {
            Optional<ConsoleBanner.Notice> notice = source.notice(projectId);
            if (notice.isPresent()) {
                return messages.getMessage(notice.get().messageKey(), notice.get().arguments(), locale);
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Project currentProject(HttpServletRequest request, List<Project> visible) {
        Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        if (!(variables instanceof Map<?, ?> map) || !(map.get("projectId") instanceof String id)) {
            return null;
        }
        return visible.stream().filter(project -> String.valueOf(project.id()).equals(id)).findFirst().orElse(null);
    }

    /**
     * The page's path with its query string but without {@code lang}, for the language links: a
     * report's parameters are the report, so switching language must keep them.
     */
    static String languagePath(String path, String query) {
        if (query == null || query.isEmpty()) {
            return path;
        }
        String kept = Arrays.stream(query.split("&"))
                .filter(parameter -> !parameter.isEmpty() && !parameter.equals("lang") && !parameter.startsWith("lang="))
                .collect(Collectors.joining("&"));
        return kept.isEmpty() ? path : path + "?" + kept;
    }

    /** The part of a project page's path after {@code /p/{id}/}, so the switcher keeps the page. */
    static String section(String path) {
        if (!path.startsWith("/p/")) {
            return null;
        }
        int slash = path.indexOf('/', 3);
        return slash < 0 || slash == path.length() - 1 ? "overview" : path.substring(slash + 1);
    }
}
