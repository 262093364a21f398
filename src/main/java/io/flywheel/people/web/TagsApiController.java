package io.flywheel.people.web;

import io.flywheel.events.PersonCondition;
import io.flywheel.events.PersonSets.SetChange;
import io.flywheel.events.QueryCancelledException;
import io.flywheel.people.People;
import io.flywheel.people.Segment;
import io.flywheel.people.Segments;
import io.flywheel.people.Tag;
import io.flywheel.people.Tags;
import io.flywheel.people.internal.RuleJson;
import io.flywheel.platform.Access;
import io.flywheel.platform.Capability;
import io.flywheel.platform.Project;
import io.flywheel.shared.InvalidInputException;
import io.flywheel.shared.NotFoundException;
import io.flywheel.shared.PageRequest;
import io.swagger.v3.oas.annotations.Operation;
import java.net.URI;
import java.time.Instant;
import java.util.List;
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
@RequestMapping("/api/v1/projects/{projectId}")
@io.swagger.v3.oas.annotations.tags.Tag(name = "Tags", description = "Tags on persons, in groups: manual tags put on by hand and rule tags "
        + "kept true by a rule")
class TagsApiController {

    private final Tags tags;
    private final Segments segments;
    private final People people;
    private final Access access;

    TagsApiController(Tags tags, Segments segments, People people, Access access) {
        this.tags = tags;
        this.segments = segments;
        this.people = people;
        this.access = access;
    }

    record GroupRequest(String name) {
    }

    /** A tag as the API shows it; rule is absent for a manual tag. */
    record TagResponse(long id, String name, String description, Long groupId, String group, boolean manual, JsonNode rule, Long size,
            Instant createdAt, String createdBy, Instant updatedAt, String updatedBy) {

        static TagResponse of(Tag tag, String group, Long size) {
            return new TagResponse(tag.id(), tag.name(), tag.description(), tag.groupId(), group, tag.manual(),
                    tag.manual() ? null : RuleJson.write(tag.rule()), size, tag.createdAt(), tag.createdBy(), tag.updatedAt(), tag.updatedBy());
        }
    }

    record TagRequest(String name, String description, Long groupId, JsonNode rule) {
    }

    /** Persons to tag or untag, or everyone in a segment. */
    record PersonsRequest(List<Long> personIds, Long segmentId) {
    }

    record ChangeResponse(int entered, int exited, long size) {
        static ChangeResponse of(SetChange change) {
            return new ChangeResponse(change.entered().size(), change.exited().size(), change.size());
        }
    }

    @GetMapping("/tag-groups")
    @Operation(summary = "List tag groups")
    List<Tag.Group> groups(@PathVariable long projectId) {
        return tags.groups(access.project(projectId, Capability.READ).id());
    }

    @PostMapping("/tag-groups")
    @Operation(summary = "Create a tag group", description = "For example 兴趣 (interests), 价值 (value), 来源 (source).")
    ResponseEntity<Tag.Group> createGroup(@PathVariable long projectId, @RequestBody GroupRequest request) {
        Project project = access.project(projectId, Capability.OPERATE);
        Tag.Group group = tags.createGroup(project, request == null ? null : request.name(), access.current().name());
        return ResponseEntity.created(URI.create("/api/v1/projects/" + project.id() + "/tag-groups/" + group.id())).body(group);
    }

