package io.flywheel.people.web;

import io.flywheel.events.PersonCondition;
import io.flywheel.events.PersonQuery;
import io.flywheel.events.PersonSummary;
import io.flywheel.events.QueryCancelledException;
import io.flywheel.people.People;
import io.flywheel.people.PersonListItem;
import io.flywheel.people.Segment;
import io.flywheel.people.Segments;
import io.flywheel.people.Tag;
import io.flywheel.people.Tags;
import io.flywheel.people.internal.RuleJson;
import io.flywheel.platform.Access;
import io.flywheel.platform.Capability;
import io.flywheel.platform.Project;
import io.flywheel.shared.ConflictException;
import io.flywheel.shared.Csv;
import io.flywheel.shared.InvalidInputException;
import io.flywheel.shared.Page;
import io.flywheel.shared.PageRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The segment pages: the list, the editor (a rule builder with a live count while editing) and a
 * segment's page (size over time, members linking to their profiles, CSV export). A rule can come
 * prefilled in the editor's URL ({@code ?rule=...}), which is how reports link to "create segment".
 */
@Controller
class SegmentsController {

    static final int MEMBERS_PAGE = 50;
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final Segments segments;
    private final Tags tags;
    private final People people;
    private final RuleEditor ruleEditor;
    private final Access access;
    private final JsonMapper json;
    private final MessageSource messages;

    SegmentsController(Segments segments, Tags tags, People people, RuleEditor ruleEditor, Access access, JsonMapper json,
            MessageSource messages) {
        this.segments = segments;
        this.tags = tags;
        this.people = people;
        this.ruleEditor = ruleEditor;
        this.access = access;
        this.json = json;
        this.messages = messages;
    }

    /** One segment of the list, with times in the project's zone. */
    record ListRow(long id, String name, String description, long size, Long change, String refreshedAt) {
    }

    @GetMapping("/p/{projectId}/segments")
    String list(@PathVariable long projectId, Model model) {
        Project project = access.project(projectId, Capability.READ);
        List<ListRow> rows = segments.list(project.id()).stream().map(summary -> new ListRow(summary.segment().id(), summary.segment().name(),
                summary.segment().description(), summary.size(), summary.change(), time(project, summary.refreshedAt()))).toList();
        model.addAttribute("project", project);
        model.addAttribute("rows", rows);
        model.addAttribute("canOperate", access.current().can(Capability.OPERATE));
        return "people/segments";
    }

    // ------------------------------------------------------------ editor

    @GetMapping("/p/{projectId}/segments/new")
    String create(@PathVariable long projectId, @RequestParam(required = false) String rule, @RequestParam(required = false) String name,
            Model model) {
        Project project = access.project(projectId, Capability.OPERATE);
        String text = "{\"all\": []}";
        if (rule != null && !rule.isBlank()) {
            try {
                text = pretty(RuleJson.write(RuleJson.parse(json.readTree(rule))));
            }
            catch (JacksonException | InvalidInputException e) {
                model.addAttribute("error", e.getMessage());
            }
        }
        return editor(project, null, name == null ? "" : name, "", text, model);
    }

    @GetMapping("/p/{projectId}/segments/{segmentId}/edit")
    String edit(@PathVariable long projectId, @PathVariable long segmentId, Model model) {
        Project project = access.project(projectId, Capability.OPERATE);
        Segment segment = segments.get(project.id(), segmentId);
        return editor(project, segment, segment.name(), segment.description(), pretty(RuleJson.write(segment.rule())), model);
    }

    @PostMapping("/p/{projectId}/segments")
    String save(@PathVariable long projectId, @RequestParam(required = false) Long segmentId, @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String description, @RequestParam(defaultValue = "") String rule, Model model) {
        Project project = access.project(projectId, Capability.OPERATE);
        Segment existing = segmentId == null ? null : segments.get(project.id(), segmentId);
        try {
            Segment.Draft draft = new Segment.Draft(name, description, parse(rule));
            Segment saved = existing == null ? segments.create(project, draft, access.current().name())
                    : segments.update(project, existing.id(), draft, access.current().name());
            return "redirect:/p/" + project.id() + "/segments/" + saved.id();
        }
        catch (InvalidInputException e) {
            model.addAttribute("error", message(e));
            model.addAttribute("errorPath", e.field());
        }
        catch (ConflictException e) {
            model.addAttribute("error", e.getMessage());
            model.addAttribute("errorPath", "name");
        }
        return editor(project, existing, name, description, rule, model);
    }

    private String editor(Project project, Segment segment, String name, String description, String rule, Model model) {
        ruleEditor.model(project, segment, name, description, rule, model);
        return "people/segment-editor";
    }

