package io.flywheel.platform.web;

import io.flywheel.platform.Access;
import io.flywheel.platform.AuditEntry;
import io.flywheel.platform.AuditLog;
import io.flywheel.platform.Capability;
import io.flywheel.platform.Projects;
import io.flywheel.shared.Csv;
import io.flywheel.shared.Page;
import io.flywheel.shared.PageRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The audit log for admins: a paginated page and a CSV download. */
@Controller
class AuditController {

    private static final int EXPORT_PAGE = 500;

    private final AuditLog audit;
    private final Projects projects;
    private final Access access;

    AuditController(AuditLog audit, Projects projects, Access access) {
        this.audit = audit;
        this.projects = projects;
        this.access = access;
    }

    @GetMapping("/admin/audit")
    String page(@RequestParam(required = false) Long projectId, @RequestParam(required = false) Integer page, Model model) {
        access.require(Capability.MANAGE);
        model.addAttribute("entries", audit.page(projectId, PageRequest.of(page, 50)));
        model.addAttribute("projects", projects.all());
        model.addAttribute("projectId", projectId);
        return "platform/audit";
    }

    @GetMapping("/admin/audit.csv")
    void csv(@RequestParam(required = false) Long projectId, HttpServletResponse response) throws IOException {
        access.require(Capability.MANAGE);
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"audit-log.csv\"");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        PrintWriter out = response.getWriter();
        out.write('\uFEFF');
        out.println("at,actor,project_id,action,target,detail");
        int number = 0;
        Page<AuditEntry> page;
        do {
            page = audit.page(projectId, new PageRequest(number++, EXPORT_PAGE));
            for (AuditEntry entry : page.items()) {
                out.println(String.join(",", Csv.cell(entry.at().toString()), Csv.cell(entry.actor()),
                        Csv.cell(entry.projectId() == null ? "" : entry.projectId().toString()), Csv.cell(entry.action()),
                        Csv.cell(entry.target()), Csv.cell(entry.detail())));
            }
        }
        while (page.hasNext());
    }
}
