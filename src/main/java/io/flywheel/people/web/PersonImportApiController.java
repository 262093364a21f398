package io.flywheel.people.web;

import io.flywheel.people.internal.ImportJob;
import io.flywheel.people.internal.ImportMapping;
import io.flywheel.people.internal.PersonImports;
import io.flywheel.people.internal.RowError;
import io.flywheel.platform.Access;
import io.flywheel.platform.Capability;
import io.flywheel.platform.Project;
import io.flywheel.shared.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.util.InvalidMimeTypeException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@RestController
@RequestMapping("/api/v1/projects/{projectId}/persons/imports")
@Tag(name = "Person imports", description = "CSV import of persons and traits: every row is validated first; nothing is imported unless "
        + "every row is valid. Each row becomes an identify call through ingestion, so identities merge as for tracked data.")
class PersonImportApiController {

    /** Problems returned in one answer; the count covers all. */
    static final int MAX_ERRORS = 1_000;
    private static final String MAPPING = "The mapping is JSON: {\"userId\":\"<column>\",\"anonymousId\":\"<column>\","
            + "\"traits\":[{\"column\":\"<column>\",\"name\":\"<trait, default the column>\",\"type\":\"text|number|boolean|date\"}]}; "
            + "columns it does not name are ignored. Without a mapping, a column named userId (user_id) is the userId, anonymousId the "
            + "anonymousId, and every other column a text trait named after it.";

    private final PersonImports imports;
    private final Access access;
    private final JsonMapper json;

    PersonImportApiController(PersonImports imports, Access access, JsonMapper json) {
        this.imports = imports;
        this.access = access;
        this.json = json;
    }

    /** A job as the API shows it. */
    record JobResponse(long id, String fileName, long fileBytes, String encoding, String delimiter, String state, long rows, long sentRows,
            int percent, String createdBy, Instant createdAt, Instant startedAt, Instant durableAt, Instant finishedAt, String failure) {

        static JobResponse of(ImportJob job) {
            return new JobResponse(job.id(), job.fileName(), job.fileBytes(), job.encoding(), job.delimiter(), job.state().key(), job.totalRows(),
                    job.sentRows(), job.percent(), job.createdBy(), job.createdAt(), job.startedAt(), job.durableAt(), job.finishedAt(),
                    job.failure());
        }
    }

    @PostMapping(consumes = {"text/csv", "text/plain"})
    @Operation(summary = "Import persons from a CSV body", description = "Validates every row, then imports them in the background: "
            + "202 with the job, or 422 with every problem (line, column, detail) and nothing imported. encoding is auto (UTF-8 with or "
            + "without BOM, else GB18030/GBK), utf-8 or gb18030 (default: the body's charset if it is one of these, else auto); "
            + "delimiter auto, comma, semicolon or tab. At most 20 MB and 200,000 rows. "
            + MAPPING)
    ResponseEntity<?> importBody(@PathVariable long projectId, HttpServletRequest request,
            @RequestParam(required = false) @Parameter(description = "the file's name, for the job list") String fileName,
            @RequestParam(required = false) String encoding, @RequestParam(required = false) String delimiter,
            @RequestParam(required = false) @Parameter(description = "the mapping as JSON") String mapping) {
        Project project = access.project(projectId, Capability.OPERATE);
        try (InputStream body = request.getInputStream()) {
            return run(project, fileName == null ? "api.csv" : fileName, body, encoding != null ? encoding : charset(request), delimiter, mapping);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Import persons from an uploaded CSV file", description = "As the CSV body, with the file in the part file "
            + "and the mapping as JSON in the part mapping.")
    ResponseEntity<?> importFile(@PathVariable long projectId, @RequestPart(required = false) MultipartFile file,
            @RequestPart(required = false) String mapping, @RequestParam(required = false) String encoding,
            @RequestParam(required = false) String delimiter) {
        Project project = access.project(projectId, Capability.OPERATE);
        if (file == null || file.isEmpty()) {
            throw new InvalidInputException("file", "send the CSV file in the part file");
        }
        try (InputStream content = file.getInputStream()) {
            return run(project, file.getOriginalFilename(), content, encoding, delimiter, mapping);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The body's charset when it is one the import reads (text/csv; charset=gbk), else detection. Read
     * from the header: the request's own encoding is forced to UTF-8 by the server.
     */
    private static String charset(HttpServletRequest request) {
        String charset;
        try {
            charset = request.getContentType() == null ? null : MediaType.parseMediaType(request.getContentType()).getParameter("charset");
        }
        catch (InvalidMimeTypeException e) {
            return null;
        }
        if (charset == null) {
            return null;
        }
        return switch (charset.strip().toLowerCase(Locale.ROOT)) {
            case "utf-8", "utf8", "gbk", "gb2312", "gb18030" -> charset.strip();
            default -> null;
        };
    }

    private ResponseEntity<?> run(Project project, String fileName, InputStream content, String encoding, String delimiter, String mappingJson) {
        JsonNode mappingNode = mappingNode(mappingJson);
        ImportJob job = imports.upload(project, fileName, content, encoding, delimiter, access.current().name());
        try {
            List<String> header = imports.preview(project, job.id()).header();
            ImportMapping mapping = mappingNode == null ? ImportMapping.suggested(header) : mapping(mappingNode, header);
            PersonImports.Validation validation = imports.validate(project, job.id(), mapping);
            if (!validation.valid()) {
                imports.discard(project, job.id());
                return ResponseEntity.unprocessableContent().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem(validation));
            }
            ImportJob started = imports.start(project, job.id(), access.current().name());
            return ResponseEntity.accepted()
                    .location(URI.create("/api/v1/projects/" + project.id() + "/persons/imports/" + started.id()))
                    .body(JobResponse.of(started));
        }
        catch (RuntimeException e) {
            imports.discard(project, job.id());
            throw e;
        }
    }

    private static ProblemDetail problem(PersonImports.Validation validation) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, validation.invalidRows() == 0 ? "the mapping cannot be used; nothing was imported"
                        : validation.invalidRows() + " of " + validation.rows() + " rows have problems; nothing was imported");
        problem.setType(URI.create("urn:flywheel:problem:invalid-import"));
        problem.setProperty("jobId", validation.job().id());
        problem.setProperty("rows", validation.rows());
        problem.setProperty("invalidRows", validation.invalidRows());
        problem.setProperty("problems", validation.problems());
        List<Map<String, Object>> errors = new ArrayList<>();
        for (RowError error : validation.errors().stream().limit(MAX_ERRORS).toList()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("line", error.line());
            if (error.column() != null) {
                item.put("column", error.column());
            }
            item.put("code", error.code());
            item.put("detail", error.detail());
            errors.add(item);
        }
        problem.setProperty("errors", errors);
        return problem;
    }

