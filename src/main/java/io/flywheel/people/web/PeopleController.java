package io.flywheel.people.web;

import io.flywheel.events.Event;
import io.flywheel.events.EventAnalytics;
import io.flywheel.events.LifecycleStage;
import io.flywheel.events.PersonCondition;
import io.flywheel.events.PersonDeleted;
import io.flywheel.events.PersonQuery;
import io.flywheel.people.People;
import io.flywheel.people.PersonExport;
import io.flywheel.people.PersonListItem;
import io.flywheel.people.PersonView;
import io.flywheel.people.Segments;
import io.flywheel.people.Tag;
import io.flywheel.people.Tags;
import io.flywheel.platform.Access;
import io.flywheel.platform.Capability;
import io.flywheel.platform.Project;
import io.flywheel.shared.Csv;
import io.flywheel.shared.InvalidInputException;
import io.flywheel.shared.Page;
import io.flywheel.shared.PageRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.json.JsonMapper;

/**
 * The person list (search, channel and trait filters, sorting, paging, CSV) and the profile page
 * (traits with an edit form, identities, touches, activity, RFM, the timeline, JSON export and
 * deletion). Every parameter of the list is in its URL.
 */
@Controller
class PeopleController {

    static final int PAGE_SIZE = 50;
    static final int TIMELINE_SIZE = 25;
    static final int CSV_LIMIT = 10_000;
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final People people;
    private final Segments segments;
    private final Tags tags;
    private final EventAnalytics analytics;
    private final Access access;
    private final JsonMapper json;

    PeopleController(People people, Segments segments, Tags tags, EventAnalytics analytics, Access access, JsonMapper json) {
        this.people = people;
        this.segments = segments;
        this.tags = tags;
        this.analytics = analytics;
        this.access = access;
        this.json = json;
    }

    /** One row of the list as the page shows it, times in the project's zone. */
    record Row(long personId, String name, String userId, String city, String gender, String ageBand, String channel, String firstSeen,
            String lastSeen, long events) {
    }

    /** A sortable column's header link: the direction it sorts in when clicked, and the arrow of the current sort. */
    record SortLink(String column, String dir, String arrow) {
    }

