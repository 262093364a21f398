package io.flywheel.people.web;

import io.flywheel.people.People;
import io.flywheel.people.PersonView;
import io.flywheel.people.Segment;
import io.flywheel.people.Segments;
import io.flywheel.people.Tag;
import io.flywheel.people.Tags;
import io.flywheel.platform.Access;
import io.flywheel.platform.Capability;
import io.flywheel.platform.Project;
import io.flywheel.shared.ConflictException;
import io.flywheel.shared.InvalidInputException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The Tags and Segments sections of a person's profile, loaded into the profile with htmx: the
 * person's tags (manual ones can be taken off and put on here) and the segments they are in now.
 */
@Controller
class PersonSetsController {

    private final People people;
    private final Tags tags;
    private final Segments segments;
    private final Access access;

    PersonSetsController(People people, Tags tags, Segments segments, Access access) {
        this.people = people;
        this.tags = tags;
        this.segments = segments;
        this.access = access;
    }

    record HeldTag(long id, String name, String group, boolean manual, String since) {
    }

    record InSegment(long id, String name, String since) {
    }

    @GetMapping("/p/{projectId}/people/{personId}/sets")
    String sets(@PathVariable long projectId, @PathVariable long personId, Model model) {
        Project project = access.project(projectId, Capability.READ);
        return fragment(project, personId, model);
    }

    @PostMapping("/p/{projectId}/people/{personId}/tags")
    String tag(@PathVariable long projectId, @PathVariable long personId, @RequestParam(required = false) Long tagId, Model model) {
        Project project = access.project(projectId, Capability.OPERATE);
        try {
            if (tagId == null) {
                throw new InvalidInputException("tagId", "choose a tag");
            }
            tags.tag(project, tagId, List.of(root(project, personId)), access.current().name());
        }
        catch (InvalidInputException | ConflictException e) {
            model.addAttribute("error", e.getMessage());
        }
        return fragment(project, personId, model);
    }

    @PostMapping("/p/{projectId}/people/{personId}/tags/{tagId}/remove")
    String untag(@PathVariable long projectId, @PathVariable long personId, @PathVariable long tagId, Model model) {
        Project project = access.project(projectId, Capability.OPERATE);
        try {
            tags.untag(project, tagId, List.of(root(project, personId)), access.current().name());
        }
        catch (ConflictException e) {
            model.addAttribute("error", e.getMessage());
        }
        return fragment(project, personId, model);
    }

    private long root(Project project, long personId) {
        PersonView person = people.person(project, personId);
        return person.personId();
    }

    private String fragment(Project project, long personId, Model model) {
        long root = root(project, personId);
        List<HeldTag> held = new ArrayList<>();
        for (Tags.Held tag : tags.of(project.id(), root)) {
            held.add(new HeldTag(tag.tag().id(), tag.tag().name(), tag.group(), tag.tag().manual(), SegmentsController.time(project, tag.since())));
        }
        Set<Long> heldIds = held.stream().map(HeldTag::id).collect(Collectors.toSet());
        List<Tag> addable = tags.list(project.id()).stream().filter(tag -> tag.manual() && !heldIds.contains(tag.id())).toList();
        List<InSegment> in = new ArrayList<>();
        for (Map.Entry<Segment, Instant> entry : segments.of(project.id(), root).entrySet()) {
            in.add(new InSegment(entry.getKey().id(), entry.getKey().name(), SegmentsController.time(project, entry.getValue())));
        }
        model.addAttribute("project", project);
        model.addAttribute("personId", root);
        model.addAttribute("heldTags", held);
        model.addAttribute("addable", addable);
        model.addAttribute("inSegments", in);
        model.addAttribute("canOperate", access.current().can(Capability.OPERATE));
        return "people/person-sets :: sets";
    }
}