    private JsonNode mappingNode(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            JsonNode node = json.readTree(text);
            if (node == null || !node.isObject()) {
                throw new InvalidInputException("mapping", "the mapping must be a JSON object");
            }
            return node;
        }
        catch (JacksonException e) {
            throw new InvalidInputException("mapping", "the mapping is not valid JSON");
        }
    }

    /** The API's mapping, by column names, as one entry per column of the header. */
    static ImportMapping mapping(JsonNode node, List<String> header) {
        Map<String, ImportMapping.Column> byColumn = new HashMap<>();
        for (String role : List.of("userId", "anonymousId")) {
            JsonNode column = node.get(role);
            if (column == null || column.isNull()) {
                continue;
            }
            String name = column(column, header, "mapping." + role);
            if (byColumn.containsKey(name)) {
                throw new InvalidInputException("mapping." + role, "the column '" + name + "' is mapped twice");
            }
            byColumn.put(name, new ImportMapping.Column(name, ImportMapping.Role.of(role), null, null));
        }
        JsonNode traits = node.get("traits");
        if (traits != null && !traits.isNull()) {
            if (!traits.isArray()) {
                throw new InvalidInputException("mapping.traits", "traits must be an array of {column, name, type}");
            }
            for (int i = 0; i < traits.size(); i++) {
                String field = "mapping.traits[" + i + "]";
                JsonNode trait = traits.get(i);
                if (trait == null || !trait.isObject()) {
                    throw new InvalidInputException(field, "a trait is {column, name, type}");
                }
                String name = column(trait.get("column"), header, field + ".column");
                if (byColumn.containsKey(name)) {
                    throw new InvalidInputException(field + ".column", "the column '" + name + "' is mapped twice");
                }
                JsonNode traitName = trait.get("name");
                JsonNode type = trait.get("type");
                try {
                    byColumn.put(name, new ImportMapping.Column(name, ImportMapping.Role.TRAIT,
                            traitName == null || traitName.isNull() ? name : traitName.asString(), ImportMapping.Type.of(type == null ? null : type.asString())));
                }
                catch (IllegalArgumentException e) {
                    throw new InvalidInputException(field + ".type", e.getMessage());
                }
            }
        }
        List<ImportMapping.Column> columns = new ArrayList<>();
        for (String name : header) {
            columns.add(byColumn.getOrDefault(name, new ImportMapping.Column(name, ImportMapping.Role.IGNORE, null, null)));
        }
        return new ImportMapping(columns);
    }

    private static String column(JsonNode value, List<String> header, String field) {
        if (value == null || !value.isString() || value.stringValue().isBlank()) {
            throw new InvalidInputException(field, field + " must name a column of the file");
        }
        String name = value.stringValue().strip();
        if (!header.contains(name)) {
            throw new InvalidInputException(field, "the file has no column '" + name + "'; its columns are " + String.join(", ", header));
        }
        return name;
    }

    @GetMapping
    @Operation(summary = "The project's latest imports", description = "Newest first, at most 50.")
    List<JobResponse> recent(@PathVariable long projectId) {
        Project project = access.project(projectId, Capability.OPERATE);
        return imports.recent(project, 50).stream().map(JobResponse::of).toList();
    }

    @GetMapping("/{jobId}")
    @Operation(summary = "One import", description = "state is importing while rows are made durable (sentRows counts them), applying "
            + "until the last of them is visible, then completed; failed or interrupted imports keep the rows already stored.")
    JobResponse job(@PathVariable long projectId, @PathVariable long jobId) {
        Project project = access.project(projectId, Capability.OPERATE);
        return JobResponse.of(imports.job(project, jobId));
    }
}
