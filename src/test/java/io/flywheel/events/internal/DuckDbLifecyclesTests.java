package io.flywheel.events.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.TestApplication;
import io.flywheel.events.Event;
import io.flywheel.events.IngestBatch;
import io.flywheel.events.LifecycleRun;
import io.flywheel.events.LifecycleStage;
import io.flywheel.events.LifecycleThresholds;
import io.flywheel.events.PersonMerge;
import io.flywheel.events.PersonStage;
import io.flywheel.events.StageHistory;
import io.flywheel.events.StageTransition;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lifecycle stages computed by hand on small data sets: every stage, the thresholds at their edges, transitions, merges and deletion. */
class DuckDbLifecyclesTests {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final LifecycleThresholds DEFAULTS = LifecycleThresholds.DEFAULTS;

    private DuckDbEventStore store;
    private DuckDbLifecycles lifecycles;

    @BeforeEach
    void open() {
        store = new DuckDbEventStore(new EventStoreProperties(TestApplication.freshDataDir().resolve("events.duckdb"), "256MB", 1));
        lifecycles = new DuckDbLifecycles(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static Instant ago(Duration duration) {
        return NOW.minus(duration);
    }

    private static Duration days(long days) {
        return Duration.ofDays(days);
    }

    private static Duration days(long days, long hours) {
        return Duration.ofDays(days).plusHours(hours);
    }

    private static Event event(long projectId, long personId, Instant at) {
        return new Event(projectId, UUID.randomUUID().toString(), "track", "Clicked", personId, "a" + personId, null, at, at, null, null,
                null, null, null, null, null, null, null, "{}", "{}");
    }

    /** Each person active at the given times. */
    private void activity(long projectId, long personId, Instant... times) {
        List<Event> events = new ArrayList<>();
        for (Instant time : times) {
            events.add(event(projectId, personId, time));
        }
        store.append(events);
    }

    private PersonStage stage(long projectId, long personId) {
        return lifecycles.stage(projectId, personId).orElseThrow();
    }

    @Test
    void newLastsUntilExactlyTheNewThreshold() {
        activity(1, 1, ago(days(6, 23)));
        activity(1, 2, ago(days(7)));
        lifecycles.recompute(1, DEFAULTS, NOW);

        assertThat(stage(1, 1)).isEqualTo(new PersonStage(1, LifecycleStage.NEW, ago(days(6, 23))));
        assertThat(stage(1, 2)).as("first seen exactly 7 days ago is no longer new").isEqualTo(new PersonStage(2, LifecycleStage.ACTIVE, NOW));
    }

    @Test
    void inactivityThresholdsHoldFromTheirExactDay() {
        long person = 0;
        for (Duration idle : List.of(days(13, 23), days(14), days(29, 23), days(30), days(89, 23), days(90), days(200))) {
            person++;
            activity(1, person, ago(days(300)), ago(idle));
        }
        LifecycleRun run = lifecycles.recompute(1, DEFAULTS, NOW);

        assertThat(stage(1, 1).stage()).isEqualTo(LifecycleStage.ACTIVE);
        assertThat(stage(1, 2)).isEqualTo(new PersonStage(2, LifecycleStage.AT_RISK, NOW));
        assertThat(stage(1, 3).stage()).isEqualTo(LifecycleStage.AT_RISK);
        assertThat(stage(1, 4)).isEqualTo(new PersonStage(4, LifecycleStage.DORMANT, NOW));
        assertThat(stage(1, 5).stage()).isEqualTo(LifecycleStage.DORMANT);
        assertThat(stage(1, 6)).isEqualTo(new PersonStage(6, LifecycleStage.CHURNED, NOW));
        assertThat(stage(1, 7)).as("churned since the last activity plus 90 days").isEqualTo(
                new PersonStage(7, LifecycleStage.CHURNED, ago(days(110))));
        assertThat(run.first()).isTrue();
        assertThat(run.transitions()).as("the first computation records no transitions").isEmpty();
        assertThat(run.sizes()).containsEntry(LifecycleStage.ACTIVE, 1L).containsEntry(LifecycleStage.AT_RISK, 2L)
                .containsEntry(LifecycleStage.DORMANT, 2L).containsEntry(LifecycleStage.CHURNED, 2L).containsEntry(LifecycleStage.NEW, 0L);
        assertThat(lifecycles.sizes(1)).isEqualTo(run.sizes());
        assertThat(lifecycles.lastComputed(1)).contains(NOW);
    }

    @Test
    void reactivatedNeedsAGapOfTheDormantThresholdAndLastsTheNewThreshold() {
        activity(1, 1, ago(days(100)), ago(days(50)), ago(days(3)));      // gap of 47 days, back 3 days ago
        activity(1, 2, ago(days(100)), ago(days(33)), ago(days(3)));      // gap of exactly 30 days
        activity(1, 3, ago(days(100)), ago(days(32, 23)), ago(days(3)));  // gap of 29 days 23 hours: just under
        activity(1, 4, ago(days(100)), ago(days(40)), ago(days(7)), ago(days(1)));  // back exactly 7 days ago
        activity(1, 5, ago(days(100)), ago(days(40)), ago(days(6, 23)));  // back 6 days 23 hours ago
        lifecycles.recompute(1, DEFAULTS, NOW);

        assertThat(stage(1, 1)).isEqualTo(new PersonStage(1, LifecycleStage.REACTIVATED, ago(days(3))));
        assertThat(stage(1, 2)).isEqualTo(new PersonStage(2, LifecycleStage.REACTIVATED, ago(days(3))));
        assertThat(stage(1, 3)).as("active again since the return after an at-risk gap").isEqualTo(
                new PersonStage(3, LifecycleStage.ACTIVE, ago(days(3))));
        assertThat(stage(1, 4)).as("reactivated ended now").isEqualTo(new PersonStage(4, LifecycleStage.ACTIVE, NOW));
        assertThat(stage(1, 5).stage()).isEqualTo(LifecycleStage.REACTIVATED);
    }

    @Test
    void transitionsAreRecordedWithTheirTimesAndARecomputeChangesNothing() {
        for (long project : List.of(1L, 2L)) {
            activity(project, 1, ago(days(60)), ago(days(5)));   // reactivated (gap of 55 days) until 2 days from now; at-risk 9 days from now
            activity(project, 2, ago(days(1)));                 // new; active 6 days from now, at-risk 13 days from now
            activity(project, 3, ago(days(60)), ago(days(13))); // active; at-risk tomorrow, dormant 17 days from now
        }
        LifecycleRun first = lifecycles.recompute(1, DEFAULTS, NOW);
        LifecycleRun again = lifecycles.recompute(1, DEFAULTS, NOW);
        assertThat(again.first()).isFalse();
        assertThat(again.transitions()).isEmpty();
        assertThat(again.sizes()).isEqualTo(first.sizes());

        for (long project : List.of(1L, 2L)) {
            activity(project, 4, NOW.plus(days(2)));       // appears after the computation
            activity(project, 5, ago(Duration.ofHours(1))); // a late first event from before the computation: still new after it
            activity(project, 6, ago(days(30)));            // loaded history: gets a stage, no transition
        }
        Instant later = NOW.plus(days(20));
        LifecycleRun run = lifecycles.recompute(1, DEFAULTS, later);

        assertThat(run.transitions()).containsExactly(
                new StageTransition(5, null, LifecycleStage.NEW, ago(Duration.ofHours(1))),
                new StageTransition(3, LifecycleStage.ACTIVE, LifecycleStage.AT_RISK, NOW.plus(days(1))),
                new StageTransition(1, LifecycleStage.REACTIVATED, LifecycleStage.ACTIVE, NOW.plus(days(2))),
                new StageTransition(4, null, LifecycleStage.NEW, NOW.plus(days(2))),
                new StageTransition(2, LifecycleStage.NEW, LifecycleStage.ACTIVE, NOW.plus(days(6))),
                new StageTransition(5, LifecycleStage.NEW, LifecycleStage.ACTIVE, NOW.plus(days(7)).minus(Duration.ofHours(1))),
                new StageTransition(1, LifecycleStage.ACTIVE, LifecycleStage.AT_RISK, NOW.plus(days(9))),
                new StageTransition(4, LifecycleStage.NEW, LifecycleStage.ACTIVE, NOW.plus(days(9))),
                new StageTransition(2, LifecycleStage.ACTIVE, LifecycleStage.AT_RISK, NOW.plus(days(13))),
                new StageTransition(5, LifecycleStage.ACTIVE, LifecycleStage.AT_RISK, NOW.plus(days(14)).minus(Duration.ofHours(1))),
                new StageTransition(4, LifecycleStage.ACTIVE, LifecycleStage.AT_RISK, NOW.plus(days(16))),
                new StageTransition(3, LifecycleStage.AT_RISK, LifecycleStage.DORMANT, NOW.plus(days(17))));
        assertThat(lifecycles.transitions(1, 3, 10)).containsExactly(
                new StageTransition(3, LifecycleStage.AT_RISK, LifecycleStage.DORMANT, NOW.plus(days(17))),
                new StageTransition(3, LifecycleStage.ACTIVE, LifecycleStage.AT_RISK, NOW.plus(days(1))));
        assertThat(lifecycles.recompute(1, DEFAULTS, later).transitions()).as("idempotent").isEmpty();
        assertThat(lifecycles.transitions(1, 3, 10)).hasSize(2);

        LifecycleRun scratch = lifecycles.recompute(2, DEFAULTS, later);
        assertThat(scratch.sizes()).as("from scratch equals incremental").isEqualTo(run.sizes());
        assertThat(stage(1, 6).stage()).isEqualTo(LifecycleStage.DORMANT);
        for (long person = 1; person <= 6; person++) {
            PersonStage incremental = stage(1, person);
            assertThat(stage(2, person)).isEqualTo(incremental);
        }
    }

    @Test
    void mergedPersonsShareOneStageFromTheirCombinedActivity() {
        activity(1, 1, ago(days(40)));
        activity(1, 2, ago(days(2)));
        LifecycleRun before = lifecycles.recompute(1, DEFAULTS, NOW);
        assertThat(before.sizes()).containsEntry(LifecycleStage.DORMANT, 1L).containsEntry(LifecycleStage.NEW, 1L);

        store.apply(new IngestBatch(List.of(), List.of(), List.of(new PersonMerge(1, 2, 1, NOW)), "test", 1));
        LifecycleRun after = lifecycles.recompute(1, DEFAULTS, NOW.plusSeconds(60));

        assertThat(stage(1, 1)).isEqualTo(new PersonStage(1, LifecycleStage.REACTIVATED, ago(days(2))));
        assertThat(stage(1, 2)).as("a merged id answers its root's stage").isEqualTo(stage(1, 1));
        assertThat(after.persons()).isEqualTo(1);
        assertThat(after.transitions()).containsExactly(
                new StageTransition(1, LifecycleStage.DORMANT, LifecycleStage.REACTIVATED, ago(days(2))));
        assertThat(lifecycles.sizes(1)).containsEntry(LifecycleStage.REACTIVATED, 1L).containsEntry(LifecycleStage.NEW, 0L)
                .containsEntry(LifecycleStage.DORMANT, 0L);
    }

    /** An imported row for a person: profile data, no activity. */
    private static Event imported(long projectId, long personId, Instant at) {
        return new Event(projectId, UUID.randomUUID().toString(), "identify", "Identify", personId, null, "crm-" + personId, at, at, null,
                null, null, null, null, null, null, null, null, "{\"plan\":\"gold\"}", "{}", false);
    }

    @Test
    void importedRowsAreNoActivity() {
        activity(1, 1, ago(days(40)));   // dormant since 10 days ago
        activity(1, 2, ago(days(2)));    // new
        LifecycleRun before = lifecycles.recompute(1, DEFAULTS, NOW);

        // a CRM list imported an hour ago: person 1 exists, person 3 is created by it
        store.apply(new IngestBatch(List.of(imported(1, 1, ago(Duration.ofHours(1))), imported(1, 3, ago(Duration.ofHours(1)))),
                List.of(), List.of(), "wal", 1));
        LifecycleRun after = lifecycles.recompute(1, DEFAULTS, NOW.plusSeconds(60));

        assertThat(stage(1, 1)).as("not reactivated by an import").isEqualTo(new PersonStage(1, LifecycleStage.DORMANT, ago(days(10))));
        assertThat(stage(1, 2)).isEqualTo(new PersonStage(2, LifecycleStage.NEW, ago(days(2))));
        assertThat(lifecycles.stage(1, 3)).as("no stage without activity").isEmpty();
        assertThat(after.persons()).isEqualTo(2);
        assertThat(after.sizes()).isEqualTo(before.sizes());
        assertThat(after.transitions()).isEmpty();
        StageHistory history = lifecycles.history(1, ZoneOffset.UTC, DEFAULTS, LocalDate.parse("2026-11-21"), LocalDate.parse("2026-11-23"),
                NOW.plusSeconds(60));
        assertThat(history.days()).allSatisfy(day -> assertThat(day.sizes().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2));

        // the imported person's first event makes it new from that event's time
        activity(1, 3, NOW.plus(Duration.ofHours(1)));
        LifecycleRun first = lifecycles.recompute(1, DEFAULTS, NOW.plus(Duration.ofHours(2)));
        assertThat(stage(1, 3)).isEqualTo(new PersonStage(3, LifecycleStage.NEW, NOW.plus(Duration.ofHours(1))));
        assertThat(first.transitions()).containsExactly(new StageTransition(3, null, LifecycleStage.NEW, NOW.plus(Duration.ofHours(1))));
    }

    @Test
    void deletedPersonsLoseTheirStageAndTransitions() {
        activity(1, 1, ago(days(10)));
        activity(1, 2, ago(days(10)));
        lifecycles.recompute(1, DEFAULTS, NOW);
        lifecycles.recompute(1, DEFAULTS, NOW.plus(days(5)));
        assertThat(lifecycles.transitions(1, 1, 10)).hasSize(1);

        store.deletePerson(1, 1);
        assertThat(lifecycles.transitions(1, 1, 10)).isEmpty();
        LifecycleRun run = lifecycles.recompute(1, DEFAULTS, NOW.plus(days(5)));
        assertThat(run.persons()).isEqualTo(1);
        assertThat(run.transitions()).isEmpty();
        assertThat(lifecycles.stage(1, 1)).isEmpty();
        assertThat(lifecycles.sizes(1).values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1);

        store.deleteProject(1);
        assertThat(lifecycles.lastComputed(1)).isEmpty();
        assertThat(lifecycles.transitions(1, 2, 10)).isEmpty();
    }

    @Test
    void historyCountsStagesAtTheEndOfEachDayAndFlowsOverTheRange() {
        activity(1, 1, Instant.parse("2026-11-01T10:00:00Z"));
        activity(1, 2, Instant.parse("2026-11-10T08:00:00Z"));
        Instant now = Instant.parse("2026-11-20T12:00:00Z");

        StageHistory history = lifecycles.history(1, ZoneOffset.UTC, DEFAULTS, LocalDate.parse("2026-11-05"), LocalDate.parse("2026-11-25"), now);

        assertThat(history.days()).as("days after now are left out").hasSize(16);
        Map<LocalDate, Map<LifecycleStage, Long>> days = new java.util.HashMap<>();
        history.days().forEach(day -> days.put(day.day(), day.sizes()));
        assertThat(days.get(LocalDate.parse("2026-11-07"))).containsEntry(LifecycleStage.NEW, 1L).containsEntry(LifecycleStage.ACTIVE, 0L);
        assertThat(days.get(LocalDate.parse("2026-11-08"))).containsEntry(LifecycleStage.ACTIVE, 1L).containsEntry(LifecycleStage.NEW, 0L);
        assertThat(days.get(LocalDate.parse("2026-11-10"))).containsEntry(LifecycleStage.ACTIVE, 1L).containsEntry(LifecycleStage.NEW, 1L);
        assertThat(days.get(LocalDate.parse("2026-11-14"))).containsEntry(LifecycleStage.ACTIVE, 1L).containsEntry(LifecycleStage.NEW, 1L);
        assertThat(days.get(LocalDate.parse("2026-11-15"))).containsEntry(LifecycleStage.AT_RISK, 1L).containsEntry(LifecycleStage.NEW, 1L);
        assertThat(days.get(LocalDate.parse("2026-11-17"))).containsEntry(LifecycleStage.AT_RISK, 1L).containsEntry(LifecycleStage.ACTIVE, 1L);
        assertThat(days.get(LocalDate.parse("2026-11-20"))).containsEntry(LifecycleStage.AT_RISK, 1L).containsEntry(LifecycleStage.ACTIVE, 1L);
        assertThat(history.flows()).containsExactlyInAnyOrder(
                new StageHistory.Flow(LifecycleStage.NEW, LifecycleStage.AT_RISK, 1),
                new StageHistory.Flow(null, LifecycleStage.ACTIVE, 1));
        assertThat(lifecycles.history(1, ZoneOffset.UTC, DEFAULTS, LocalDate.parse("2026-11-05"), LocalDate.parse("2026-11-25"), now))
                .as("cached").isSameAs(history);
        assertThatThrownBy(() -> lifecycles.history(1, ZoneOffset.UTC, DEFAULTS, LocalDate.parse("2026-11-05"),
                LocalDate.parse("2026-11-04"), now)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thresholdsAreValidated() {
        assertThat(LifecycleThresholds.DEFAULTS).isEqualTo(new LifecycleThresholds(7, 14, 30, 90));
        assertThatThrownBy(() -> new LifecycleThresholds(0, 14, 30, 90)).hasMessageContaining("newDays");
        assertThatThrownBy(() -> new LifecycleThresholds(7, 30, 30, 90)).hasMessageContaining("dormantDays");
        assertThatThrownBy(() -> new LifecycleThresholds(7, 14, 90, 90)).hasMessageContaining("churnedDays");
        assertThatThrownBy(() -> new LifecycleThresholds(7, 0, 30, 90)).hasMessageContaining("atRiskDays");
        assertThatThrownBy(() -> new LifecycleThresholds(7, 14, 30, 4000)).hasMessageContaining("churnedDays");
    }
}
