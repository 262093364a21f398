package io.flywheel.collect.web;

import io.flywheel.collect.internal.Ingestion;
import io.flywheel.collect.internal.MalformedBodyException;
import io.flywheel.collect.internal.Message;
import io.flywheel.collect.internal.MessageParser;
import io.flywheel.collect.internal.StreamingMessageParser;
import io.flywheel.collect.internal.WriteAheadLog;
import io.flywheel.collect.internal.WriteKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * Segment's HTTP Tracking API under {@code /v1/}, whatever carries the requests: the servlet filter
 * on the main port ({@link TrackingEndpoint}) and the dedicated listener ({@link TrackingListener}).
 * The write key comes as the HTTP Basic user name or as {@code writeKey} in the body; a message is
 * acknowledged with 200 only after it is durable, so the answer is a future that the log writer
 * completes. It also does what the web layers would otherwise do: CORS for browsers (any origin, no
 * credentials), problem details for every error, 404 and 405 for unknown calls and methods.
 */
final class TrackingCalls {

    static final String PREFIX = "/v1/";
    static final int MAX_BATCH_BYTES = 500 * 1024;
    private static final long ACK_TIMEOUT_SECONDS = 10;
    private static final Map<String, String> CALLS = Map.ofEntries(
            Map.entry("track", "track"), Map.entry("t", "track"),
            Map.entry("page", "page"), Map.entry("p", "page"),
            Map.entry("screen", "screen"), Map.entry("s", "screen"),
            Map.entry("identify", "identify"), Map.entry("i", "identify"),
            Map.entry("group", "group"), Map.entry("g", "group"),
            Map.entry("alias", "alias"), Map.entry("a", "alias"));
    private static final List<String> BATCH_CALLS = List.of("batch", "import", "b");
    private static final List<String> ALLOWED_HEADERS = List.of("content-type", "authorization", "content-encoding");
    private static final String VARY = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers";
    private static final Logger log = LoggerFactory.getLogger(TrackingCalls.class);

    /** What a carrier gives of one request. */
    interface TrackingRequest {

        String method();

        /** The header's value, by a name in any case; null when absent. */
        String header(String name);

        /** The declared length of the body, -1 when not known. */
        long contentLength();

        InputStream body() throws IOException;
    }

    private final Ingestion ingestion;
    private final WriteKeys writeKeys;
    private final StreamingMessageParser parser;
    private final JsonMapper json;
    private final Clock clock;

    TrackingCalls(Ingestion ingestion, WriteKeys writeKeys, JsonMapper json, Clock clock) {
        this.ingestion = ingestion;
        this.writeKeys = writeKeys;
        this.parser = new StreamingMessageParser(json);
        this.json = json;
        this.clock = clock;
    }

    /**
     * The answer to a request for {@code path} (under {@link #PREFIX}). The body, if any, is read
     * before this returns; only waiting for the log is left to the future, which never fails. A write
     * key not resolved before is looked up in the database on {@code lookups} (the caller's thread
     * with {@code Runnable::run}).
     */
    CompletableFuture<TrackingAnswer> answer(TrackingRequest request, String path, Executor lookups) {
        String call = path.substring(PREFIX.length());
        boolean batch = batchCall(path);
        String type = CALLS.get(call);
        if (!batch && type == null) {
            return done(TrackingProblems.of(HttpStatus.NOT_FOUND, "not-found",
                    "no tracking call " + path + "; the calls are track, page, screen, identify, group, alias and batch", path));
        }
        if ("OPTIONS".equals(request.method())) {
            return done(preflight(request, path));
        }
        if (!"POST".equals(request.method())) {
            return done(TrackingProblems.of(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "tracking calls are POST requests", path)
                    .withHeader("Allow", "POST, OPTIONS"));
        }
        return batch ? handle(request, path, null, MAX_BATCH_BYTES, lookups)
                : handle(request, path, type, MessageParser.MAX_MESSAGE_BYTES, lookups);
    }

