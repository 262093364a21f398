package io.flywheel.platform.web;

import io.flywheel.platform.Access;
import io.flywheel.platform.Capability;
import io.flywheel.platform.Projects;
import io.flywheel.platform.Role;
import io.flywheel.platform.UserAccount;
import io.flywheel.platform.Users;
import io.flywheel.shared.ConflictException;
import io.flywheel.shared.InvalidInputException;
import io.flywheel.shared.NotFoundException;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Admin pages to manage console users. */
@Controller
class UserConsoleController {

    private final Users users;
    private final Projects projects;
    private final Access access;

    UserConsoleController(Users users, Projects projects, Access access) {
        this.users = users;
        this.projects = projects;
        this.access = access;
    }

    @GetMapping("/admin/users")
    String list(Model model) {
        access.require(Capability.MANAGE);
        model.addAttribute("users", users.all());
        model.addAttribute("projects", projects.all());
        model.addAttribute("roles", Role.values());
        return "platform/users";
    }

    @PostMapping("/admin/users")
    String create(@RequestParam String username, @RequestParam(required = false) String displayName, @RequestParam String password,
            @RequestParam String role, @RequestParam(required = false) List<Long> projectIds, RedirectAttributes redirect) {
        access.require(Capability.MANAGE);
        try {
            UserAccount created = users.create(username, displayName, password, Role.parse(role), ids(projectIds), access.current().name());
            redirect.addFlashAttribute("message", created.username());
        }
        catch (InvalidInputException | ConflictException | IllegalArgumentException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/admin/users";
    }

    @GetMapping("/admin/users/{id}")
    String edit(@PathVariable long id, Model model) {
        access.require(Capability.MANAGE);
        model.addAttribute("user", users.find(id).orElseThrow(() -> new NotFoundException("user " + id + " does not exist")));
        model.addAttribute("projects", projects.all());
        model.addAttribute("roles", Role.values());
        return "platform/user";
    }

    @PostMapping("/admin/users/{id}")
    String update(@PathVariable long id, @RequestParam(required = false) String displayName, @RequestParam String role,
            @RequestParam(defaultValue = "false") boolean enabled, @RequestParam(required = false) List<Long> projectIds,
            @RequestParam(required = false) String password, RedirectAttributes redirect) {
        access.require(Capability.MANAGE);
        try {
            if (password != null && !password.isEmpty()) {
                users.changePassword(id, password, access.current().name());
            }
            users.update(id, displayName, Role.parse(role), enabled, ids(projectIds), access.current().name());
            redirect.addFlashAttribute("saved", true);
        }
        catch (InvalidInputException | ConflictException | IllegalArgumentException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/admin/users/" + id;
    }

    private static Set<Long> ids(List<Long> projectIds) {
        return projectIds == null ? Set.of() : Set.copyOf(projectIds);
    }
}
