package io.flywheel.analytics.internal;

import io.flywheel.events.PersonDeleted;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Recent answers by project and normalised query, least recently used first out. */
@Component
public class QueryCache {

    /** A cached answer and when it was computed. */
    public record Entry(Object answer, Instant computedAt, long tookMillis) {
    }

    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Entry> entries;

    public QueryCache(AnalyticsProperties properties, Clock clock) {
        this.ttl = properties.cacheTtl();
        this.clock = clock;
        int size = properties.cacheSize();
        this.entries = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > size;
            }
        };
    }

    public synchronized Entry get(String key) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (entry.computedAt().plus(ttl).isBefore(clock.instant())) {
            entries.remove(key);
            return null;
        }
        return entry;
    }

    /** Forgets every answer of a project, after something its answers depend on changed. */
    /** Answers may name a deleted person (the RFM persons of a segment), so the project's are dropped. */
    @EventListener
    void on(PersonDeleted deleted) {
        evictProject(deleted.projectId());
    }

    public synchronized void evictProject(long projectId) {
        entries.keySet().removeIf(key -> key.startsWith(projectId + "|"));
    }

    public synchronized void put(String key, Entry entry) {
        entries.put(key, entry);
    }
}
