package io.flywheel.demo;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Loads simulated demo data into a project and reports how far a load has got. Demo events are
 * stored with identity links, like tracked events, and use the person ids 1 to the plan's number
 * of persons; {@link LoadStarted} says so before the first event is stored.
 */
public interface DemoData {

    /** The demo load of a project, or empty when the project never had demo data. */
    Optional<DemoStatus> status(long projectId);

    /**
     * Replaces the events of an existing project with the simulated events of {@code plan} and
     * returns when they are all stored. Progress is reported after every stored batch.
     */
    DemoStatus loadNow(long projectId, DemoPlan plan, ProgressListener listener);

    default DemoStatus loadNow(long projectId, DemoPlan plan) {
        return loadNow(projectId, plan, (stored, expected) -> { });
    }

    /** Told after every stored batch. */
    @FunctionalInterface
    interface ProgressListener {

        /**
         * @param stored events stored so far
         * @param expected the number of events the load will end with (an estimate)
         */
        void stored(long stored, long expected);
    }

    /**
     * A project started receiving demo data; its events use person ids 1 to {@code persons}, so
     * persons created by tracking must get higher ids. Any earlier demo events of the project have
     * been or are about to be deleted.
     */
    record LoadStarted(long projectId, int persons) {
    }

    /** A project's demo load ended, {@link DemoStatus.State#READY} or {@link DemoStatus.State#FAILED}. */
    record LoadFinished(long projectId, DemoStatus.State state, long events) {

        public LoadFinished {
            requireNonNull(state, "state is null");
        }
    }
}
