package io.flywheel.collect.internal;

import io.flywheel.platform.Project;
import io.flywheel.platform.Projects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Resolves write keys to projects without a database round trip per request. Rotated keys are
 * forgotten as soon as the rotation commits; unknown keys are not cached, so a new project works at once.
 */
@Component
public class WriteKeys {

    private static final int MAX_ENTRIES = 10_000;

    private final Projects projects;
    private final ConcurrentHashMap<String, Long> cache = new ConcurrentHashMap<>();

    WriteKeys(Projects projects) {
        this.projects = projects;
    }

    /** The project of a write key already resolved, without asking the database; null when not known here. */
    public Long cached(String writeKey) {
        return writeKey == null ? null : cache.get(writeKey);
    }

    public Optional<Long> project(String writeKey) {
        if (writeKey == null || writeKey.isBlank()) {
            return Optional.empty();
        }
        Long cached = cache.get(writeKey);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Long> found = projects.findByWriteKey(writeKey).map(Project::id);
        if (found.isPresent()) {
            if (cache.size() >= MAX_ENTRIES) {
                cache.clear();
            }
            cache.put(writeKey, found.get());
        }
        return found;
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(Project.KeysRotated rotated) {
        cache.values().removeIf(projectId -> projectId == rotated.projectId());
    }
}
