package io.flywheel.analytics.web;

import io.flywheel.analytics.Answer;
import io.flywheel.analytics.FunnelAnswer;
import io.flywheel.analytics.Queries;
import io.flywheel.analytics.RetentionAnswer;
import io.flywheel.analytics.TrendAnswer;
import io.flywheel.events.EventAnalytics;
import io.flywheel.events.EventProperties;
import io.flywheel.events.QueryCancelledException;
import io.flywheel.platform.Access;
import io.flywheel.platform.Capability;
import io.flywheel.platform.Project;
import io.flywheel.shared.InvalidInputException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The report pages: trends, funnels and retention. Each page is a GET form whose parameters are the
 * report, so its URL can be shared; the page runs it through {@link Queries} and draws the answer,
 * and the same URL with {@code format=csv} downloads its table.
 */
@Controller
class ReportsController {

    static final int EVENT_NAMES = 200;
    private static final String TRENDS = "/p/%d/reports/trends";
    private static final String FUNNELS = "/p/%d/reports/funnels";
    private static final String RETENTION = "/p/%d/reports/retention";

    private final Queries queries;
    private final EventAnalytics analytics;
    private final Access access;
    private final JsonMapper json;
    private final MessageSource messages;

    ReportsController(Queries queries, EventAnalytics analytics, Access access, JsonMapper json, MessageSource messages) {
        this.queries = queries;
        this.analytics = analytics;
        this.access = access;
        this.json = json;
        this.messages = messages;
    }

    // ------------------------------------------------------------ trends

    @GetMapping("/p/{projectId}/reports/trends")
    String trends(@PathVariable long projectId, @ModelAttribute("form") TrendForm form, @RequestParam(defaultValue = "false") boolean refresh,
            Model model, Locale locale, HttpServletResponse response) {
        Page page = open(projectId, locale, model, TRENDS);
        model.addAttribute("events", options(page.eventNames(), List.of(form.event())));
        model.addAttribute("measures", TrendForm.MEASURES);
        model.addAttribute("intervals", TrendForm.INTERVALS);
        model.addAttribute("operators", TrendForm.OPERATORS);
        model.addAttribute("properties", EventProperties.BUILT_IN);
        page.links(form.parameters());
        TrendAnswer answer = (TrendAnswer) page.run(form.request(json), refresh, TrendForm::field, response);
        page.range(form.from(), form.to(), answer == null ? null : answer.from(), answer == null ? null : answer.to());
        if (answer != null) {
            ReportFormat format = page.format();
            TrendTable table = TrendTable.of(answer, form.event(), format);
            model.addAttribute("table", table);
            model.addAttribute("hasData", table.hasData());
            String measure = format.message("trends.measure." + answer.measure());
            model.addAttribute("chart", json.writeValueAsString(table.chart(measure)));
            model.addAttribute("chartTitle", format.message("trends.chartTitle", measure, format.event(form.event()),
                    format.message("trends.per." + answer.interval())));
        }
        return "analytics/trends";
    }

    @GetMapping(path = "/p/{projectId}/reports/trends", params = "format=csv")
    ResponseEntity<byte[]> trendsCsv(@PathVariable long projectId, @ModelAttribute TrendForm form, Locale locale, HttpServletRequest request) {
        Project project = access.project(projectId, Capability.READ);
        ReportFormat format = format(project, locale);
        try {
            TrendAnswer answer = (TrendAnswer) queries.run(project, form.request(json), owner());
            return ReportCsv.trend(TrendTable.of(answer, form.event(), format), format)
                    .download(filename("trends", answer.from(), answer.to()));
        }
        catch (InvalidInputException | QueryCancelledException e) {
            return backToPage(request, form.parameters().url(TRENDS.formatted(projectId)));
        }
    }

    // ------------------------------------------------------------ funnels

    @GetMapping("/p/{projectId}/reports/funnels")
    String funnels(@PathVariable long projectId, @ModelAttribute("form") FunnelForm form, @RequestParam(defaultValue = "false") boolean refresh,
            @RequestParam(required = false) String addStep, @RequestParam(required = false) String removeStep,
            Model model, Locale locale, HttpServletResponse response) {
        Page page = open(projectId, locale, model, FUNNELS);
        FunnelForm funnel = form.withDefaultSteps(page.eventNames());
        if (addStep != null || removeStep != null) {
            FunnelForm changed = addStep != null ? funnel.withStepAdded(page.eventNames()) : funnel.withStepRemoved(index(removeStep));
            return "redirect:" + changed.parameters().url(FUNNELS.formatted(projectId));
        }
        model.addAttribute("form", funnel);
        model.addAttribute("events", options(page.eventNames(), funnel.steps()));
        model.addAttribute("properties", EventProperties.BUILT_IN);
        if (funnel.steps().isEmpty()) {
            model.addAttribute("noEvents", true);
            page.range(funnel.from(), funnel.to(), null, null);
            return "analytics/funnels";
        }
        page.links(funnel.parameters());
        model.addAttribute("breakdownCsvUrl", funnel.parameters().add("format", "csv").add("table", "breakdown").url(page.path()));
        FunnelAnswer answer = (FunnelAnswer) page.run(funnel.request(json), refresh, FunnelForm::field, response);
        page.range(funnel.from(), funnel.to(), answer == null ? null : answer.from(), answer == null ? null : answer.to());
        if (answer != null) {
            model.addAttribute("hasData", answer.steps().get(0).count() > 0);
            model.addAttribute("chart", json.writeValueAsString(funnelChart(answer, page.format())));
        }
        return "analytics/funnels";
    }

