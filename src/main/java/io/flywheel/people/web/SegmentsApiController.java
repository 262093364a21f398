package io.flywheel.people.web;

import io.flywheel.events.PersonCondition;
import io.flywheel.events.PersonQuery;
import io.flywheel.events.PersonSummary;
import io.flywheel.events.QueryCancelledException;
import io.flywheel.people.People;
import io.flywheel.people.PersonListItem;
import io.flywheel.people.Segment;
import io.flywheel.people.Segments;
import io.flywheel.people.internal.RuleJson;
import io.flywheel.platform.Access;
import io.flywheel.platform.Capability;
import io.flywheel.platform.Project;
import io.flywheel.shared.Csv;
import io.flywheel.shared.InvalidInputException;
import io.flywheel.shared.Page;
import io.flywheel.shared.PageRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/projects/{projectId}/segments")
@Tag(name = "Segments", description = "Segments: rules over persons whose members are kept current as events and traits arrive")
class SegmentsApiController {

    static final String RULE_FORMAT = "The rule is JSON: groups {\"all\": [...]}, {\"any\": [...]}, {\"not\": {...}}; conditions "
            + "{\"trait\": \"city\", \"operator\": \"equals\", \"value\": \"上海\"}, {\"did\": \"Order Completed\", \"where\": [...], "
            + "\"atLeast\": 3, \"lastDays\": 30}, {\"didNot\": E, \"lastDays\": D}, {\"sequence\": [{\"event\": A}, {\"event\": B}], "
            + "\"within\": \"P1D\"}, {\"rfm\": {\"segments\": [...], \"r\": [4, 5]}}, {\"stage\": [\"active\"]}, "
            + "{\"firstTouch\": [\"WeChat\"]}, {\"lastTouch\": [\"(none)\"]}, {\"tag\": 12}, {\"segment\": 7}. At most 5 levels and "
            + "50 conditions; errors name the JSON path (rule.all[1].did).";

    private final Segments segments;
    private final People people;
    private final Access access;

    SegmentsApiController(Segments segments, People people, Access access) {
        this.segments = segments;
        this.people = people;
        this.access = access;
    }

    /** A segment as the API shows it. */
    record SegmentResponse(long id, String name, String description, JsonNode rule, Long size, Long change, Instant refreshedAt,
            Instant createdAt, String createdBy, Instant updatedAt, String updatedBy) {

        static SegmentResponse of(Segment segment, Segments.Summary summary) {
            return new SegmentResponse(segment.id(), segment.name(), segment.description(), RuleJson.write(segment.rule()),
                    summary == null ? null : summary.size(), summary == null ? null : summary.change(),
                    summary == null ? null : summary.refreshedAt(), segment.createdAt(), segment.createdBy(), segment.updatedAt(),
                    segment.updatedBy());
        }
    }

    /** What a segment is made of: a name, an optional description and a rule. */
    record SegmentRequest(String name, String description, JsonNode rule) {
    }

    record CountRequest(JsonNode rule) {
    }

    record CountResponse(long count) {
    }

    @GetMapping
    @Operation(summary = "List segments", description = "By name, with the current size, the change against a day ago and when the "
            + "members were last evaluated.")
    List<SegmentResponse> list(@PathVariable long projectId) {
        Project project = access.project(projectId, Capability.READ);
        return segments.list(project.id()).stream().map(summary -> SegmentResponse.of(summary.segment(), summary)).toList();
    }

    @GetMapping("/{segmentId}")
    @Operation(summary = "A segment")
    SegmentResponse get(@PathVariable long projectId, @PathVariable long segmentId) {
        Project project = access.project(projectId, Capability.READ);
        Segments.Summary summary = segments.summary(project.id(), segmentId);
        return SegmentResponse.of(summary.segment(), summary);
    }

    @PostMapping
    @Operation(summary = "Create a segment", description = RULE_FORMAT + " Members are computed in the background within seconds.")
    ResponseEntity<SegmentResponse> create(@PathVariable long projectId, @RequestBody SegmentRequest request) {
        Project project = access.project(projectId, Capability.OPERATE);
        Segment segment = segments.create(project, draft(request), access.current().name());
        return ResponseEntity.created(URI.create("/api/v1/projects/" + project.id() + "/segments/" + segment.id()))
                .body(SegmentResponse.of(segment, null));
    }

