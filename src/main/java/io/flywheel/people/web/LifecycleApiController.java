package io.flywheel.people.web;

import io.flywheel.events.LifecycleRun;
import io.flywheel.events.LifecycleStage;
import io.flywheel.events.LifecycleThresholds;
import io.flywheel.events.PersonStage;
import io.flywheel.events.StageHistory;
import io.flywheel.events.StageTransition;
import io.flywheel.people.Lifecycle;
import io.flywheel.people.LifecycleOverview;
import io.flywheel.people.PersonLifecycle;
import io.flywheel.platform.Access;
import io.flywheel.platform.Capability;
import io.flywheel.platform.Project;
import io.flywheel.shared.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/projects/{projectId}")
@Tag(name = "Lifecycle", description = "Lifecycle stages (new, active, at_risk, dormant, churned, reactivated): sizes, thresholds, "
        + "recompute, history, and each person's stage")
class LifecycleApiController {

    private final Lifecycle lifecycle;
    private final Access access;
    private final Clock clock;

    LifecycleApiController(Lifecycle lifecycle, Access access, Clock clock) {
        this.lifecycle = lifecycle;
        this.access = access;
        this.clock = clock;
    }

    /** The thresholds in days, as sent and answered. */
    record Thresholds(Integer newDays, Integer atRiskDays, Integer dormantDays, Integer churnedDays) {

        static Thresholds of(LifecycleThresholds thresholds) {
            return new Thresholds(thresholds.newDays(), thresholds.atRiskDays(), thresholds.dormantDays(), thresholds.churnedDays());
        }
    }

    record LifecycleResponse(Map<String, Long> sizes, long persons, Thresholds thresholds, Instant lastComputedAt) {
    }

    record RecomputeResponse(Instant computedAt, boolean first, Map<String, Long> sizes, long persons, int transitions) {
    }

    record DayResponse(LocalDate day, Map<String, Long> sizes) {
    }

    record FlowResponse(String from, String to, long persons) {
    }

    record HistoryResponse(LocalDate from, LocalDate to, List<DayResponse> days, List<FlowResponse> flows) {
    }

    record TransitionResponse(String from, String to, Instant at) {
    }

    record PersonStagesResponse(long personId, String stage, Instant since, List<TransitionResponse> transitions) {
    }

    @GetMapping("/lifecycle")
    @Operation(summary = "Persons per lifecycle stage", description = "Sizes as last computed (every stage, zero included), the "
            + "project's thresholds in days and when the stages were last computed (absent: never). Stages are recomputed every 15 minutes.")
    LifecycleResponse overview(@PathVariable long projectId) {
        Project project = access.project(projectId, Capability.READ);
        LifecycleOverview overview = lifecycle.overview(project.id());
        return new LifecycleResponse(sizes(overview.sizes()), overview.persons(), Thresholds.of(overview.thresholds()), overview.lastComputed());
    }

    @PutMapping("/lifecycle/thresholds")
    @Operation(summary = "Change the lifecycle thresholds", description = "Days: new = first seen within newDays; at-risk, dormant and "
            + "churned = no activity for atRiskDays, dormantDays, churnedDays (1 ≤ atRiskDays < dormantDays < churnedDays ≤ 3650, "
            + "newDays 1 to 3650); reactivated = back within newDays after a gap of at least dormantDays. Applies from the next recompute. "
            + "Recorded in the audit log.")
    Thresholds updateThresholds(@PathVariable long projectId, @RequestBody Thresholds body) {
        Project project = access.project(projectId, Capability.OPERATE);
        LifecycleThresholds changed = lifecycle.updateThresholds(project, required(body.newDays(), "newDays"),
                required(body.atRiskDays(), "atRiskDays"), required(body.dormantDays(), "dormantDays"),
                required(body.churnedDays(), "churnedDays"), access.current().name());
        return Thresholds.of(changed);
    }

    private static int required(Integer value, String field) {
        if (value == null) {
            throw new InvalidInputException(field, field + " is required");
        }
        return value;
    }

    @PostMapping("/lifecycle/recompute")
    @Operation(summary = "Recompute the stages now", description = "Computes every person's stage with the current thresholds, "
            + "records the transitions since the previous computation and publishes them; waits for a recompute under way. "
            + "The first computation of a project records no transitions. Recorded in the audit log.")
    RecomputeResponse recompute(@PathVariable long projectId) {
        Project project = access.project(projectId, Capability.OPERATE);
        LifecycleRun run = lifecycle.recompute(project, access.current().name());
        return new RecomputeResponse(run.computedAt(), run.first(), sizes(run.sizes()), run.persons(), run.transitions().size());
    }

    @GetMapping("/lifecycle/history")
    @Operation(summary = "Stage sizes per day and flows between stages", description = "For each day from from to to (inclusive, "
            + "in the project's time zone; default the last 30 days; at most 366) the persons in each stage at the end of the day "
            + "(now, for today), derived from activity with the current thresholds; and the flows from each person's stage at the start "
            + "of from to the stage at the end of to (from absent: first seen during the range).")
    HistoryResponse history(@PathVariable long projectId, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to) {
        Project project = access.project(projectId, Capability.READ);
        LocalDate end = Days.parse(to, "to", LocalDate.now(clock.withZone(project.timeZone())));
        LocalDate start = Days.parse(from, "from", end.minusDays(Lifecycle.DEFAULT_HISTORY_DAYS - 1));
        StageHistory history = lifecycle.history(project, start, end);
        return new HistoryResponse(history.from(), history.to(),
                history.days().stream().map(day -> new DayResponse(day.day(), sizes(day.sizes()))).toList(),
                history.flows().stream().map(flow -> new FlowResponse(key(flow.from()), flow.to().key(), flow.persons())).toList());
    }

    @GetMapping("/persons/{personId}/stages")
    @Operation(summary = "A person's lifecycle stage and its history", description = "The current stage with the time the person "
            + "entered it, and the recorded transitions, newest first (at most 50). A merged person id answers its root's.")
    PersonStagesResponse personStages(@PathVariable long projectId, @PathVariable long personId) {
        Project project = access.project(projectId, Capability.READ);
        PersonLifecycle person = lifecycle.person(project, personId);
        PersonStage stage = person.stage();
        return new PersonStagesResponse(person.personId(), stage == null ? null : stage.stage().key(), stage == null ? null : stage.since(),
                person.transitions().stream().map(LifecycleApiController::transition).toList());
    }

    private static TransitionResponse transition(StageTransition transition) {
        return new TransitionResponse(key(transition.from()), transition.to().key(), transition.at());
    }

    private static String key(LifecycleStage stage) {
        return stage == null ? null : stage.key();
    }

    /** Every stage in lifecycle order, by key. */
    static Map<String, Long> sizes(Map<LifecycleStage, Long> sizes) {
        Map<String, Long> ordered = new LinkedHashMap<>();
        for (LifecycleStage stage : LifecycleStage.values()) {
            ordered.put(stage.key(), sizes.getOrDefault(stage, 0L));
        }
        return ordered;
    }
}