    @GetMapping(path = "/p/{projectId}/reports/funnels", params = "format=csv")
    ResponseEntity<byte[]> funnelsCsv(@PathVariable long projectId, @ModelAttribute FunnelForm form, @RequestParam(required = false) String table,
            Locale locale, HttpServletRequest request) {
        Project project = access.project(projectId, Capability.READ);
        ReportFormat format = format(project, locale);
        FunnelForm funnel = form.withDefaultSteps(eventNames(project));
        try {
            FunnelAnswer answer = (FunnelAnswer) queries.run(project, funnel.request(json), owner());
            if ("breakdown".equals(table)) {
                return ReportCsv.funnelBreakdown(answer, format).download(filename("funnel-breakdown", answer.from(), answer.to()));
            }
            return ReportCsv.funnelSteps(answer, format).download(filename("funnel", answer.from(), answer.to()));
        }
        catch (InvalidInputException | QueryCancelledException e) {
            return backToPage(request, funnel.parameters().url(FUNNELS.formatted(projectId)));
        }
    }

    /** Bars per step, labelled with the share of step 1 that reached it. */
    record FunnelChart(String name, List<String> steps, List<Long> counts, List<Double> rates) {
    }

    private static FunnelChart funnelChart(FunnelAnswer answer, ReportFormat format) {
        List<FunnelAnswer.Step> steps = answer.steps();
        return new FunnelChart(format.message("funnels.col.persons"),
                IntStream.range(0, steps.size()).mapToObj(i -> (i + 1) + ". " + steps.get(i).event()).toList(),
                steps.stream().map(FunnelAnswer.Step::count).toList(),
                steps.stream().map(step -> Math.round(step.conversionRate() * 1000) / 10d).toList());
    }

    // ------------------------------------------------------------ retention

    @GetMapping("/p/{projectId}/reports/retention")
    String retention(@PathVariable long projectId, @ModelAttribute("form") RetentionForm form, @RequestParam(defaultValue = "false") boolean refresh,
            Model model, Locale locale, HttpServletResponse response) {
        Page page = open(projectId, locale, model, RETENTION);
        RetentionForm retention = form.withDefaultCohortEvent(page.eventNames());
        model.addAttribute("form", retention);
        model.addAttribute("events", options(page.eventNames(), retention.cohortEvent() == null ? List.of() : List.of(retention.cohortEvent())));
        model.addAttribute("returnEvents", options(page.eventNames(), List.of(retention.returnEvent())));
        model.addAttribute("periods", RetentionForm.PERIODS);
        if (retention.cohortEvent() == null) {
            model.addAttribute("noEvents", true);
            page.range(retention.from(), retention.to(), null, null);
            return "analytics/retention";
        }
        page.links(retention.parameters());
        RetentionAnswer answer = (RetentionAnswer) page.run(retention.request(json), refresh, UnaryOperator.identity(), response);
        page.range(retention.from(), retention.to(), answer == null ? null : answer.from(), answer == null ? null : answer.to());
        if (answer != null) {
            List<String> labels = periodLabels(answer, page.format());
            model.addAttribute("periodLabels", labels);
            model.addAttribute("hasData", answer.cohorts().stream().anyMatch(cohort -> cohort.size() > 0));
            model.addAttribute("cohortPersons", answer.cohorts().stream().mapToLong(RetentionAnswer.Cohort::size).sum());
            model.addAttribute("chart", json.writeValueAsString(new RetentionChart(page.format().message("retention.average"),
                    labels.subList(0, Math.min(labels.size(), answer.average().size())), answer.average())));
        }
        return "analytics/retention";
    }

    @GetMapping(path = "/p/{projectId}/reports/retention", params = "format=csv")
    ResponseEntity<byte[]> retentionCsv(@PathVariable long projectId, @ModelAttribute RetentionForm form, Locale locale, HttpServletRequest request) {
        Project project = access.project(projectId, Capability.READ);
        ReportFormat format = format(project, locale);
        RetentionForm retention = form.withDefaultCohortEvent(eventNames(project));
        try {
            RetentionAnswer answer = (RetentionAnswer) queries.run(project, retention.request(json), owner());
            return ReportCsv.retention(answer, format, periodLabels(answer, format))
                    .download(filename("retention", answer.from(), answer.to()));
        }
        catch (InvalidInputException | QueryCancelledException e) {
            return backToPage(request, retention.parameters().url(RETENTION.formatted(projectId)));
        }
    }

