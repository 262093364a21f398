package io.flywheel.events;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Lifecycle stages of a project's persons (merged identities, stored by root id). A stage is a
 * pure function of the person's activity (first seen, last activity, gaps between activity) and
 * the thresholds at an instant, so a recompute from scratch gives the same stages as an
 * incremental one. Engine specific like {@link EventStore}; callers never see the engine.
 */
public interface Lifecycles {

    /**
     * Computes every person's stage at {@code now}, stores the stages that changed and records the
     * transitions since the previous computation. The first computation of a project stores the
     * stages without transitions.
     */
    LifecycleRun recompute(long projectId, LifecycleThresholds thresholds, Instant now);

    /** When the project's stages were last computed, if ever. */
    Optional<Instant> lastComputed(long projectId);

    /** Persons per stage as last computed (every stage present, zero included). */
    Map<LifecycleStage, Long> sizes(long projectId);

    /** A person's (raw or root id) stage as last computed. */
    Optional<PersonStage> stage(long projectId, long personId);

    /** A person's (raw or root id, merged persons included) recorded transitions, newest first. */
    List<StageTransition> transitions(long projectId, long personId, int limit);

    /**
     * Stage sizes per day from {@code from} to {@code to} (inclusive days in {@code zone}) and the
     * flows between the start and the end of the range, derived from activity; days after
     * {@code now} are not counted.
     */
    StageHistory history(long projectId, ZoneId zone, LifecycleThresholds thresholds, LocalDate from, LocalDate to, Instant now);
}
