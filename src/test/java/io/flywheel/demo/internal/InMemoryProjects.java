package io.flywheel.demo.internal;

import io.flywheel.platform.Project;
import io.flywheel.platform.ProjectKeys;
import io.flywheel.platform.Projects;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Projects in a list. */
final class InMemoryProjects implements Projects {

    final List<Project> projects = new ArrayList<>();
    final List<String> actors = new ArrayList<>();

    @Override
    public ProjectKeys create(String name, ZoneId timeZone, String actor) {
        Project project = new Project(projects.size() + 1L, name, timeZone, "wk_" + (projects.size() + 1), Instant.parse("2026-03-31T02:00:00Z"));
        projects.add(project);
        actors.add(actor);
        return new ProjectKeys(project, "sk_" + project.id());
    }

    @Override
    public Optional<Project> find(long id) {
        return projects.stream().filter(project -> project.id() == id).findFirst();
    }

    @Override
    public List<Project> all() {
        return List.copyOf(projects);
    }

    @Override
    public Project update(long id, String name, ZoneId timeZone, String actor) {
        throw new UnsupportedOperationException("not needed by the demo module");
    }

    @Override
    public ProjectKeys rotateKeys(long id, String actor) {
        throw new UnsupportedOperationException("not needed by the demo module");
    }

    @Override
    public Optional<Project> findByWriteKey(String writeKey) {
        return projects.stream().filter(project -> project.writeKey().equals(writeKey)).findFirst();
    }

    @Override
    public Optional<Project> findBySecretKey(String secretKey) {
        return Optional.empty();
    }
}