    /** The average retention curve. */
    record RetentionChart(String name, List<String> periods, List<Double> average) {
    }

    private static List<String> periodLabels(RetentionAnswer answer, ReportFormat format) {
        return IntStream.range(0, answer.periods()).mapToObj(k -> format.message("retention.period." + answer.period(), k)).toList();
    }

    // ------------------------------------------------------------ shared

    /** One report page being rendered: its project, language, model and links. */
    private final class Page {

        private final Project project;
        private final ReportFormat format;
        private final Model model;
        private final String path;
        private List<String> eventNames;

        Page(Project project, ReportFormat format, Model model, String path) {
            this.project = project;
            this.format = format;
            this.model = model;
            this.path = path;
        }

        ReportFormat format() {
            return format;
        }

        String path() {
            return path;
        }

        List<String> eventNames() {
            if (eventNames == null) {
                eventNames = ReportsController.this.eventNames(project);
            }
            return eventNames;
        }

        void links(ReportLinks.Parameters parameters) {
            model.addAttribute("csvUrl", parameters.copy().add("format", "csv").url(path));
            model.addAttribute("refreshUrl", parameters.copy().add("refresh", "true").url(path));
        }

        /** The dates the form shows: as asked, or the range the answer covered. */
        void range(String from, String to, LocalDate answeredFrom, LocalDate answeredTo) {
            model.addAttribute("from", from != null ? from : answeredFrom == null ? "" : answeredFrom.toString());
            model.addAttribute("to", to != null ? to : answeredTo == null ? "" : answeredTo.toString());
        }

        /**
         * Runs the request; on a user error or a time-out the page shows the form with the problem
         * next to it (status 400 or 503) and this returns null.
         */
        Answer run(ObjectNode request, boolean refresh, UnaryOperator<String> formField, HttpServletResponse response) {
            if (refresh) {
                request.put("refresh", true);
            }
            try {
                Answer answer = queries.run(project, request, owner());
                model.addAttribute("answer", answer);
                model.addAttribute("meta", answer.meta());
                return answer;
            }
            catch (InvalidInputException e) {
                String field = formField.apply(e.field());
                response.setStatus(HttpStatus.BAD_REQUEST.value());
                model.addAttribute("invalid", Set.of(field));
                String detail = e.code() == null ? e.getMessage() : messages.getMessage(e.code(), e.arguments(), e.getMessage(), format.locale());
                model.addAttribute("error", format.message("reports.error", fieldLabel(field), detail));
                return null;
            }
            catch (QueryCancelledException e) {
                response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
                model.addAttribute("error", format.message(e.timedOut() ? "reports.timeout" : "reports.cancelled"));
                return null;
            }
        }

        private String fieldLabel(String field) {
            if (field.matches("steps\\d+")) {
                return format.message("funnels.step", Integer.parseInt(field.substring("steps".length())) + 1);
            }
            return messages.getMessage("reports.field." + field, null, field, format.locale());
        }
    }

    private Page open(long projectId, Locale locale, Model model, String path) {
        Project project = access.project(projectId, Capability.READ);
        ReportFormat format = format(project, locale);
        model.addAttribute("project", project);
        model.addAttribute("fmt", format);
        model.addAttribute("invalid", Set.of());
        return new Page(project, format, model, path.formatted(projectId));
    }

    private ReportFormat format(Project project, Locale locale) {
        return new ReportFormat(messages, locale, project.timeZone());
    }

    private List<String> eventNames(Project project) {
        return analytics.eventNames(project.id(), EVENT_NAMES).stream().map(EventAnalytics.EventName::name).toList();
    }

    /** The project's event names, plus any chosen one they lack (a shared link may name an event this project has not seen). */
    private static List<String> options(List<String> eventNames, List<String> chosen) {
        List<String> options = new ArrayList<>(eventNames);
        chosen.stream().filter(name -> !name.isEmpty() && !name.startsWith("$") && !options.contains(name)).distinct().forEach(options::add);
        return options;
    }

    private String owner() {
        return access.current().name();
    }

    private static int index(String text) {
        try {
            return Integer.parseInt(text.strip());
        }
        catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String filename(String report, LocalDate from, LocalDate to) {
        return "flywheel-" + report + "-" + from + "-to-" + to + ".csv";
    }

    /** A CSV link whose report cannot run goes back to the page, which says why. */
    private static ResponseEntity<byte[]> backToPage(HttpServletRequest request, String url) {
        return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create(request.getContextPath() + url)).build();
    }
}
