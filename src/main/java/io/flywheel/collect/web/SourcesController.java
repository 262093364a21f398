package io.flywheel.collect.web;

import io.flywheel.collect.internal.Ingestion;
import io.flywheel.events.EventStore;
import io.flywheel.platform.Access;
import io.flywheel.platform.Capability;
import io.flywheel.platform.Project;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** How to send data to a project, and a live view of what arrives (the debugger). */
@Controller
class SourcesController {

    static final int LIVE_EVENTS = 50;

    private final Access access;
    private final EventStore events;
    private final Ingestion ingestion;

    SourcesController(Access access, EventStore events, Ingestion ingestion) {
        this.access = access;
        this.events = events;
        this.ingestion = ingestion;
    }

    @GetMapping("/p/{projectId}/sources")
    String sources(@PathVariable long projectId, HttpServletRequest request, Model model) {
        Project project = access.project(projectId, Capability.READ);
        model.addAttribute("project", project);
        model.addAttribute("host", ServletUriComponentsBuilder.fromContextPath(request).replacePath(null).build().toUriString());
        model.addAttribute("events", events.latest(projectId, LIVE_EVENTS));
        model.addAttribute("lag", ingestion.lag());
        return "collect/sources";
    }

    @GetMapping("/p/{projectId}/sources/live")
    String live(@PathVariable long projectId, Model model) {
        model.addAttribute("project", access.project(projectId, Capability.READ));
        model.addAttribute("events", events.latest(projectId, LIVE_EVENTS));
        model.addAttribute("lag", ingestion.lag());
        return "collect/sources :: live";
    }
}
