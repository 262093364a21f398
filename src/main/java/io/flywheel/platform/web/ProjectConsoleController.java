package io.flywheel.platform.web;

import io.flywheel.platform.Access;
import io.flywheel.platform.Capability;
import io.flywheel.platform.Project;
import io.flywheel.platform.ProjectKeys;
import io.flywheel.platform.Projects;
import io.flywheel.shared.InvalidInputException;
import java.time.ZoneId;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Project pages of the console: settings for everyone, projects administration for admins. */
@Controller
class ProjectConsoleController {

    private final Projects projects;
    private final Access access;

    ProjectConsoleController(Projects projects, Access access) {
        this.projects = projects;
        this.access = access;
    }

    @GetMapping("/p/{projectId}/settings")
    String settings(@PathVariable long projectId, Model model) {
        Project project = access.project(projectId, Capability.READ);
        model.addAttribute("project", project);
        model.addAttribute("canManage", access.current().can(Capability.MANAGE) && !access.current().projectKey());
        model.addAttribute("timeZones", TimeZones.ALL);
        return "platform/settings";
    }

    @PostMapping("/p/{projectId}/settings")
    String update(@PathVariable long projectId, @RequestParam String name, @RequestParam String timeZone, RedirectAttributes redirect) {
        access.project(projectId, Capability.MANAGE);
        try {
            projects.update(projectId, name, TimeZones.parse(timeZone, null), access.current().name());
            redirect.addFlashAttribute("saved", true);
        }
        catch (InvalidInputException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/p/" + projectId + "/settings";
    }

    @PostMapping("/p/{projectId}/settings/keys")
    String rotate(@PathVariable long projectId, RedirectAttributes redirect) {
        access.project(projectId, Capability.MANAGE);
        ProjectKeys keys = projects.rotateKeys(projectId, access.current().name());
        redirect.addFlashAttribute("secretKey", keys.secretKey());
        return "redirect:/p/" + projectId + "/settings";
    }

    @GetMapping("/admin/projects")
    String list(Model model) {
        access.require(Capability.MANAGE);
        model.addAttribute("projects", projects.all());
        model.addAttribute("timeZones", TimeZones.ALL);
        return "platform/projects";
    }

    @PostMapping("/admin/projects")
    String create(@RequestParam String name, @RequestParam(defaultValue = "UTC") String timeZone, RedirectAttributes redirect) {
        access.require(Capability.MANAGE);
        try {
            ZoneId zone = TimeZones.parse(timeZone, ZoneId.of("UTC"));
            ProjectKeys created = projects.create(name, zone, access.current().name());
            redirect.addFlashAttribute("created", created.project());
            redirect.addFlashAttribute("secretKey", created.secretKey());
        }
        catch (InvalidInputException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/admin/projects";
    }
}
