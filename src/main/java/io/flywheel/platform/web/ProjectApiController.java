package io.flywheel.platform.web;

import io.flywheel.platform.Access;
import io.flywheel.platform.Capability;
import io.flywheel.platform.Project;
import io.flywheel.platform.ProjectKeys;
import io.flywheel.platform.Projects;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/projects")
@Tag(name = "Projects", description = "Projects (tenants) and their keys")
class ProjectApiController {

    record CreateProject(@NotBlank @Size(max = 200) String name, String timeZone) {
    }

    record UpdateProject(@Size(max = 200) String name, String timeZone) {
    }

    record ProjectView(long id, String name, String timeZone, String writeKey, Instant createdAt) {
        static ProjectView of(Project project) {
            return new ProjectView(project.id(), project.name(), project.timeZone().getId(), project.writeKey(), project.createdAt());
        }
    }

    record ProjectWithKeys(long id, String name, String timeZone, String writeKey, String secretKey, Instant createdAt) {
        static ProjectWithKeys of(ProjectKeys keys) {
            Project project = keys.project();
            return new ProjectWithKeys(project.id(), project.name(), project.timeZone().getId(), project.writeKey(),
                    keys.secretKey(), project.createdAt());
        }
    }

    private final Projects projects;
    private final Access access;

    ProjectApiController(Projects projects, Access access) {
        this.projects = projects;
        this.access = access;
    }

    @PostMapping
    @Operation(summary = "Create a project (admin)", description = "Returns the project with its write key and secret key. The secret key is shown only here.")
    ResponseEntity<ProjectWithKeys> create(@Valid @RequestBody CreateProject request) {
        access.require(Capability.MANAGE);
        ZoneId zone = TimeZones.parse(request.timeZone(), ZoneId.of("UTC"));
        ProjectKeys created = projects.create(request.name(), zone, access.current().name());
        return ResponseEntity.created(URI.create("/api/v1/projects/" + created.project().id())).body(ProjectWithKeys.of(created));
    }

    @GetMapping
    @Operation(summary = "List the projects the caller may see")
    List<ProjectView> list() {
        return access.visibleProjects().stream().map(ProjectView::of).toList();
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get one project")
    ProjectView get(@PathVariable long id) {
        return ProjectView.of(access.project(id, Capability.READ));
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Rename a project or change its time zone (admin)")
    ProjectView update(@PathVariable long id, @Valid @RequestBody UpdateProject request) {
        Project project = access.project(id, Capability.MANAGE);
        String name = request.name() == null ? project.name() : request.name();
        ZoneId zone = TimeZones.parse(request.timeZone(), project.timeZone());
        return ProjectView.of(projects.update(id, name, zone, access.current().name()));
    }

    @PostMapping("/{id}/keys")
    @Operation(summary = "Rotate the write key and secret key (admin)", description = "The old keys stop working at once.")
    ProjectWithKeys rotateKeys(@PathVariable long id) {
        access.project(id, Capability.MANAGE);
        return ProjectWithKeys.of(projects.rotateKeys(id, access.current().name()));
    }
}
