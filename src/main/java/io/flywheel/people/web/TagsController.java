package io.flywheel.people.web;

import io.flywheel.events.PersonCondition;
import io.flywheel.people.Segment;
import io.flywheel.people.Segments;
import io.flywheel.people.Tag;
import io.flywheel.people.Tags;
import io.flywheel.people.internal.RuleJson;
import io.flywheel.platform.Access;
import io.flywheel.platform.Capability;
import io.flywheel.platform.Project;
import io.flywheel.shared.ConflictException;
import io.flywheel.shared.InvalidInputException;
import java.util.List;
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
 * The tag pages: tags by group with their sizes, tag groups, manual tags created in place, and the
 * editor of a tag (a rule tag uses the segment rule builder). Tagging a segment's members happens on
 * the segment's page.
 */
@Controller
class TagsController {

    private final Tags tags;
    private final Segments segments;
    private final RuleEditor ruleEditor;
    private final Access access;
    private final JsonMapper json;

    TagsController(Tags tags, Segments segments, RuleEditor ruleEditor, Access access, JsonMapper json) {
        this.tags = tags;
        this.segments = segments;
        this.ruleEditor = ruleEditor;
        this.access = access;
        this.json = json;
    }

    @GetMapping("/p/{projectId}/tags")
    String list(@PathVariable long projectId, Model model) {
        Project project = access.project(projectId, Capability.READ);
        model.addAttribute("project", project);
        model.addAttribute("tags", tags.summaries(project.id()));
        model.addAttribute("groups", tags.groups(project.id()));
        model.addAttribute("canOperate", access.current().can(Capability.OPERATE));
        return "people/tags";
    }

    @PostMapping("/p/{projectId}/tag-groups")
    String createGroup(@PathVariable long projectId, @RequestParam(defaultValue = "") String name, RedirectAttributes redirect) {
        Project project = access.project(projectId, Capability.OPERATE);
        try {
            tags.createGroup(project, name, access.current().name());
            redirect.addFlashAttribute("saved", true);
        }
        catch (InvalidInputException | ConflictException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/p/" + project.id() + "/tags";
    }

    @PostMapping("/p/{projectId}/tag-groups/{groupId}/delete")
    String deleteGroup(@PathVariable long projectId, @PathVariable long groupId) {
        Project project = access.project(projectId, Capability.OPERATE);
        tags.deleteGroup(project, groupId, access.current().name());
        return "redirect:/p/" + project.id() + "/tags";
    }

    @GetMapping("/p/{projectId}/tags/new")
    String create(@PathVariable long projectId, Model model) {
        Project project = access.project(projectId, Capability.OPERATE);
        return editor(project, null, "", "", null, false, "{\"all\": []}", model);
    }

    @GetMapping("/p/{projectId}/tags/{tagId}/edit")
    String edit(@PathVariable long projectId, @PathVariable long tagId, Model model) {
        Project project = access.project(projectId, Capability.OPERATE);
        Tag tag = tags.get(project.id(), tagId);
        String rule = tag.manual() ? "{\"all\": []}" : json.writerWithDefaultPrettyPrinter().writeValueAsString(RuleJson.write(tag.rule()));
        return editor(project, tag, tag.name(), tag.description(), tag.groupId(), !tag.manual(), rule, model);
    }

    /** Saves a tag: manual without {@code ruled}, kept by the rule with it. */
    @PostMapping("/p/{projectId}/tags")
    String save(@PathVariable long projectId, @RequestParam(required = false) Long tagId, @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String description, @RequestParam(required = false) Long groupId,
            @RequestParam(defaultValue = "false") boolean ruled, @RequestParam(defaultValue = "") String rule, Model model) {
        Project project = access.project(projectId, Capability.OPERATE);
        Tag existing = tagId == null ? null : tags.get(project.id(), tagId);
        try {
            Tag.Draft draft = new Tag.Draft(name, description, groupId, ruled ? parse(rule) : null);
            if (existing == null) {
                tags.create(project, draft, access.current().name());
            }
            else {
                tags.update(project, existing.id(), draft, access.current().name());
            }
            return "redirect:/p/" + project.id() + "/tags";
        }
        catch (InvalidInputException e) {
            model.addAttribute("error", e.getMessage());
            model.addAttribute("errorPath", e.field());
        }
        catch (ConflictException e) {
            model.addAttribute("error", e.getMessage());
        }
        return editor(project, existing, name, description, groupId, ruled, rule, model);
    }

    @PostMapping("/p/{projectId}/tags/{tagId}/delete")
    String delete(@PathVariable long projectId, @PathVariable long tagId, RedirectAttributes redirect) {
        Project project = access.project(projectId, Capability.OPERATE);
        try {
            tags.delete(project, tagId, access.current().name());
        }
        catch (ConflictException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/p/" + project.id() + "/tags";
    }

    /** Puts a manual tag on every member of a segment (from the segment's page). */
    @PostMapping("/p/{projectId}/segments/{segmentId}/tag")
    String tagSegment(@PathVariable long projectId, @PathVariable long segmentId, @RequestParam(required = false) Long tagId,
            RedirectAttributes redirect) {
        Project project = access.project(projectId, Capability.OPERATE);
        Segment segment = segments.get(project.id(), segmentId);
        try {
            if (tagId == null) {
                throw new InvalidInputException("tagId", "choose a tag");
            }
            int added = tags.tagMatching(project, tagId, new PersonCondition.InSet(segment.key()), access.current().name()).entered().size();
            redirect.addFlashAttribute("tagged", added);
        }
        catch (InvalidInputException | ConflictException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/p/" + project.id() + "/segments/" + segmentId;
    }

    /** Puts a manual tag on the persons selected in the person list, then shows who has the tag. */
    @PostMapping("/p/{projectId}/people/tag")
    String tagSelected(@PathVariable long projectId, @RequestParam(required = false) Long tagId,
            @RequestParam(required = false) List<Long> personIds, RedirectAttributes redirect) {
        Project project = access.project(projectId, Capability.OPERATE);
        try {
            if (tagId == null) {
                throw new InvalidInputException("tagId", "choose a tag");
            }
            int added = tags.tag(project, tagId, personIds == null ? List.of() : personIds, access.current().name()).entered().size();
            redirect.addFlashAttribute("tagged", added);
            return "redirect:/p/" + project.id() + "/people?tag=" + tagId;
        }
        catch (InvalidInputException | ConflictException e) {
            redirect.addFlashAttribute("error", e.getMessage());
            return "redirect:/p/" + project.id() + "/people";
        }
    }

    private String editor(Project project, Tag tag, String name, String description, Long groupId, boolean ruled, String rule, Model model) {
        model.addAttribute("tag", tag);
        model.addAttribute("groupId", groupId);
        model.addAttribute("groups", tags.groups(project.id()));
        model.addAttribute("ruled", ruled);
        ruleEditor.model(project, null, name, description, rule, model);
        return "people/tag-editor";
    }

    private PersonCondition parse(String rule) {
        try {
            JsonNode node = json.readTree(rule);
            return RuleJson.parse(node);
        }
        catch (JacksonException e) {
            throw new InvalidInputException("rule", "the rule is not valid JSON", "segments.error.json");
        }
    }
}
