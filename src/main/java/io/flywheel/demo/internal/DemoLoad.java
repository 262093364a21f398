package io.flywheel.demo.internal;

import static java.util.Objects.requireNonNull;

import io.flywheel.demo.DemoPlan;
import io.flywheel.demo.DemoStatus;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The record of one project's demo load: the plan it follows, so that an interrupted load can be
 * redone identically, and how far it got.
 *
 * @param cutoff no event at or after this moment is generated; null for none
 * @param finishedAt null while loading
 */
record DemoLoad(
        long projectId,
        DemoStatus.State state,
        int persons,
        long targetEvents,
        int days,
        long seed,
        LocalDate endDate,
        Instant cutoff,
        long events,
        Instant startedAt,
        Instant finishedAt) {

    DemoLoad {
        requireNonNull(state, "state is null");
        requireNonNull(endDate, "endDate is null");
        requireNonNull(startedAt, "startedAt is null");
    }

    static DemoLoad starting(long projectId, DemoPlan plan, LocalDate endDate, Instant cutoff, Instant now) {
        return new DemoLoad(projectId, DemoStatus.State.LOADING, plan.persons(), plan.events(), plan.days(), plan.seed(),
                endDate, cutoff, 0, now, null);
    }

    DemoPlan plan() {
        return new DemoPlan(persons, targetEvents, days, seed, endDate);
    }

    DemoStatus status(long storedSoFar) {
        return new DemoStatus(state, storedSoFar, targetEvents);
    }
}
