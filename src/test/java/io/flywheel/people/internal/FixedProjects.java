package io.flywheel.people.internal;

import io.flywheel.platform.Project;
import io.flywheel.platform.ProjectKeys;
import io.flywheel.platform.Projects;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/** A fixed list of projects for the module's unit tests; nothing can be created or changed. */
record FixedProjects(List<Project> all) implements Projects {

    static FixedProjects of(Project... projects) {
        return new FixedProjects(List.of(projects));
    }

    @Override
    public Optional<Project> find(long id) {
        return all.stream().filter(project -> project.id() == id).findFirst();
    }

    @Override
    public ProjectKeys create(String name, ZoneId timeZone, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Project update(long id, String name, ZoneId timeZone, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ProjectKeys rotateKeys(long id, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Project> findByWriteKey(String writeKey) {
        return Optional.empty();
    }

    @Override
    public Optional<Project> findBySecretKey(String secretKey) {
        return Optional.empty();
    }
}
