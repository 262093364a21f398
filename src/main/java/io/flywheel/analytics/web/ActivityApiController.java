package io.flywheel.analytics.web;

import io.flywheel.analytics.ActivitySummary;
import io.flywheel.analytics.Overview;
import io.flywheel.platform.Access;
import io.flywheel.platform.Capability;
import io.flywheel.platform.Project;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.LocalDate;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Overview", description = "Daily activity of a project")
class ActivityApiController {

    private final Overview overview;
    private final Access access;

    ActivityApiController(Overview overview, Access access) {
        this.overview = overview;
        this.access = access;
    }

    @GetMapping("/api/v1/projects/{projectId}/activity")
    @Operation(summary = "Events and active persons per day",
            description = "from/to are inclusive ISO dates in the project's time zone; both default to the last 30 days.")
    ActivitySummary activity(@PathVariable long projectId,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
        Project project = access.project(projectId, Capability.READ);
        if (from == null && to == null) {
            return overview.lastDays(project, 30);
        }
        LocalDate end = to != null ? to : from.plusDays(29);
        LocalDate start = from != null ? from : end.minusDays(29);
        return overview.between(project, start, end);
    }
}