    /** A browser asking whether it may post from another site: yes, from any, without credentials. */
    private static TrackingAnswer preflight(TrackingRequest request, String path) {
        String method = request.header("Access-Control-Request-Method");
        if (request.header("Origin") == null || method == null) {
            return new TrackingAnswer(200, TrackingAnswer.JSON, new byte[0], Map.of("Allow", "POST, OPTIONS"));
        }
        String headers = request.header("Access-Control-Request-Headers");
        boolean allowed = method.equals("POST") || method.equals("OPTIONS");
        if (headers != null) {
            for (String header : headers.split(",")) {
                String name = header.strip().toLowerCase(Locale.ROOT);
                allowed &= name.isEmpty() || ALLOWED_HEADERS.contains(name);
            }
        }
        if (!allowed) {
            return TrackingProblems.of(HttpStatus.FORBIDDEN, "cors-refused",
                    "cross-origin tracking calls may POST with Content-Type, Authorization and Content-Encoding headers only", path);
        }
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("Access-Control-Allow-Methods", "POST, OPTIONS");
        if (headers != null && !headers.isBlank()) {
            answer.put("Access-Control-Allow-Headers", headers);
        }
        answer.put("Access-Control-Max-Age", "86400");
        return new TrackingAnswer(200, TrackingAnswer.JSON, new byte[0], answer);
    }