    @GetMapping("/p/{projectId}/people")
    Object list(@PathVariable long projectId, @RequestParam(required = false) String q, @RequestParam(required = false) String channel,
            @RequestParam(required = false) String trait, @RequestParam(required = false) String value,
            @RequestParam(required = false) String sort, @RequestParam(required = false) String dir,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) String format,
            @RequestParam(required = false) Long tag, @RequestParam(required = false) String stage, Model model) {
        Project project = access.project(projectId, Capability.READ);
        PersonCondition condition = condition(project, tag, stage, model);
        PersonQuery.Sort order = sort(sort);
        boolean ascending = "asc".equals(dir);
        PersonQuery query;
        try {
            query = new PersonQuery(q, channel, trait, value == null ? "" : value, order, ascending);
        }
        catch (IllegalArgumentException e) {
            model.addAttribute("error", e.getMessage());
            query = new PersonQuery(q, channel, null, null, order, ascending);
        }
        if ("csv".equals(format)) {
            return csv(project, query, condition);
        }
        Page<PersonListItem> persons = search(project, query, condition, new PageRequest(page == null ? 0 : page, PAGE_SIZE));
        model.addAttribute("project", project);
        model.addAttribute("persons", persons);
        model.addAttribute("rows", persons.items().stream().map(item -> row(project, item)).toList());
        model.addAttribute("q", query.text());
        model.addAttribute("channel", query.channel());
        model.addAttribute("trait", query.traitKey());
        model.addAttribute("value", query.traitValue());
        model.addAttribute("sort", sortName(order));
        model.addAttribute("dir", ascending ? "asc" : "desc");
        model.addAttribute("sortLinks", sortLinks(order, ascending));
        model.addAttribute("filtered", query.text() != null || query.channel() != null || query.traitKey() != null || condition != null);
        model.addAttribute("tag", condition == null ? null : tag);
        if (condition != null && tag != null) {
            // the tag's members are listed here, so its size over time is charted here, as a segment's on its page
            SizeHistory.Range days = SizeHistory.chartRange(project);
            model.addAttribute("tagName", tags.get(project.id(), tag).name());
            model.addAttribute("tagChart", SizeHistory.chart(json, project, tags.history(project, tag, days.from(), days.to())));
        }
        model.addAttribute("stage", condition == null ? null : stage);
        model.addAttribute("tags", tags.list(project.id()));
        model.addAttribute("manualTags", tags.list(project.id()).stream().filter(Tag::manual).toList());
        model.addAttribute("canOperate", access.current().can(Capability.OPERATE));
        model.addAttribute("stages", List.of(LifecycleStage.values()).stream().map(LifecycleStage::key).toList());
        return "people/list";
    }

    /** The tag and stage filters as a condition on persons, null for none. */
    private PersonCondition condition(Project project, Long tag, String stage, Model model) {
        List<PersonCondition> conditions = new ArrayList<>();
        if (tag != null) {
            conditions.add(new PersonCondition.InSet(tags.get(project.id(), tag).key()));
        }
        if (stage != null && !stage.isBlank()) {
            try {
                conditions.add(new PersonCondition.Stage(Set.of(LifecycleStage.ofKey(stage.strip()))));
            }
            catch (IllegalArgumentException e) {
                model.addAttribute("error", e.getMessage());
            }
        }
        return conditions.isEmpty() ? null : conditions.size() == 1 ? conditions.get(0) : new PersonCondition.All(conditions);
    }

    private Page<PersonListItem> search(Project project, PersonQuery query, PersonCondition condition, PageRequest page) {
        if (condition == null) {
            return people.search(project.id(), query, page);
        }
        return people.items(segments.matching(project, condition, query, page));
    }

    private ResponseEntity<byte[]> csv(Project project, PersonQuery query, PersonCondition condition) {
        StringBuilder out = new StringBuilder("\uFEFFperson,name,user id,city,gender,age band,first-touch channel,first seen,last seen,events\r\n");
        for (int page = 0; page * PageRequest.MAX_SIZE < CSV_LIMIT; page++) {
            Page<PersonListItem> batch = search(project, query, condition, new PageRequest(page, PageRequest.MAX_SIZE));
            for (PersonListItem item : batch.items()) {
                Row row = row(project, item);
                List<String> cells = List.of(Long.toString(row.personId()), text(row.name()), text(row.userId()), text(row.city()),
                        text(row.gender()), text(row.ageBand()), text(row.channel()), row.firstSeen(), row.lastSeen(), Long.toString(row.events()));
                out.append(String.join(",", cells.stream().map(Csv::cell).toList())).append("\r\n");
            }
            if (!batch.hasNext()) {
                break;
            }
        }
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename("people.csv").build().toString())
                .body(out.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static Row row(Project project, PersonListItem item) {
        return new Row(item.personId(), item.name(), item.userId(), item.city(), item.gender(), item.ageBand(), item.channel(),
                time(project, item.firstSeen(), MINUTE), time(project, item.lastSeen(), MINUTE), item.events());
    }

    private static List<SortLink> sortLinks(PersonQuery.Sort current, boolean ascending) {
        return List.of(PersonQuery.Sort.FIRST_SEEN, PersonQuery.Sort.LAST_SEEN, PersonQuery.Sort.EVENTS).stream().map(sort -> {
            boolean active = sort == current;
            String dir = active && !ascending ? "asc" : "desc";
            return new SortLink(sortName(sort), dir, active ? (ascending ? " ↑" : " ↓") : "");
        }).toList();
    }

    static PersonQuery.Sort sort(String name) {
        if (name == null) {
            return PersonQuery.Sort.LAST_SEEN;
        }
        return switch (name) {
            case "firstSeen" -> PersonQuery.Sort.FIRST_SEEN;
            case "events" -> PersonQuery.Sort.EVENTS;
            default -> PersonQuery.Sort.LAST_SEEN;
        };
    }

    static String sortName(PersonQuery.Sort sort) {
        return switch (sort) {
            case LAST_SEEN -> "lastSeen";
            case FIRST_SEEN -> "firstSeen";
            case EVENTS -> "events";
        };
    }

    static String time(Project project, Instant instant, DateTimeFormatter format) {
        return instant == null ? "" : format.format(instant.atZone(project.timeZone()));
    }

    // ------------------------------------------------------------ profile

    /** One event of the timeline as the page shows it. */
    record TimelineRow(String at, String type, String event, String channel, String campaign, String orderId, Double revenue,
            String currency, String url, String properties) {
    }

    @GetMapping("/p/{projectId}/people/{personId}")
    String person(@PathVariable long projectId, @PathVariable long personId, @RequestParam(required = false) String event,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) Integer page, Model model) {
        Project project = access.project(projectId, Capability.READ);
        PersonView person = people.person(project, personId);
        LocalDate start = null;
        LocalDate end = null;
        try {
            start = Days.parse(from, "from", null);
            end = Days.parse(to, "to", null);
        }
        catch (InvalidInputException e) {
            model.addAttribute("error", e.getMessage());
        }
        Page<Event> timeline;
        try {
            timeline = people.timeline(project, person.personId(), event, start, end, new PageRequest(page == null ? 0 : page, TIMELINE_SIZE));
        }
        catch (InvalidInputException e) {
            model.addAttribute("error", e.getMessage());
            start = null;
            end = null;
            timeline = people.timeline(project, person.personId(), event, null, null, new PageRequest(0, TIMELINE_SIZE));
        }
        model.addAttribute("project", project);
        model.addAttribute("person", person);
        model.addAttribute("profile", person.profile());
        model.addAttribute("firstSeen", time(project, person.profile().firstSeen(), MINUTE));
        model.addAttribute("lastSeen", time(project, person.profile().lastSeen(), MINUTE));
        model.addAttribute("firstTouchAt", person.profile().firstTouch() == null ? "" : time(project, person.profile().firstTouch().at(), MINUTE));
        model.addAttribute("lastTouchAt", person.profile().lastTouch() == null ? "" : time(project, person.profile().lastTouch().at(), MINUTE));
        model.addAttribute("lastOrderAt", time(project, person.activity().lastOrderAt(), MINUTE));
        model.addAttribute("timeline", timeline);
        model.addAttribute("events", timeline.items().stream().map(e -> timelineRow(project, e)).toList());
        model.addAttribute("eventNames", analytics.eventNames(project.id(), 100).stream().map(EventAnalytics.EventName::name).toList());
        model.addAttribute("event", event == null || event.isBlank() ? null : event.strip());
        model.addAttribute("from", start);
        model.addAttribute("to", end);
        model.addAttribute("canOperate", access.current().can(Capability.OPERATE));
        return "people/person";
    }

    private static TimelineRow timelineRow(Project project, Event event) {
        String properties = "{}".equals(event.properties()) ? "" : event.properties();
        return new TimelineRow(time(project, event.timestamp(), SECOND), event.type(), event.event(), event.channel(), event.utmCampaign(),
                event.orderId(), event.revenue(), event.currency(), event.url(), properties);
    }

    @PostMapping("/p/{projectId}/people/{personId}/traits")
    String updateTrait(@PathVariable long projectId, @PathVariable long personId, @RequestParam String key,
            @RequestParam(required = false) String value, @RequestParam(required = false) String remove, RedirectAttributes redirect) {
        Project project = access.project(projectId, Capability.OPERATE);
        Map<String, Object> patch = new HashMap<>();
        patch.put(key.strip(), remove != null ? null : value == null ? "" : value.strip());
        try {
            people.updateTraits(project, personId, patch, access.current().name());
            redirect.addFlashAttribute("saved", true);
        }
        catch (InvalidInputException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/p/" + project.id() + "/people/" + personId;
    }

    @GetMapping("/p/{projectId}/people/{personId}/export")
    ResponseEntity<byte[]> export(@PathVariable long projectId, @PathVariable long personId) {
        Project project = access.project(projectId, Capability.READ);
        PersonExport export = people.export(project, personId, access.current().name());
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename("person-" + export.personId() + ".json").build().toString())
                .body(json.writerWithDefaultPrettyPrinter().writeValueAsBytes(export));
    }

    @PostMapping("/p/{projectId}/people/{personId}/delete")
    String delete(@PathVariable long projectId, @PathVariable long personId, RedirectAttributes redirect) {
        Project project = access.project(projectId, Capability.OPERATE);
        PersonDeleted deleted = people.delete(project, personId, access.current().name());
        redirect.addFlashAttribute("deleted", deleted.personId());
        return "redirect:/p/" + project.id() + "/people";
    }
}
