package io.flywheel.platform.web;

import io.flywheel.platform.Access;
import io.flywheel.platform.Project;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The console's entry points: sign-in and the start page. */
@Controller
class ConsoleController {

    private final Access access;

    ConsoleController(Access access) {
        this.access = access;
    }

    @GetMapping("/login")
    String login() {
        return "login";
    }

    @GetMapping("/")
    String home() {
        List<Project> projects = access.visibleProjects();
        if (projects.isEmpty()) {
            return "platform/no-projects";
        }
        return "redirect:/p/" + projects.get(0).id() + "/overview";
    }
}
