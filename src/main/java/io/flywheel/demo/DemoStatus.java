package io.flywheel.demo;

import static java.util.Objects.requireNonNull;

/**
 * How far the demo data of a project has been loaded.
 *
 * @param events events stored so far
 * @param targetEvents the number of events the load aims at (the real count lands within a few
 *     percent of it)
 */
public record DemoStatus(State state, long events, long targetEvents) {

    public enum State {
        LOADING,
        READY,
        FAILED
    }

    public DemoStatus {
        requireNonNull(state, "state is null");
        if (events < 0) {
            throw new IllegalArgumentException("events must not be negative");
        }
        if (targetEvents < 1) {
            throw new IllegalArgumentException("targetEvents must be positive");
        }
    }

    /** Whole percent done; stays below 100 until the load is finished. */
    public int percent() {
        if (state == State.READY) {
            return 100;
        }
        return (int) Math.min(99, events * 100 / targetEvents);
    }
}
