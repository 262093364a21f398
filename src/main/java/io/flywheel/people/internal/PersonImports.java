package io.flywheel.people.internal;

import io.flywheel.collect.IdentifyCommand;
import io.flywheel.collect.Tracking;
import io.flywheel.platform.AuditLog;
import io.flywheel.platform.Project;
import io.flywheel.shared.ConflictException;
import io.flywheel.shared.Csv;
import io.flywheel.shared.InvalidInputException;
import io.flywheel.shared.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Service;

/**
 * CSV imports of persons and traits: upload (encoding and delimiter checked or detected), a
 * preview, a mapping, validation of every row, then the import, which sends each row as an
 * identify call of profile data (no activity) through ingestion in chunks, each made durable before
 * the next is read. Nothing is
 * imported unless every row is valid. Jobs (never values) are kept in the operational database;
 * the file waits in a temporary file that is deleted when the job ends or expires.
 */
@Service
public class PersonImports implements SmartLifecycle {

    /** Rows shown before the mapping. */
    public static final int PREVIEW_ROWS = 10;
    /** Chunks waiting for the write-ahead log at once. */
    static final int IN_FLIGHT = 4;
    private static final Logger log = LoggerFactory.getLogger(PersonImports.class);

    private final ImportJobStore store;
    private final Tracking tracking;
    private final AuditLog audit;
    private final ImportProperties properties;
    private final Clock clock;
    private final Map<Long, Upload> uploads = new ConcurrentHashMap<>();
    private ExecutorService worker;
    private volatile boolean running;

    PersonImports(ImportJobStore store, Tracking tracking, AuditLog audit, ImportProperties properties, Clock clock) {
        this.store = store;
        this.tracking = tracking;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
    }

    /** An upload waiting for its mapping and start: the file, and the last mapping validated with its outcome. */
    private static final class Upload {

        final long projectId;
        final ImportFile file;
        final String fileHash;
        final Instant at;
        ImportMapping mapping;
        ImportRows.Outcome outcome;

        Upload(long projectId, ImportFile file, String fileHash, Instant at) {
            this.projectId = projectId;
            this.file = file;
            this.fileHash = fileHash;
            this.at = at;
        }
    }

    /**
     * What the mapping page shows.
     *
     * @param header null when the upload is gone (expired, imported, or the server restarted)
     * @param mapping the last mapping tried, else the suggested one
     * @param outcome the last validation, or null
     */
    public record Preview(ImportJob job, List<String> header, List<List<String>> rows, ImportMapping mapping, Validation outcome) {
    }

    /**
     * The result of validating every row.
     *
     * @param problems every problem found; {@code errors} holds the first ones, in file order
     */
    public record Validation(ImportJob job, long rows, long invalidRows, long problems, List<RowError> errors) {

        public boolean valid() {
            return problems == 0;
        }
    }

    // ------------------------------------------------------------ upload

    /**
     * Stores an uploaded file and checks that it can be read: size, encoding (every byte), header.
     *
     * @param encoding auto, utf-8 or gb18030 (gbk)
     * @param delimiter auto, comma, semicolon or tab
     * @throws InvalidInputException naming the field ({@code file}, {@code encoding}, {@code delimiter}) and the problem
     */
    public ImportJob upload(Project project, String fileName, InputStream content, String encoding, String delimiter, String actor) {
        CsvEncoding requested;
        char separator;
        try {
            requested = CsvEncoding.of(encoding);
        }
        catch (IllegalArgumentException e) {
            throw new InvalidInputException("encoding", e.getMessage());
        }
        try {
            separator = ImportFile.delimiter(delimiter);
        }
        catch (IllegalArgumentException e) {
            throw new InvalidInputException("delimiter", e.getMessage());
        }
        expireOld();
        String name = fileName(fileName);
        Path path = null;
        try {
            Files.createDirectories(properties.directory());
            path = Files.createTempFile(properties.directory(), "import-", ".csv");
            String hash = copy(content, path);
            ImportFile file = ImportFile.open(path, requested, separator);
            if (file.preview(1).isEmpty()) {
                throw new ImportRejectedException("no_rows", "the file has a header but no rows");
            }
            long id = store.create(project.id(), name, Files.size(path), file.encoding().key(), ImportFile.delimiterName(file.delimiter()),
                    actor, clock.instant());
            uploads.put(id, new Upload(project.id(), file, hash, clock.instant()));
            path = null;
            return job(project, id);
        }
        catch (ImportRejectedException e) {
            throw new InvalidInputException("file", e.getMessage(), "people.import.error." + e.code(), e.arguments());
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot store an uploaded file", e);
        }
        finally {
            delete(path);
        }
    }

