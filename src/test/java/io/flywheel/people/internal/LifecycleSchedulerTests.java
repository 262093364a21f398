package io.flywheel.people.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.events.LifecycleRun;
import io.flywheel.events.LifecycleStage;
import io.flywheel.events.LifecycleThresholds;
import io.flywheel.events.Lifecycles;
import io.flywheel.events.PersonStage;
import io.flywheel.events.StageHistory;
import io.flywheel.events.StageTransition;
import io.flywheel.people.Lifecycle;
import io.flywheel.people.LifecycleStagesChanged;
import io.flywheel.platform.AuditEntry;
import io.flywheel.platform.AuditLog;
import io.flywheel.platform.Project;
import io.flywheel.shared.Page;
import io.flywheel.shared.PageRequest;
import io.flywheel.support.Databases;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The scheduled recompute: which projects it computes, what it publishes, and that one failure does not stop the rest. */
class LifecycleSchedulerTests {

    private static final Instant NOW = Instant.parse("2026-11-23T08:00:00Z");
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    /** Records recomputes; project 3 fails; project 2 moves one person. */
    private static final class FakeLifecycles implements Lifecycles {

        final Set<Long> computed = new HashSet<>();
        final List<Long> recomputed = new ArrayList<>();
        final List<Long> histories = new ArrayList<>();

        @Override
        public LifecycleRun recompute(long projectId, LifecycleThresholds thresholds, Instant now) {
            recomputed.add(projectId);
            if (projectId == 3) {
                throw new IllegalStateException("broken");
            }
            computed.add(projectId);
            List<StageTransition> transitions = projectId == 2
                    ? List.of(new StageTransition(7, LifecycleStage.ACTIVE, LifecycleStage.AT_RISK, now)) : List.of();
            return new LifecycleRun(projectId, now, false, Map.of(LifecycleStage.ACTIVE, 1L), transitions);
        }

        @Override
        public Optional<Instant> lastComputed(long projectId) {
            return computed.contains(projectId) ? Optional.of(NOW) : Optional.empty();
        }

        @Override
        public Map<LifecycleStage, Long> sizes(long projectId) {
            return Map.of();
        }

        @Override
        public Optional<PersonStage> stage(long projectId, long personId) {
            return Optional.empty();
        }

        @Override
        public List<StageTransition> transitions(long projectId, long personId, int limit) {
            return List.of();
        }

        @Override
        public StageHistory history(long projectId, ZoneId zone, LifecycleThresholds thresholds, LocalDate from, LocalDate to, Instant now) {
            histories.add(projectId);
            return new StageHistory(from, to, List.of(), List.of());
        }
    }

    private static Project project(long id) {
        return new Project(id, "p" + id, SHANGHAI, "wk" + id, NOW);
    }


    @Test
    void atStartOnlyProjectsNeverComputedThenEveryProjectAndFailuresStayContained() {
        FakeLifecycles engine = new FakeLifecycles();
        engine.computed.add(1L);
        List<Object> published = new ArrayList<>();
        Lifecycle lifecycle = new Lifecycle(engine, new LifecycleSettingsStore(Databases.H2.migrated().jdbc()), null,
                new AuditLog() {
                    @Override
                    public void record(String actor, Long projectId, String action, String target, String detail) {
                    }

                    @Override
                    public Page<AuditEntry> page(Long projectId, PageRequest request) {
                        return new Page<>(List.of(), 0, 20, 0);
                    }
                }, published::add, Clock.fixed(NOW, ZoneOffset.UTC));
        LifecycleScheduler scheduler = new LifecycleScheduler(lifecycle, FixedProjects.of(project(1), project(2), project(3), project(4)), null);

        scheduler.recomputeAll(true);
        assertThat(engine.recomputed).containsExactly(2L, 3L, 4L);
        assertThat(engine.histories).as("the default chart is warmed after each recompute").containsExactly(2L, 4L);
        assertThat(published).containsExactly(new LifecycleStagesChanged(2, NOW, List.of(
                new StageTransition(7, LifecycleStage.ACTIVE, LifecycleStage.AT_RISK, NOW))));

        engine.recomputed.clear();
        scheduler.recomputeAll(false);
        assertThat(engine.recomputed).containsExactly(1L, 2L, 3L, 4L);
        assertThat(published).hasSize(2);
    }
}
