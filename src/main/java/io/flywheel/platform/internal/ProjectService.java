package io.flywheel.platform.internal;

import static java.util.Objects.requireNonNull;

import io.flywheel.platform.AuditLog;
import io.flywheel.platform.Project;
import io.flywheel.platform.ProjectKeys;
import io.flywheel.platform.Projects;
import io.flywheel.shared.InvalidInputException;
import io.flywheel.shared.NotFoundException;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
class ProjectService implements Projects {

    static final int MAX_NAME = 200;

    private final ProjectStore store;
    private final AuditLog audit;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    ProjectService(ProjectStore store, AuditLog audit, Clock clock, ApplicationEventPublisher events) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
        this.events = events;
    }

    @Override
    @Transactional
    public ProjectKeys create(String name, ZoneId timeZone, String actor) {
        String cleanName = validName(name);
        requireNonNull(timeZone, "timeZone is null");
        String secretKey = Keys.secretKey();
        long id = store.insert(cleanName, timeZone, Keys.writeKey(), Keys.hash(secretKey), clock.instant());
        audit.record(actor, id, "project.created", cleanName, "time zone " + timeZone.getId());
        return new ProjectKeys(existing(id), secretKey);
    }

    @Override
    public Optional<Project> find(long id) {
        return store.find(id);
    }

    @Override
    public List<Project> all() {
        return store.all();
    }

    @Override
    @Transactional
    public Project update(long id, String name, ZoneId timeZone, String actor) {
        Project before = existing(id);
        String cleanName = validName(name);
        requireNonNull(timeZone, "timeZone is null");
        store.update(id, cleanName, timeZone, clock.instant());
        audit.record(actor, id, "project.updated", cleanName,
                "name " + before.name() + " -> " + cleanName + "; time zone " + before.timeZone().getId() + " -> " + timeZone.getId());
        return existing(id);
    }

    @Override
    @Transactional
    public ProjectKeys rotateKeys(long id, String actor) {
        Project before = existing(id);
        String secretKey = Keys.secretKey();
        store.replaceKeys(id, Keys.writeKey(), Keys.hash(secretKey), clock.instant());
        audit.record(actor, id, "project.keys-rotated", before.name(), null);
        events.publishEvent(new Project.KeysRotated(id));
        return new ProjectKeys(existing(id), secretKey);
    }

    @Override
    public Optional<Project> findByWriteKey(String writeKey) {
        if (writeKey == null || writeKey.isBlank()) {
            return Optional.empty();
        }
        return store.findByWriteKey(writeKey);
    }

    @Override
    public Optional<Project> findBySecretKey(String secretKey) {
        if (secretKey == null || secretKey.isBlank()) {
            return Optional.empty();
        }
        return store.findBySecretKeyHash(Keys.hash(secretKey));
    }

    private Project existing(long id) {
        return store.find(id).orElseThrow(() -> new NotFoundException("project " + id + " does not exist"));
    }

    static String validName(String name) {
        String clean = name == null ? "" : name.strip();
        if (clean.isEmpty()) {
            throw new InvalidInputException("name", "name must not be blank");
        }
        if (clean.length() > MAX_NAME) {
            throw new InvalidInputException("name", "name must be at most " + MAX_NAME + " characters");
        }
        return clean;
    }
}
