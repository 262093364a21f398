package io.flywheel.people.web;

import io.flywheel.people.internal.ImportJob;
import io.flywheel.people.internal.ImportMapping;
import io.flywheel.people.internal.ImportProperties;
import io.flywheel.people.internal.PersonImports;
import io.flywheel.platform.Access;
import io.flywheel.platform.Capability;
import io.flywheel.platform.Project;
import io.flywheel.shared.ConflictException;
import io.flywheel.shared.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The CSV import wizard, for operators: upload (encoding and delimiter), preview and column
 * mapping, validation of every row with its report, then the import with its progress.
 */
@Controller
class PersonImportController {

    static final int RECENT = 20;
    /** Problems listed on the page; the downloadable report has the rest. */
    static final int ERRORS_SHOWN = 100;
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private final PersonImports imports;
    private final Access access;
    private final long maxFileBytes;

    PersonImportController(PersonImports imports, Access access, ImportProperties properties) {
        this.imports = imports;
        this.access = access;
        this.maxFileBytes = properties.maxFileSize().toBytes();
    }

    /** A job as a row of the recent imports. */
    record JobRow(long id, String fileName, String state, long totalRows, long sentRows, String createdBy, String createdAt) {
    }

    /** @param tooLarge the size of an upload that was too large ({@link ImportUploadLimitFilter} sends it back here) */
    @GetMapping("/p/{projectId}/people/imports")
    String list(@PathVariable long projectId, @RequestParam(required = false) Long tooLarge, Model model) {
        Project project = access.project(projectId, Capability.OPERATE);
        if (tooLarge != null && tooLarge > maxFileBytes) {
            tooLarge(tooLarge, model);
        }
        return listPage(project, model);
    }

    /** The message at the file field: how big the upload was and the limit, in MB (rounded up, so never shown as the limit). */
    private void tooLarge(long bytes, Model model) {
        String size = BigDecimal.valueOf(bytes).divide(BigDecimal.valueOf(1024 * 1024), 1, RoundingMode.UP).toPlainString();
        model.addAttribute("errorCode", "people.import.error.upload_too_large");
        model.addAttribute("errorArgs", new Object[] {size, maxFileBytes / (1024 * 1024)});
    }

    private String listPage(Project project, Model model) {
        model.addAttribute("project", project);
        model.addAttribute("jobs", imports.recent(project, RECENT).stream().map(job -> new JobRow(job.id(), job.fileName(), job.state().key(),
                job.totalRows(), job.sentRows(), job.createdBy(), PeopleController.time(project, job.createdAt(), MINUTE))).toList());
        return "people/imports";
    }

    @PostMapping("/p/{projectId}/people/imports")
    String upload(@PathVariable long projectId, @RequestParam(required = false) MultipartFile file,
            @RequestParam(required = false) String encoding, @RequestParam(required = false) String delimiter, Model model) {
        Project project = access.project(projectId, Capability.OPERATE);
        if (file == null || file.isEmpty()) {
            model.addAttribute("errorCode", "people.import.error.empty");
            model.addAttribute("errorArgs", new Object[0]);
            return listPage(project, model);
        }
        if (file.getSize() > maxFileBytes) {
            tooLarge(file.getSize(), model);
            return listPage(project, model);
        }
        try (InputStream content = file.getInputStream()) {
            ImportJob job = imports.upload(project, file.getOriginalFilename(), content, encoding, delimiter, access.current().name());
            return "redirect:/p/" + project.id() + "/people/imports/" + job.id();
        }
        catch (InvalidInputException e) {
            model.addAttribute("error", e.getMessage());
            model.addAttribute("errorCode", e.code());
            model.addAttribute("errorArgs", e.arguments());
            model.addAttribute("encoding", encoding);
            model.addAttribute("delimiter", delimiter);
            return listPage(project, model);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GetMapping("/p/{projectId}/people/imports/{jobId}")
    String job(@PathVariable long projectId, @PathVariable long jobId, Model model) {
        Project project = access.project(projectId, Capability.OPERATE);
        PersonImports.Preview preview = imports.preview(project, jobId);
        model.addAttribute("project", project);
        model.addAttribute("job", preview.job());
        model.addAttribute("preview", preview);
        model.addAttribute("roles", ImportMapping.Role.values());
        model.addAttribute("types", ImportMapping.Type.values());
        model.addAttribute("createdAt", PeopleController.time(project, preview.job().createdAt(), MINUTE));
        if (preview.outcome() != null) {
            model.addAttribute("errors", preview.outcome().errors().stream().limit(ERRORS_SHOWN).toList());
        }
        return "people/import";
    }

    @GetMapping("/p/{projectId}/people/imports/{jobId}/progress")
    String progress(@PathVariable long projectId, @PathVariable long jobId, Model model) {
        Project project = access.project(projectId, Capability.OPERATE);
        model.addAttribute("project", project);
        model.addAttribute("job", imports.job(project, jobId));
        return "people/import :: progress";
    }

    /** Reads the mapping form: for column i, {@code role.i}, {@code trait.i} and {@code type.i}. */
    @PostMapping("/p/{projectId}/people/imports/{jobId}/validate")
    String validate(@PathVariable long projectId, @PathVariable long jobId, @RequestParam Map<String, String> form,
            RedirectAttributes redirect) {
        Project project = access.project(projectId, Capability.OPERATE);
        PersonImports.Preview preview = imports.preview(project, jobId);
        if (preview.header() == null) {
            return "redirect:/p/" + project.id() + "/people/imports/" + jobId;
        }
        List<ImportMapping.Column> columns = new ArrayList<>();
        try {
            for (int i = 0; i < preview.header().size(); i++) {
                String role = form.getOrDefault("role." + i, "ignore");
                columns.add(new ImportMapping.Column(preview.header().get(i), ImportMapping.Role.of(role), form.get("trait." + i),
                        ImportMapping.Type.of(form.get("type." + i))));
            }
            imports.validate(project, jobId, new ImportMapping(columns));
        }
        catch (IllegalArgumentException | ConflictException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/p/" + project.id() + "/people/imports/" + jobId;
    }

    @PostMapping("/p/{projectId}/people/imports/{jobId}/start")
    String start(@PathVariable long projectId, @PathVariable long jobId, RedirectAttributes redirect) {
        Project project = access.project(projectId, Capability.OPERATE);
        try {
            imports.start(project, jobId, access.current().name());
        }
        catch (ConflictException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/p/" + project.id() + "/people/imports/" + jobId;
    }

    @GetMapping("/p/{projectId}/people/imports/{jobId}/errors.csv")
    ResponseEntity<byte[]> errors(@PathVariable long projectId, @PathVariable long jobId) {
        Project project = access.project(projectId, Capability.OPERATE);
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename("import-" + jobId + "-problems.csv").build().toString())
                .body(imports.errorsCsv(project, jobId).getBytes(StandardCharsets.UTF_8));
    }
}
