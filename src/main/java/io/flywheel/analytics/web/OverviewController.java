package io.flywheel.analytics.web;

import io.flywheel.analytics.ActivitySummary;
import io.flywheel.analytics.Overview;
import io.flywheel.events.DailyActivity;
import io.flywheel.platform.Access;
import io.flywheel.platform.Capability;
import io.flywheel.platform.Project;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import tools.jackson.databind.json.JsonMapper;

@Controller
class OverviewController {

    static final int DAYS = 30;

    private final Overview overview;
    private final Access access;
    private final JsonMapper json;

    OverviewController(Overview overview, Access access, JsonMapper json) {
        this.overview = overview;
        this.access = access;
        this.json = json;
    }

    @GetMapping({"/p/{projectId}", "/p/{projectId}/", "/p/{projectId}/overview"})
    String overview(@PathVariable long projectId, Model model) {
        Project project = access.project(projectId, Capability.READ);
        ActivitySummary summary = overview.lastDays(project, DAYS);
        model.addAttribute("project", project);
        model.addAttribute("summary", summary);
        model.addAttribute("today", summary.onToday());
        model.addAttribute("yesterday", summary.onYesterday());
        model.addAttribute("chart", json.writeValueAsString(new Chart(
                summary.days().stream().map(day -> day.day().toString()).toList(),
                summary.days().stream().map(DailyActivity::events).toList(),
                summary.days().stream().map(DailyActivity::activePersons).toList())));
        return "analytics/overview";
    }

    /** The chart's data, serialised into the page for ECharts. */
    record Chart(List<String> days, List<Long> events, List<Long> persons) {
    }
}
