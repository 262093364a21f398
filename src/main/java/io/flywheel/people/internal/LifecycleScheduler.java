package io.flywheel.people.internal;

import io.flywheel.people.Lifecycle;
import io.flywheel.platform.Project;
import io.flywheel.platform.Projects;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Recomputes every project's lifecycle stages: shortly after start for projects whose stages were
 * never computed, then with a fixed pause between runs ({@code flywheel.people.lifecycle.interval},
 * 15 minutes by default), each followed by the console's default stage history so that the page
 * finds it cached. Both run on the one scheduler thread, and fixed delays never overlap;
 * {@link Lifecycle#recompute(long)} also waits for an operator's recompute under way. One project's
 * failure is logged and does not stop the others.
 */
class LifecycleScheduler {

    static final Duration START_DELAY = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(LifecycleScheduler.class);

    private final Lifecycle lifecycle;
    private final Projects projects;
    private final TaskScheduler scheduler;

    LifecycleScheduler(Lifecycle lifecycle, Projects projects, TaskScheduler scheduler) {
        this.lifecycle = lifecycle;
        this.projects = projects;
        this.scheduler = scheduler;
    }

    @EventListener(ApplicationReadyEvent.class)
    void started() {
        scheduler.schedule(() -> recomputeAll(true), Instant.now().plus(START_DELAY));
    }

    @Scheduled(initialDelayString = "${flywheel.people.lifecycle.interval:PT15M}", fixedDelayString = "${flywheel.people.lifecycle.interval:PT15M}")
    void scheduled() {
        recomputeAll(false);
    }

    void recomputeAll(boolean onlyMissing) {
        for (Project project : projects.all()) {
            try {
                if (!onlyMissing || !lifecycle.computed(project.id())) {
                    lifecycle.recompute(project.id());
                    // the console's default chart (the last 30 days) is then answered from the cache
                    LocalDate today = LocalDate.now(project.timeZone());
                    lifecycle.history(project, today.minusDays(Lifecycle.DEFAULT_HISTORY_DAYS - 1), today);
                }
            }
            catch (RuntimeException e) {
                log.error("Recomputing the lifecycle stages of project {} failed", project.id(), e);
            }
        }
    }
}