    private static String fileName(String name) {
        if (name == null || name.isBlank()) {
            return "upload.csv";
        }
        String base = name.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1).strip();
        return base.isEmpty() ? "upload.csv" : base.length() > 255 ? base.substring(0, 255) : base;
    }

    /** Copies at most the size limit and returns the SHA-256 of the bytes. */
    private String copy(InputStream content, Path path) throws IOException {
        MessageDigest digest = sha256();
        long limit = properties.maxFileSize().toBytes();
        long total = 0;
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(path), digest)) {
            byte[] buffer = new byte[64 * 1024];
            for (int read; (read = content.read(buffer)) >= 0; ) {
                total += read;
                if (total > limit) {
                    throw new ImportRejectedException("too_large", "a file may have at most " + properties.maxFileSize().toMegabytes() + " MB",
                            properties.maxFileSize().toMegabytes());
                }
                out.write(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    // ------------------------------------------------------------ jobs

    public ImportJob job(Project project, long id) {
        return store.find(project.id(), id).orElseThrow(() -> new NotFoundException("import " + id + " not found"));
    }

    /** The project's latest imports, newest first. */
    public List<ImportJob> recent(Project project, int limit) {
        return store.recent(project.id(), limit);
    }

    public Preview preview(Project project, long id) {
        ImportJob job = job(project, id);
        Upload upload = upload(project, id);
        if (upload == null) {
            return new Preview(job, null, List.of(), null, null);
        }
        synchronized (upload) {
            try {
                List<List<String>> rows = upload.file.preview(PREVIEW_ROWS);
                ImportMapping mapping = upload.mapping != null ? upload.mapping : ImportMapping.suggested(upload.file.header());
                return new Preview(job, upload.file.header(), rows, mapping, upload.outcome == null ? null : validation(job, upload.outcome));
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private Upload upload(Project project, long id) {
        Upload upload = uploads.get(id);
        return upload != null && upload.projectId == project.id() ? upload : null;
    }

    private Upload waiting(Project project, long id) {
        Upload upload = upload(project, id);
        if (upload == null) {
            throw new ConflictException("the file of import " + id + " is no longer here; upload it again");
        }
        return upload;
    }

    /** Reads every row under the mapping; the job becomes VALID or INVALID. */
    public Validation validate(Project project, long id, ImportMapping mapping) {
        ImportJob job = job(project, id);
        if (job.state() != ImportJob.State.UPLOADED && job.state() != ImportJob.State.INVALID && job.state() != ImportJob.State.VALID) {
            throw new ConflictException("import " + id + " is " + job.state().key() + "; only an upload can be validated");
        }
        Upload upload = waiting(project, id);
        synchronized (upload) {
            ImportRows.Outcome outcome;
            try {
                outcome = ImportRows.read(upload.file, mapping, properties.maxRows(), properties.keepErrors(), null);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            upload.mapping = mapping;
            upload.outcome = outcome;
            store.validated(id, outcome.valid(), outcome.rows(), outcome.invalidRows(), clock.instant());
            return validation(job(project, id), outcome);
        }
    }

    private static Validation validation(ImportJob job, ImportRows.Outcome outcome) {
        return new Validation(job, outcome.rows(), outcome.invalidRows(), outcome.problems(), outcome.errors());
    }

    /** The problems of the last validation as CSV (line, column, problem), with a BOM for spreadsheets. */
    public String errorsCsv(Project project, long id) {
        job(project, id);
        Upload upload = upload(project, id);
        if (upload == null) {
            throw new NotFoundException("the report of import " + id + " is no longer here");
        }
        StringBuilder out = new StringBuilder("\uFEFFline,column,problem\r\n");
        synchronized (upload) {
            if (upload.outcome != null) {
                for (RowError error : upload.outcome.errors()) {
                    out.append(error.line()).append(',').append(Csv.cell(error.column())).append(',').append(Csv.cell(error.detail())).append("\r\n");
                }
            }
        }
        return out.toString();
    }

    /**
     * Starts importing a validated file in the background; the job says how far it got.
     *
     * @throws ConflictException unless the last validation found every row valid
     */
    public ImportJob start(Project project, long id, String actor) {
        ImportJob job = job(project, id);
        Upload upload = waiting(project, id);
        synchronized (upload) {
            if (job.state() != ImportJob.State.VALID || upload.outcome == null || !upload.outcome.valid()) {
                throw new ConflictException("import " + id + " can start only when every row is valid");
            }
            if (!store.start(id, clock.instant())) {
                throw new ConflictException("import " + id + " was started already");
            }
        }
        List<String> traits = upload.mapping.columns().stream()
                .filter(column -> column.role() == ImportMapping.Role.TRAIT).map(ImportMapping.Column::trait).toList();
        audit.record(actor, project.id(), "person.import.started", "import:" + id, "file: " + job.fileName() + "; rows: "
                + upload.outcome.rows() + "; traits: " + String.join(", ", traits));
        worker.submit(() -> run(project.id(), id, upload, actor));
        return job(project, id);
    }

    private void run(long projectId, long id, Upload upload, String actor) {
        String prefix = "csv-" + HexFormat.of().formatHex(sha256().digest((upload.fileHash + "|" + upload.mapping)
                .getBytes(StandardCharsets.UTF_8))).substring(0, 20) + "-";
        Sender sender = new Sender(projectId, id);
        try {
            List<IdentifyCommand> chunk = new ArrayList<>();
            long[] chunkBytes = {0};
            ImportRows.Outcome outcome = ImportRows.read(upload.file, upload.mapping, properties.maxRows(), 1, row -> {
                // profile data, not behaviour: an imported customer list must not make everyone active today
                chunk.add(IdentifyCommand.profileData(prefix + row.line(), row.userId(), row.anonymousId(), row.traits()));
                chunkBytes[0] += row.traitBytes();
                if (chunk.size() >= properties.chunkRows() || chunkBytes[0] >= properties.chunkBytes().toBytes()) {
                    sender.send(chunk);
                    chunk.clear();
                    chunkBytes[0] = 0;
                }
            });
            if (!outcome.valid()) {
                throw new IllegalStateException("the file changed after it was validated");
            }
            if (!chunk.isEmpty()) {
                sender.send(chunk);
            }
            sender.finish();
            store.durable(id, sender.durable, clock.instant());
            while (sender.last != null && !tracking.applied(sender.last)) {
                if (!running) {
                    return;
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
            store.finish(id, ImportJob.State.COMPLETED, null, clock.instant());
            audit.record(actor, projectId, "person.import.completed", "import:" + id, "rows: " + sender.durable);
            log.info("Import {} of project {}: {} rows stored", id, projectId, sender.durable);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catch (RuntimeException | IOException e) {
            log.error("Import {} of project {} failed after {} rows", id, projectId, sender.durable, e);
            store.progress(id, sender.durable, clock.instant());
            store.finish(id, ImportJob.State.FAILED, "stopped after " + sender.durable + " rows: the rows could not be stored", clock.instant());
            audit.record(actor, projectId, "person.import.failed", "import:" + id, "rows stored: " + sender.durable);
        }
        finally {
            uploads.remove(id);
            delete(upload.file.path());
        }
    }

    /**
     * Chunks on their way into the write-ahead log: a few at once, so that reading the file overlaps
     * the log's fsync, and counted as durable in order. Memory stays bounded by the chunks in flight.
     */
    private final class Sender {

        private record InFlight(CompletableFuture<Tracking.Receipt> future, int rows) {
        }

        private final long projectId;
        private final long jobId;
        private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
        long durable;
        Tracking.Receipt last;

        Sender(long projectId, long jobId) {
            this.projectId = projectId;
            this.jobId = jobId;
        }

        void send(List<IdentifyCommand> chunk) {
            while (inFlight.size() >= IN_FLIGHT) {
                awaitOldest();
            }
            inFlight.add(new InFlight(submit(List.copyOf(chunk)), chunk.size()));
        }

        void finish() {
            while (!inFlight.isEmpty()) {
                awaitOldest();
            }
        }

        private void awaitOldest() {
            InFlight oldest = inFlight.poll();
            try {
                last = oldest.future().get();
            }
            catch (ExecutionException e) {
                throw new IllegalStateException("rows could not be made durable", e.getCause());
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            durable += oldest.rows();
            store.progress(jobId, durable, clock.instant());
        }

        /** Hands one chunk to ingestion, waiting while it is busy. */
        private CompletableFuture<Tracking.Receipt> submit(List<IdentifyCommand> chunk) {
            long backoff = 50;
            while (true) {
                if (!running) {
                    throw new IllegalStateException("the server is stopping");
                }
                try {
                    return tracking.identify(projectId, chunk);
                }
                catch (Tracking.Busy busy) {
                    sleep(backoff);
                    backoff = Math.min(backoff * 2, 2_000);
                }
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Forgets an upload that will not be imported (the API does this when the file is invalid). */
    public void discard(Project project, long id) {
        Upload upload = upload(project, id);
        if (upload == null) {
            return;
        }
        synchronized (upload) {
            uploads.remove(id);
            store.expire(id, clock.instant());
            delete(upload.file.path());
        }
    }

    /** Uploads older than the time to live are discarded with their files. */
    private void expireOld() {
        Instant oldest = clock.instant().minus(properties.uploadTtl());
        for (Map.Entry<Long, Upload> entry : uploads.entrySet()) {
            Upload upload = entry.getValue();
            if (upload.at.isBefore(oldest) && !store.find(upload.projectId, entry.getKey()).map(job -> job.state().running()).orElse(false)) {
                uploads.remove(entry.getKey());
                store.expire(entry.getKey(), clock.instant());
                delete(upload.file.path());
            }
        }
    }

    private static void delete(Path path) {
        if (path == null) {
            return;
        }
        try {
            Files.deleteIfExists(path);
        }
        catch (IOException e) {
            log.warn("Cannot delete the import file {}", path, e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------ lifecycle

    /** Files and jobs left by a previous run cannot go on: their uploads are gone. */
    @Override
    public void start() {
        int abandoned = store.abandonAll(clock.instant());
        if (abandoned > 0) {
            log.warn("{} imports were left unfinished by the last run; marked expired, interrupted or (when every row was durable) completed",
                    abandoned);
        }
        if (Files.isDirectory(properties.directory())) {
            try (Stream<Path> files = Files.list(properties.directory())) {
                files.filter(path -> path.getFileName().toString().startsWith("import-")).forEach(PersonImports::delete);
            }
            catch (IOException e) {
                log.warn("Cannot clean the import directory {}", properties.directory(), e);
            }
        }
        worker = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "person-import");
            thread.setDaemon(true);
            return thread;
        });
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        worker.shutdownNow();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.abandonAll(clock.instant());
        uploads.values().forEach(upload -> delete(upload.file.path()));
        uploads.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Runs while ingestion runs: starts after it and stops before it. */
    @Override
    public int getPhase() {
        return 1;
    }
}