    private CompletableFuture<TrackingAnswer> handle(TrackingRequest request, String path, String type, int limit, Executor lookups) {
        Instant receivedAt = clock.instant();
        String contentType = request.header("Content-Type") == null ? "" : request.header("Content-Type").toLowerCase(Locale.ROOT);
        if (!contentType.startsWith("application/json") && !contentType.startsWith("text/plain")) {
            return done(TrackingProblems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                    "send the body as application/json (or text/plain from sendBeacon)", path));
        }
        if (ingestion.overloaded()) {
            // refuse before reading and parsing the body, so that the store gets the CPU to catch up
            return done(TrackingProblems.unavailable("ingestion is busy; retry shortly", path));
        }
        byte[] body;
        try {
            body = read(request, limit);
        }
        catch (TooLargeException e) {
            return done(tooLarge(type == null, path));
        }
        catch (IOException e) {
            return done(TrackingProblems.of(HttpStatus.BAD_REQUEST, "malformed-request", "the body could not be read: " + e.getMessage(), path));
        }
        StreamingMessageParser.Body parsed;
        try {
            parsed = type == null ? parser.parseBatch(body, receivedAt) : parser.parseSingle(body, type, receivedAt);
        }
        catch (MalformedBodyException e) {
            if (e.reason() != MalformedBodyException.Reason.BATCH_NOT_AN_ARRAY) {
                return done(TrackingProblems.of(HttpStatus.BAD_REQUEST, "malformed-request", e.getMessage(), path));
            }
            // a JSON object, so the caller is authenticated before being told what is wrong with it
            TrackingAnswer invalid = TrackingProblems.of(HttpStatus.BAD_REQUEST, "invalid-message", e.getMessage(), path);
            return withProject(writeKey(request, e.writeKey()), path, lookups, projectId -> done(invalid));
        }
        StreamingMessageParser.Body messages = parsed;
        return withProject(writeKey(request, parsed.writeKey()), path, lookups,
                projectId -> type == null ? acceptBatch(projectId, messages, path) : acceptOne(projectId, messages, path));
    }

    /**
     * Goes on with the project of the write key: at once when it is known here, else after a lookup
     * on {@code lookups}; an unknown key is a 401.
     */
    private CompletableFuture<TrackingAnswer> withProject(String writeKey, String path, Executor lookups,
            Function<Long, CompletableFuture<TrackingAnswer>> then) {
        Long known = writeKeys.cached(writeKey);
        if (known != null) {
            return then.apply(known);
        }
        CompletableFuture<Long> lookup;
        try {
            lookup = CompletableFuture.supplyAsync(() -> writeKeys.project(writeKey).orElse(null), lookups);
        }
        catch (RejectedExecutionException e) {
            return done(TrackingProblems.unavailable("too many write keys being looked up; retry shortly", path));
        }
        return lookup
                .thenCompose(projectId -> projectId == null ? done(unauthenticated(path)) : then.apply(projectId))
                .exceptionally(failure -> {
                    log.error("Tracking request to {} failed", path, failure);
                    return internalError(path);
                });
    }

    private static TrackingAnswer unauthenticated(String path) {
        return TrackingProblems.of(HttpStatus.UNAUTHORIZED, "unauthenticated",
                "a valid write key is required, as the HTTP Basic user name or as writeKey in the body", path);
    }

    private CompletableFuture<TrackingAnswer> acceptOne(long projectId, StreamingMessageParser.Body parsed, String path) {
        if (!parsed.rejected().isEmpty()) {
            ingestion.countRejected(1);
            return done(TrackingProblems.of(HttpStatus.BAD_REQUEST, "invalid-message", parsed.rejected().get(0).reason(), path));
        }
        return store(List.of(parsed.messages().get(0).withProject(projectId)), TrackingAnswer.success(), path);
    }

    private CompletableFuture<TrackingAnswer> acceptBatch(long projectId, StreamingMessageParser.Body parsed, String path) {
        List<Message> messages = new ArrayList<>(parsed.messages().size());
        for (Message message : parsed.messages()) {
            messages.add(message.withProject(projectId));
        }
        List<Map<String, Object>> rejected = new ArrayList<>(parsed.rejected().size());
        for (StreamingMessageParser.Rejection rejection : parsed.rejected()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("index", rejection.index());
            entry.put("reason", rejection.reason());
            rejected.add(entry);
        }
        ingestion.countRejected(rejected.size());
        if (messages.isEmpty()) {
            return done(TrackingProblems.invalidBatch(rejected, parsed.size(), path));
        }
        if (rejected.isEmpty()) {
            return store(messages, TrackingAnswer.success(), path);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("success", true);
        answer.put("accepted", messages.size());
        answer.put("rejected", rejected);
        return store(messages, TrackingAnswer.ok(answer), path);
    }

    /**
     * Hands the messages to the log; the answer completes once they are durable (on the log
     * writer's thread), or at once when they are refused.
     */
    private CompletableFuture<TrackingAnswer> store(List<Message> messages, TrackingAnswer answer, String path) {
        CompletableFuture<Long> durable;
        try {
            durable = ingestion.accept(messages);
        }
        catch (WriteAheadLog.OverloadedException e) {
            return done(TrackingProblems.unavailable("ingestion is busy; retry shortly", path));
        }
        return durable.orTimeout(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS).handle((sequence, failure) -> {
            if (failure == null) {
                return answer;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof WriteAheadLog.OverloadedException) {
                return TrackingProblems.unavailable("ingestion is busy; retry shortly", path);
            }
            log.warn("Messages could not be made durable: {}", cause.toString());
            return TrackingProblems.unavailable("the messages could not be stored; retry shortly", path);
        });
    }

    /** Whether {@code path} is a batch call (its body may be up to 500 KB). */
    static boolean batchCall(String path) {
        return path.startsWith(PREFIX) && BATCH_CALLS.contains(path.substring(PREFIX.length()));
    }

    private static CompletableFuture<TrackingAnswer> done(TrackingAnswer answer) {
        return CompletableFuture.completedFuture(answer);
    }

    static TrackingAnswer internalError(String path) {
        return TrackingProblems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "the request could not be handled; retry shortly", path);
    }

    static TrackingAnswer tooLarge(boolean batch, String path) {
        return TrackingProblems.of(HttpStatus.CONTENT_TOO_LARGE, "too-large",
                batch ? "a batch must be at most 500 KB" : "a message must be at most 32 KB", path);
    }

    /** The headers to send with an answer: its own and, for a browser's call from another site, CORS. */
    static Map<String, String> headers(String origin, TrackingAnswer answer) {
        if (origin == null) {
            return answer.headers();
        }
        Map<String, String> headers = new LinkedHashMap<>(answer.headers());
        headers.put("Access-Control-Allow-Origin", origin);
        headers.put("Vary", VARY);
        return headers;
    }

    /** The bytes of an answer's body. */
    byte[] body(TrackingAnswer answer) {
        return answer.body() instanceof byte[] bytes ? bytes : json.writeValueAsBytes(answer.body());
    }

    /** The write key: the HTTP Basic user name, else {@code writeKey} in the body. */
    private static String writeKey(TrackingRequest request, String bodyKey) {
        String header = request.header("Authorization");
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 ? decoded : decoded.substring(0, colon);
            }
            catch (IllegalArgumentException e) {
                return null;
            }
        }
        return bodyKey;
    }

    private static byte[] read(TrackingRequest request, int limit) throws IOException {
        boolean gzip = "gzip".equalsIgnoreCase(request.header("Content-Encoding"));
        long length = request.contentLength();
        if (length > limit && !gzip) {
            throw new TooLargeException();
        }
        InputStream in = request.body();
        if (!gzip && length >= 0) {
            // the common case: the length is known, so read straight into an array of that size
            byte[] body = new byte[(int) length];
            int read = in.readNBytes(body, 0, body.length);
            return read == body.length ? body : java.util.Arrays.copyOf(body, read);
        }
        if (gzip) {
            in = new GZIPInputStream(in);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 16 * 1024));
        byte[] buffer = new byte[8192];
        int read;
        while ((read = in.read(buffer)) >= 0) {
            out.write(buffer, 0, read);
            if (out.size() > limit) {
                throw new TooLargeException();
            }
        }
        return out.toByteArray();
    }

    private static final class TooLargeException extends IOException {
        TooLargeException() {
            super("body too large", null);
        }
    }
}
