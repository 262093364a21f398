package io.flywheel.people.web;

import io.flywheel.events.LifecycleRun;
import io.flywheel.events.LifecycleStage;
import io.flywheel.events.PersonStage;
import io.flywheel.events.StageHistory;
import io.flywheel.people.Lifecycle;
import io.flywheel.people.LifecycleOverview;
import io.flywheel.people.PersonLifecycle;
import io.flywheel.platform.Access;
import io.flywheel.platform.Capability;
import io.flywheel.platform.Project;
import io.flywheel.shared.InvalidInputException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.json.JsonMapper;

/**
 * The lifecycle page (stage sizes, the stage history and flows between two days, the thresholds
 * form and "recompute now") and the stage section of the profile, which the profile page loads as
 * an htmx fragment.
 */
@Controller
class LifecycleController {

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final Lifecycle lifecycle;
    private final Access access;
    private final MessageSource messages;
    private final JsonMapper json;
    private final Clock clock;

    LifecycleController(Lifecycle lifecycle, Access access, MessageSource messages, JsonMapper json, Clock clock) {
        this.lifecycle = lifecycle;
        this.access = access;
        this.messages = messages;
        this.json = json;
        this.clock = clock;
    }

    /** One stage's card: its key, persons and share of all persons in percent. */
    record StageCard(String key, long persons, String share) {
    }

    /** One row of the flows table; {@code from} is null for persons first seen during the range. */
    record FlowRow(String from, String to, long persons) {
    }

    @GetMapping("/p/{projectId}/lifecycle")
    String page(@PathVariable long projectId, @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            Model model) {
        Project project = access.project(projectId, Capability.READ);
        LifecycleOverview overview = lifecycle.overview(project.id());
        LocalDate today = LocalDate.now(clock.withZone(project.timeZone()));
        LocalDate end = today;
        LocalDate start = today.minusDays(Lifecycle.DEFAULT_HISTORY_DAYS - 1);
        try {
            end = Days.parse(to, "to", today);
            start = Days.parse(from, "from", end.minusDays(Lifecycle.DEFAULT_HISTORY_DAYS - 1));
            model.addAttribute("history", history(lifecycle.history(project, start, end)));
        }
        catch (InvalidInputException e) {
            model.addAttribute("error", message(e));
            end = today;
            start = today.minusDays(Lifecycle.DEFAULT_HISTORY_DAYS - 1);
            model.addAttribute("history", history(lifecycle.history(project, start, end)));
        }
        model.addAttribute("project", project);
        model.addAttribute("overview", overview);
        model.addAttribute("cards", cards(overview.sizes(), overview.persons()));
        model.addAttribute("lastComputed", overview.lastComputed() == null ? null : time(project, overview.lastComputed()));
        model.addAttribute("thresholds", overview.thresholds());
        model.addAttribute("from", start);
        model.addAttribute("to", end);
        model.addAttribute("canOperate", access.current().can(Capability.OPERATE));
        return "people/lifecycle";
    }

    private static List<StageCard> cards(Map<LifecycleStage, Long> sizes, long total) {
        List<StageCard> cards = new ArrayList<>();
        for (LifecycleStage stage : LifecycleStage.values()) {
            long persons = sizes.getOrDefault(stage, 0L);
            cards.add(new StageCard(stage.key(), persons, total == 0 ? "0" : String.format(Locale.ROOT, "%.1f", 100.0 * persons / total)));
        }
        return cards;
    }

