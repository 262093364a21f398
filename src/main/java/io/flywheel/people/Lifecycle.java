package io.flywheel.people;

import io.flywheel.events.EventStore;
import io.flywheel.events.LifecycleRun;
import io.flywheel.events.LifecycleThresholds;
import io.flywheel.events.Lifecycles;
import io.flywheel.events.PersonProfile;
import io.flywheel.events.StageHistory;
import io.flywheel.people.internal.LifecycleSettingsStore;
import io.flywheel.platform.AuditLog;
import io.flywheel.platform.Project;
import io.flywheel.shared.InvalidInputException;
import io.flywheel.shared.NotFoundException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Lifecycle stages of a project's persons: the per-project thresholds, recomputing the stages
 * (on a schedule and on request; never two at once), the current sizes, the history per day and
 * each person's stage. A recompute that moved persons publishes one {@link LifecycleStagesChanged}.
 * Threshold changes are audited.
 */
@Service
public class Lifecycle {

    /** The longest stage history one request may ask for. */
    public static final int MAX_HISTORY_DAYS = 366;
    /** The range the console and the API show when none is asked for. */
    public static final int DEFAULT_HISTORY_DAYS = 30;
    static final int PERSON_TRANSITIONS = 50;

    private final Lifecycles lifecycles;
    private final LifecycleSettingsStore settings;
    private final EventStore events;
    private final AuditLog audit;
    private final ApplicationEventPublisher publisher;
    private final Clock clock;
    private final ReentrantLock recomputing = new ReentrantLock();

    public Lifecycle(Lifecycles lifecycles, LifecycleSettingsStore settings, EventStore events, AuditLog audit,
            ApplicationEventPublisher publisher, Clock clock) {
        this.lifecycles = lifecycles;
        this.settings = settings;
        this.events = events;
        this.audit = audit;
        this.publisher = publisher;
        this.clock = clock;
    }

    public LifecycleThresholds thresholds(long projectId) {
        return settings.find(projectId).orElse(LifecycleThresholds.DEFAULTS);
    }

    /** Checks and stores new thresholds; they apply from the next recompute. */
    public LifecycleThresholds updateThresholds(Project project, int newDays, int atRiskDays, int dormantDays, int churnedDays,
            String actor) {
        LifecycleThresholds thresholds = checked(newDays, atRiskDays, dormantDays, churnedDays);
        LifecycleThresholds before = thresholds(project.id());
        settings.save(project.id(), thresholds, actor, clock.instant());
        audit.record(actor, project.id(), "lifecycle.thresholds.updated", "project:" + project.id(), describe(before) + " → " + describe(thresholds));
        return thresholds;
    }

    private static String describe(LifecycleThresholds t) {
        return "new " + t.newDays() + "d, at-risk " + t.atRiskDays() + "d, dormant " + t.dormantDays() + "d, churned " + t.churnedDays() + "d";
    }

    static LifecycleThresholds checked(int newDays, int atRiskDays, int dormantDays, int churnedDays) {
        int max = LifecycleThresholds.MAX_DAYS;
        String maxText = Integer.toString(max);
        if (newDays < 1 || newDays > max) {
            throw new InvalidInputException("newDays", "newDays must be between 1 and " + max, "lifecycle.error.newDays", maxText);
        }
        if (atRiskDays < 1 || atRiskDays > max) {
            throw new InvalidInputException("atRiskDays", "atRiskDays must be between 1 and " + max, "lifecycle.error.atRiskDays", maxText);
        }
        if (dormantDays <= atRiskDays || dormantDays > max) {
            throw new InvalidInputException("dormantDays", "dormantDays must be greater than atRiskDays and at most " + max,
                    "lifecycle.error.dormantDays", maxText);
        }
        if (churnedDays <= dormantDays || churnedDays > max) {
            throw new InvalidInputException("churnedDays", "churnedDays must be greater than dormantDays and at most " + max,
                    "lifecycle.error.churnedDays", maxText);
        }
        return new LifecycleThresholds(newDays, atRiskDays, dormantDays, churnedDays);
    }

    /**
     * Recomputes the project's stages now with its thresholds, waiting for a recompute under way;
     * publishes the transitions, if any.
     */
    public LifecycleRun recompute(long projectId) {
        recomputing.lock();
        try {
            // stored with microseconds, so the time answered equals the one stored
            LifecycleRun run = lifecycles.recompute(projectId, thresholds(projectId), clock.instant().truncatedTo(ChronoUnit.MICROS));
            if (!run.transitions().isEmpty()) {
                publisher.publishEvent(new LifecycleStagesChanged(projectId, run.computedAt(), run.transitions()));
            }
            return run;
        }
        finally {
            recomputing.unlock();
        }
    }

    /** An operator's "recompute now", recorded in the audit log. */
    public LifecycleRun recompute(Project project, String actor) {
        LifecycleRun run = recompute(project.id());
        audit.record(actor, project.id(), "lifecycle.recomputed", "project:" + project.id(),
                "persons: " + run.persons() + "; transitions: " + run.transitions().size());
        return run;
    }

    /** Whether the project's stages were ever computed. */
    public boolean computed(long projectId) {
        return lifecycles.lastComputed(projectId).isPresent();
    }

    public LifecycleOverview overview(long projectId) {
        return new LifecycleOverview(lifecycles.sizes(projectId), thresholds(projectId), lifecycles.lastComputed(projectId).orElse(null));
    }

    /** Stage sizes per day and flows over inclusive days in the project's zone, derived from activity with the current thresholds. */
    public StageHistory history(Project project, LocalDate from, LocalDate to) {
        if (to.isBefore(from)) {
            throw new InvalidInputException("to", "to must not be before from", "lifecycle.error.range");
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_HISTORY_DAYS) {
            throw new InvalidInputException("from", "a stage history covers at most " + MAX_HISTORY_DAYS + " days", "lifecycle.error.tooLong",
                    MAX_HISTORY_DAYS);
        }
        return lifecycles.history(project.id(), project.timeZone(), thresholds(project.id()), from, to, clock.instant());
    }

    /** A person's stage and transitions; a merged person answers its root's. */
    public PersonLifecycle person(Project project, long personId) {
        PersonProfile profile = events.person(project.id(), personId)
                .orElseThrow(() -> new NotFoundException("person " + personId + " not found"));
        return new PersonLifecycle(profile.personId(), lifecycles.stage(project.id(), profile.personId()).orElse(null),
                lifecycles.transitions(project.id(), profile.personId(), PERSON_TRANSITIONS));
    }
}