    @PutMapping("/tag-groups/{groupId}")
    @Operation(summary = "Rename a tag group")
    ResponseEntity<Void> renameGroup(@PathVariable long projectId, @PathVariable long groupId, @RequestBody GroupRequest request) {
        Project project = access.project(projectId, Capability.OPERATE);
        tags.renameGroup(project, groupId, request == null ? null : request.name(), access.current().name());
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/tag-groups/{groupId}")
    @Operation(summary = "Delete a tag group", description = "Its tags stay, without a group.")
    ResponseEntity<Void> deleteGroup(@PathVariable long projectId, @PathVariable long groupId) {
        Project project = access.project(projectId, Capability.OPERATE);
        tags.deleteGroup(project, groupId, access.current().name());
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/tags")
    @Operation(summary = "List tags", description = "By name, with their group and number of persons.")
    List<TagResponse> list(@PathVariable long projectId) {
        Project project = access.project(projectId, Capability.READ);
        return tags.summaries(project.id()).stream().map(summary -> TagResponse.of(summary.tag(), summary.group(), summary.size())).toList();
    }

    @GetMapping("/tags/{tagId}")
    @Operation(summary = "A tag")
    TagResponse get(@PathVariable long projectId, @PathVariable long tagId) {
        Project project = access.project(projectId, Capability.READ);
        Tags.Summary summary = tags.summaries(project.id()).stream().filter(s -> s.tag().id() == tagId).findFirst()
                .orElseThrow(() -> new NotFoundException("tag " + tagId + " not found"));
        return TagResponse.of(summary.tag(), summary.group(), summary.size());
    }

    @PostMapping("/tags")
    @Operation(summary = "Create a tag", description = "Without a rule the tag is manual; with a rule (the segment rule format) it is "
            + "kept true like a segment.")
    ResponseEntity<TagResponse> create(@PathVariable long projectId, @RequestBody TagRequest request) {
        Project project = access.project(projectId, Capability.OPERATE);
        Tag tag = tags.create(project, draft(request), access.current().name());
        return ResponseEntity.created(URI.create("/api/v1/projects/" + project.id() + "/tags/" + tag.id())).body(TagResponse.of(tag, null, null));
    }

    @PutMapping("/tags/{tagId}")
    @Operation(summary = "Change a tag")
    TagResponse update(@PathVariable long projectId, @PathVariable long tagId, @RequestBody TagRequest request) {
        Project project = access.project(projectId, Capability.OPERATE);
        return TagResponse.of(tags.update(project, tagId, draft(request), access.current().name()), null, null);
    }

    @DeleteMapping("/tags/{tagId}")
    @Operation(summary = "Delete a tag", description = "Removes it from everyone; refused with 409 while a rule refers to it.")
    ResponseEntity<Void> delete(@PathVariable long projectId, @PathVariable long tagId) {
        Project project = access.project(projectId, Capability.OPERATE);
        tags.delete(project, tagId, access.current().name());
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/tags/{tagId}/persons")
    @Operation(summary = "Put a manual tag on persons", description = "personIds (up to 10,000), or segmentId for everyone in a segment. "
            + "Rule tags answer 409.")
    ChangeResponse tag(@PathVariable long projectId, @PathVariable long tagId, @RequestBody PersonsRequest request) {
        Project project = access.project(projectId, Capability.OPERATE);
        if (request != null && request.segmentId() != null) {
            Segment segment = segments.get(project.id(), request.segmentId());
            return ChangeResponse.of(tags.tagMatching(project, tagId, new PersonCondition.InSet(segment.key()), access.current().name()));
        }
        return ChangeResponse.of(tags.tag(project, tagId, persons(request), access.current().name()));
    }

    @PostMapping("/tags/{tagId}/persons/remove")
    @Operation(summary = "Take a manual tag off persons")
    ChangeResponse untag(@PathVariable long projectId, @PathVariable long tagId, @RequestBody PersonsRequest request) {
        Project project = access.project(projectId, Capability.OPERATE);
        return ChangeResponse.of(tags.untag(project, tagId, persons(request), access.current().name()));
    }

    @GetMapping("/tags/{tagId}/members")
    @Operation(summary = "A tag's persons", description = "Paged, most recently seen first.")
    ResponseEntity<?> members(@PathVariable long projectId, @PathVariable long tagId, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        Project project = access.project(projectId, Capability.READ);
        try {
            return ResponseEntity.ok(people.items(tags.members(project, tagId, PageRequest.of(page, size))));
        }
        catch (QueryCancelledException e) {
            return SegmentsApiController.timeout(e);
        }
    }

    @GetMapping("/tags/{tagId}/sizes")
    @Operation(summary = "A tag's size over time", description = "The last size of each day from from to to (inclusive days in the "
            + "project's time zone; default the last 30 days) that has a sample; sizes are sampled as a segment's are.")
    List<SizeHistory.SizeResponse> sizes(@PathVariable long projectId, @PathVariable long tagId, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to) {
        Project project = access.project(projectId, Capability.READ);
        SizeHistory.Range range = SizeHistory.range(project, from, to);
        return SizeHistory.responses(project, tags.history(project, tagId, range.from(), range.to()));
    }

    private static List<Long> persons(PersonsRequest request) {
        if (request == null || request.personIds() == null) {
            throw new InvalidInputException("personIds", "send personIds or a segmentId");
        }
        return request.personIds();
    }

    private static Tag.Draft draft(TagRequest request) {
        if (request == null || request.name() == null) {
            throw new InvalidInputException("name", "name is required");
        }
        JsonNode rule = request.rule();
        return new Tag.Draft(request.name(), request.description(), request.groupId(),
                rule == null || rule.isNull() ? null : RuleJson.parse(rule));
    }
}