    @PutMapping("/{segmentId}")
    @Operation(summary = "Change a segment", description = RULE_FORMAT + " A changed rule is evaluated again for everyone.")
    SegmentResponse update(@PathVariable long projectId, @PathVariable long segmentId, @RequestBody SegmentRequest request) {
        Project project = access.project(projectId, Capability.OPERATE);
        return SegmentResponse.of(segments.update(project, segmentId, draft(request), access.current().name()), null);
    }

    @DeleteMapping("/{segmentId}")
    @Operation(summary = "Delete a segment", description = "Refused with 409 while another segment's or tag's rule refers to it.")
    ResponseEntity<Void> delete(@PathVariable long projectId, @PathVariable long segmentId) {
        Project project = access.project(projectId, Capability.OPERATE);
        segments.delete(project, segmentId, access.current().name());
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/count")
    @Operation(summary = "Count the persons a rule holds for", description = "The live count while editing; nothing is saved. "
            + RULE_FORMAT)
    ResponseEntity<?> count(@PathVariable long projectId, @RequestBody CountRequest request) {
        Project project = access.project(projectId, Capability.READ);
        PersonCondition rule = rule(request == null ? null : request.rule());
        try {
            return ResponseEntity.ok(new CountResponse(segments.count(project, rule)));
        }
        catch (QueryCancelledException e) {
            return timeout(e);
        }
    }

    @GetMapping("/{segmentId}/members")
    @Operation(summary = "A segment's members", description = "Paged, most recently seen first; with format=csv every member as CSV "
            + "(recorded in the audit log).")
    ResponseEntity<?> members(@PathVariable long projectId, @PathVariable long segmentId, @RequestParam(required = false) String format,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size, HttpServletResponse response) {
        if ("csv".equals(format)) {
            Project project = access.project(projectId, Capability.READ);
            Segment segment = segments.get(project.id(), segmentId);
            csv(project, segment, response);
            return null;
        }
        if (format != null && !format.equals("json")) {
            throw new InvalidInputException("format", "format must be json or csv");
        }
        Project project = access.project(projectId, Capability.READ);
        try {
            Page<PersonSummary> members = segments.members(project, segmentId, PersonQuery.everyone(), PageRequest.of(page, size));
            Page<PersonListItem> items = people.items(members);
            return ResponseEntity.ok(items);
        }
        catch (QueryCancelledException e) {
            return timeout(e);
        }
    }

    /** An instant as ISO-8601, empty for none (a person never seen). */
    private static String text(Instant instant) {
        return instant == null ? "" : instant.toString();
    }

    private void csv(Project project, Segment segment, HttpServletResponse response) {
        response.setContentType("text/csv;charset=UTF-8");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Content-Disposition", "attachment; filename=\"segment-" + segment.id() + ".csv\"");
        try {
            PrintWriter out = response.getWriter();
            out.write('\uFEFF');
            out.println("person_id,user_id,name,city,first_touch_channel,first_seen,last_seen,events");
            segments.export(project, segment.id(), access.current().name(), person -> {
                PersonListItem item = people.item(person);
                out.println(String.join(",", Long.toString(item.personId()), Csv.cell(item.userId()), Csv.cell(item.name()),
                        Csv.cell(item.city()), Csv.cell(item.channel()), text(item.firstSeen()), text(item.lastSeen()),
                        Long.toString(item.events())));
            });
            out.flush();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GetMapping("/{segmentId}/sizes")
    @Operation(summary = "A segment's size over time", description = "The last size of each day from from to to (inclusive days in the "
            + "project's time zone; default the last 30 days) that has a sample.")
    List<SizeHistory.SizeResponse> sizes(@PathVariable long projectId, @PathVariable long segmentId,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        Project project = access.project(projectId, Capability.READ);
        SizeHistory.Range range = SizeHistory.range(project, from, to);
        return SizeHistory.responses(project, segments.history(project, segmentId, range.from(), range.to()));
    }

    static Segment.Draft draft(SegmentRequest request) {
        if (request == null) {
            throw new InvalidInputException("name", "send a name and a rule");
        }
        if (request.name() == null) {
            throw new InvalidInputException("name", "name is required");
        }
        return new Segment.Draft(request.name(), request.description(), rule(request.rule()));
    }

    static PersonCondition rule(JsonNode rule) {
        return RuleJson.parse(rule);
    }

    static ResponseEntity<ProblemDetail> timeout(QueryCancelledException e) {
        HttpStatus status = e.timedOut() ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.CONFLICT;
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.getMessage());
        problem.setType(URI.create("urn:flywheel:problem:" + (e.timedOut() ? "query-timeout" : "query-cancelled")));
        return ResponseEntity.status(status).body(problem);
    }
}