    /** The chart data (days, a series per stage, the flows) as JSON, and the flows as table rows. */
    private Map<String, Object> history(StageHistory history) {
        Locale locale = LocaleContextHolder.getLocale();
        Map<String, Object> chart = new LinkedHashMap<>();
        chart.put("days", history.days().stream().map(day -> day.day().toString()).toList());
        List<Map<String, Object>> series = new ArrayList<>();
        for (LifecycleStage stage : LifecycleStage.values()) {
            series.add(Map.of("key", stage.key(), "name", stageName(stage.key(), locale),
                    "data", history.days().stream().map(day -> day.sizes().getOrDefault(stage, 0L)).toList()));
        }
        chart.put("series", series);
        List<Map<String, Object>> flows = new ArrayList<>();
        Map<String, String> nodes = new LinkedHashMap<>();
        List<FlowRow> rows = new ArrayList<>();
        String appeared = messages.getMessage("lifecycle.flow.appeared", null, locale);
        String atStart = messages.getMessage("lifecycle.flow.start", null, locale);
        String atEnd = messages.getMessage("lifecycle.flow.end", null, locale);
        for (StageHistory.Flow flow : history.flows()) {
            String source = flow.from() == null ? appeared : stageName(flow.from().key(), locale) + " " + atStart;
            String target = stageName(flow.to().key(), locale) + " " + atEnd;
            nodes.put(source, flow.from() == null ? "appeared" : flow.from().key());
            nodes.put(target, flow.to().key());
            flows.add(Map.of("source", source, "target", target, "value", flow.persons()));
            rows.add(new FlowRow(flow.from() == null ? null : flow.from().key(), flow.to().key(), flow.persons()));
        }
        chart.put("flows", flows);
        chart.put("nodes", nodes.entrySet().stream().map(node -> Map.of("name", node.getKey(), "key", node.getValue())).toList());
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("chart", json.writeValueAsString(chart));
        model.put("flows", rows);
        model.put("empty", history.days().stream().allMatch(day -> day.sizes().values().stream().allMatch(size -> size == 0)));
        return model;
    }

    private String stageName(String key, Locale locale) {
        return messages.getMessage("lifecycle.stage." + key, null, key, locale);
    }

    private String message(InvalidInputException e) {
        return e.code() == null ? e.getMessage() : messages.getMessage(e.code(), e.arguments(), e.getMessage(), LocaleContextHolder.getLocale());
    }

    @PostMapping("/p/{projectId}/lifecycle/recompute")
    String recompute(@PathVariable long projectId, RedirectAttributes redirect) {
        Project project = access.project(projectId, Capability.OPERATE);
        LifecycleRun run = lifecycle.recompute(project, access.current().name());
        redirect.addFlashAttribute("recomputed", run.transitions().size());
        return "redirect:/p/" + project.id() + "/lifecycle";
    }

    @PostMapping("/p/{projectId}/lifecycle/thresholds")
    String thresholds(@PathVariable long projectId, @RequestParam int newDays, @RequestParam int atRiskDays, @RequestParam int dormantDays,
            @RequestParam int churnedDays, RedirectAttributes redirect) {
        Project project = access.project(projectId, Capability.OPERATE);
        try {
            lifecycle.updateThresholds(project, newDays, atRiskDays, dormantDays, churnedDays, access.current().name());
            redirect.addFlashAttribute("saved", true);
        }
        catch (InvalidInputException e) {
            redirect.addFlashAttribute("thresholdsError", message(e));
        }
        return "redirect:/p/" + project.id() + "/lifecycle";
    }

    /** The stage section of a person's profile (an htmx fragment). */
    @GetMapping("/p/{projectId}/people/{personId}/stage")
    String personStage(@PathVariable long projectId, @PathVariable long personId, Model model) {
        Project project = access.project(projectId, Capability.READ);
        PersonLifecycle person = lifecycle.person(project, personId);
        PersonStage stage = person.stage();
        model.addAttribute("project", project);
        model.addAttribute("stage", stage);
        model.addAttribute("since", stage == null ? null : time(project, stage.since()));
        model.addAttribute("transitions", person.transitions().stream()
                .map(t -> new TransitionRow(t.from() == null ? null : t.from().key(), t.to().key(), time(project, t.at()))).toList());
        return "people/stage :: stage";
    }

    /** A recorded transition as the profile shows it. */
    record TransitionRow(String from, String to, String at) {
    }

    private static String time(Project project, Instant instant) {
        return MINUTE.format(instant.atZone(project.timeZone()));
    }
}
