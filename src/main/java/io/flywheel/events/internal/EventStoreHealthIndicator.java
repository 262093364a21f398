package io.flywheel.events.internal;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Whether the event store still answers a query. DuckDB invalidates the whole database after an
 * internal error, and every statement fails from then on until the process is restarted (which
 * replays the tracking log); this turns liveness and readiness down, so that an orchestrator restarts
 * the server instead of leaving it accepting events it cannot store.
 */
class EventStoreHealthIndicator implements HealthIndicator {

    private final DuckDbEventStore store;

    EventStoreHealthIndicator(DuckDbEventStore store) {
        this.store = store;
    }

    @Override
    public Health health() {
        try {
            store.ping();
            return Health.up().build();
        }
        catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            return Health.down().withDetail("error", message).build();
        }
    }
}