    /** The live count of the rule being edited: a fragment with the count, or the error and the JSON path it is at. */
    @PostMapping("/p/{projectId}/segments/count")
    String count(@PathVariable long projectId, @RequestParam(defaultValue = "") String rule, Model model) {
        Project project = access.project(projectId, Capability.READ);
        try {
            model.addAttribute("count", segments.count(project, parse(rule)));
        }
        catch (InvalidInputException e) {
            model.addAttribute("error", message(e));
            model.addAttribute("errorPath", e.field());
        }
        catch (QueryCancelledException e) {
            model.addAttribute("error", messages.getMessage("segments.count.timeout", null, LocaleContextHolder.getLocale()));
        }
        return "people/segment-editor :: count";
    }

    private PersonCondition parse(String rule) {
        JsonNode node;
        try {
            node = json.readTree(rule);
        }
        catch (JacksonException e) {
            throw new InvalidInputException("rule", "the rule is not valid JSON", "segments.error.json");
        }
        return RuleJson.parse(node);
    }

    private String message(InvalidInputException e) {
        if (e.code() == null) {
            return e.getMessage();
        }
        return messages.getMessage(e.code(), e.arguments(), e.getMessage(), LocaleContextHolder.getLocale());
    }

    private String pretty(JsonNode node) {
        return json.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    }

    // ------------------------------------------------------------ one segment

    /** A day of the size chart. */
    record SizePoint(String day, long size) {
    }

    @GetMapping("/p/{projectId}/segments/{segmentId}")
    String segment(@PathVariable long projectId, @PathVariable long segmentId, @RequestParam(required = false) Integer page, Model model) {
        Project project = access.project(projectId, Capability.READ);
        Segments.Summary summary = segments.summary(project.id(), segmentId);
        SizeHistory.Range days = SizeHistory.chartRange(project);
        String chart = SizeHistory.chart(json, project, segments.history(project, segmentId, days.from(), days.to()));
        Page<PersonListItem> members;
        try {
            Page<PersonSummary> found = segments.members(project, segmentId, PersonQuery.everyone(),
                    new PageRequest(page == null ? 0 : page, MEMBERS_PAGE));
            members = people.items(found);
        }
        catch (QueryCancelledException e) {
            model.addAttribute("error", messages.getMessage("segments.count.timeout", null, LocaleContextHolder.getLocale()));
            members = new Page<>(List.of(), 0, MEMBERS_PAGE, 0);
        }
        model.addAttribute("project", project);
        model.addAttribute("segment", summary.segment());
        model.addAttribute("size", summary.size());
        model.addAttribute("refreshedAt", time(project, summary.refreshedAt()));
        model.addAttribute("ruleJson", pretty(RuleJson.write(summary.segment().rule())));
        model.addAttribute("chart", chart);
        model.addAttribute("members", members);
        model.addAttribute("rows", members.items().stream().map(item -> new MemberRow(item.personId(), item.name(), item.userId(), item.city(),
                item.channel(), time(project, item.lastSeen()), item.events())).toList());
        model.addAttribute("canOperate", access.current().can(Capability.OPERATE));
        model.addAttribute("manualTags", tags.list(project.id()).stream().filter(Tag::manual).toList());
        return "people/segment";
    }

    /** One member of the table. */
    record MemberRow(long personId, String name, String userId, String city, String channel, String lastSeen, long events) {
    }

    @GetMapping("/p/{projectId}/segments/{segmentId}/members.csv")
    void csv(@PathVariable long projectId, @PathVariable long segmentId, HttpServletResponse response) throws IOException {
        Project project = access.project(projectId, Capability.READ);
        Segment segment = segments.get(project.id(), segmentId);
        response.setContentType("text/csv;charset=UTF-8");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Content-Disposition", "attachment; filename=\"segment-" + segment.id() + ".csv\"");
        PrintWriter out = response.getWriter();
        out.write('\uFEFF');
        out.print("person,user id,name,city,first-touch channel,first seen,last seen,events\r\n");
        segments.export(project, segment.id(), access.current().name(), person -> {
            PersonListItem item = people.item(person);
            out.print(String.join(",", Long.toString(item.personId()), Csv.cell(item.userId()), Csv.cell(item.name()), Csv.cell(item.city()),
                    Csv.cell(item.channel()), time(project, item.firstSeen()), time(project, item.lastSeen()), Long.toString(item.events())));
            out.print("\r\n");
        });
        out.flush();
    }

    @PostMapping("/p/{projectId}/segments/{segmentId}/delete")
    String delete(@PathVariable long projectId, @PathVariable long segmentId, RedirectAttributes redirect) {
        Project project = access.project(projectId, Capability.OPERATE);
        try {
            segments.delete(project, segmentId, access.current().name());
            redirect.addFlashAttribute("deleted", true);
            return "redirect:/p/" + project.id() + "/segments";
        }
        catch (ConflictException e) {
            redirect.addFlashAttribute("error", e.getMessage());
            return "redirect:/p/" + project.id() + "/segments/" + segmentId;
        }
    }

    static String time(Project project, Instant instant) {
        return instant == null ? "" : MINUTE.format(instant.atZone(project.timeZone()));
    }
}
