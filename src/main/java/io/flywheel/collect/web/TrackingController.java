package io.flywheel.collect.web;

import io.flywheel.collect.internal.Ingestion;
import io.flywheel.collect.internal.InvalidMessageException;
import io.flywheel.collect.internal.Message;
import io.flywheel.collect.internal.MessageParser;
import io.flywheel.collect.internal.WriteAheadLog;
import io.flywheel.collect.internal.WriteKeys;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Segment's HTTP Tracking API. The write key comes as the HTTP Basic user name or as
 * {@code writeKey} in the body. A message is acknowledged with 200 only after it is durable.
 */
@RestController
@Hidden
class TrackingController {

    static final int MAX_BATCH_BYTES = 500 * 1024;
    private static final long ACK_TIMEOUT_SECONDS = 10;
    private static final Map<String, String> CALLS = Map.ofEntries(
            Map.entry("track", "track"), Map.entry("t", "track"),
            Map.entry("page", "page"), Map.entry("p", "page"),
            Map.entry("screen", "screen"), Map.entry("s", "screen"),
            Map.entry("identify", "identify"), Map.entry("i", "identify"),
            Map.entry("group", "group"), Map.entry("g", "group"),
            Map.entry("alias", "alias"), Map.entry("a", "alias"));
    private static final Logger log = LoggerFactory.getLogger(TrackingController.class);

    private final Ingestion ingestion;
    private final WriteKeys writeKeys;
    private final MessageParser parser;
    private final JsonMapper json;
    private final Clock clock;

    TrackingController(Ingestion ingestion, WriteKeys writeKeys, JsonMapper json, Clock clock) {
        this.ingestion = ingestion;
        this.writeKeys = writeKeys;
        this.parser = new MessageParser(json);
        this.json = json;
        this.clock = clock;
    }

    @PostMapping({"/v1/batch", "/v1/import", "/v1/b"})
    ResponseEntity<?> batch(HttpServletRequest request) {
        return handle(request, null, MAX_BATCH_BYTES);
    }

    @PostMapping("/v1/{call:track|t|page|p|screen|s|identify|i|group|g|alias|a}")
    ResponseEntity<?> single(@PathVariable String call, HttpServletRequest request) {
        return handle(request, CALLS.get(call), MessageParser.MAX_MESSAGE_BYTES);
    }

    private ResponseEntity<?> handle(HttpServletRequest request, String type, int limit) {
        Instant receivedAt = clock.instant();
        String contentType = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
        if (!contentType.startsWith("application/json") && !contentType.startsWith("text/plain")) {
            return TrackingProblems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                    "send the body as application/json (or text/plain from sendBeacon)");
        }
        if (ingestion.overloaded()) {
            // refuse before reading and parsing the body, so that the store gets the CPU to catch up
            return TrackingProblems.unavailable("ingestion is busy; retry shortly");
        }
        JsonNode body;
        try {
            body = json.readTree(read(request, limit));
        }
        catch (TooLargeException e) {
            return TrackingProblems.of(HttpStatus.CONTENT_TOO_LARGE, "too-large",
                    type == null ? "a batch must be at most 500 KB" : "a message must be at most 32 KB");
        }
        catch (IOException | JacksonException e) {
            return TrackingProblems.of(HttpStatus.BAD_REQUEST, "malformed-request", "the body is not valid JSON");
        }
        if (body == null || !body.isObject()) {
            return TrackingProblems.of(HttpStatus.BAD_REQUEST, "malformed-request", "the body must be a JSON object");
        }
        Long projectId = writeKeys.project(writeKey(request, body)).orElse(null);
        if (projectId == null) {
            return TrackingProblems.of(HttpStatus.UNAUTHORIZED, "unauthenticated",
                    "a valid write key is required, as the HTTP Basic user name or as writeKey in the body");
        }
        return type == null ? acceptBatch(projectId, body, receivedAt) : acceptOne(projectId, type, body, receivedAt);
    }

    private ResponseEntity<?> acceptOne(long projectId, String type, JsonNode body, Instant receivedAt) {
        Message message;
        try {
            message = parser.parse(projectId, type, body, receivedAt);
        }
        catch (InvalidMessageException e) {
            ingestion.countRejected(1);
            return TrackingProblems.of(HttpStatus.BAD_REQUEST, "invalid-message", e.getMessage());
        }
        return store(List.of(message), Map.of("success", true));
    }

    private ResponseEntity<?> acceptBatch(long projectId, JsonNode body, Instant receivedAt) {
        JsonNode items = body.get("batch");
        if (items == null || !items.isArray()) {
            return TrackingProblems.of(HttpStatus.BAD_REQUEST, "invalid-message", "batch must be an array of messages");
        }
        List<Message> messages = new ArrayList<>(items.size());
        List<Map<String, Object>> rejected = new ArrayList<>();
        for (int index = 0; index < items.size(); index++) {
            JsonNode item = withBatchContext(items.get(index), body);
            try {
                messages.add(parser.parse(projectId, null, item, receivedAt));
            }
            catch (InvalidMessageException e) {
                rejected.add(Map.of("index", index, "reason", e.getMessage()));
            }
        }
        ingestion.countRejected(rejected.size());
        if (messages.isEmpty()) {
            return TrackingProblems.invalidBatch(rejected, items.size());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("success", true);
        if (!rejected.isEmpty()) {
            answer.put("accepted", messages.size());
            answer.put("rejected", rejected);
        }
        return store(messages, answer);
    }

    /** Batch-level sentAt and context apply to items that do not carry their own, as in Segment. */
    private static JsonNode withBatchContext(JsonNode item, JsonNode body) {
        if (item == null || !item.isObject()) {
            return item;
        }
        tools.jackson.databind.node.ObjectNode copy = null;
        for (String field : List.of("sentAt", "context")) {
            if (body.has(field) && !item.has(field)) {
                copy = copy == null ? ((tools.jackson.databind.node.ObjectNode) item).deepCopy() : copy;
                copy.set(field, body.get(field));
            }
        }
        return copy == null ? item : copy;
    }

    private ResponseEntity<?> store(List<Message> messages, Map<String, Object> answer) {
        try {
            ingestion.accept(messages).get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(answer);
        }
        catch (WriteAheadLog.OverloadedException e) {
            return TrackingProblems.unavailable("ingestion is busy; retry shortly");
        }
        catch (ExecutionException | TimeoutException e) {
            log.warn("Messages could not be made durable: {}", e.getMessage());
            return TrackingProblems.unavailable("the messages could not be stored; retry shortly");
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return TrackingProblems.unavailable("the server is shutting down; retry shortly");
        }
    }

    private static String writeKey(HttpServletRequest request, JsonNode body) {
        String header = request.getHeader("Authorization");
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
        JsonNode key = body.get("writeKey");
        return key != null && key.isString() ? key.stringValue() : null;
    }

    private static byte[] read(HttpServletRequest request, int limit) throws IOException {
        if (request.getContentLengthLong() > limit && !"gzip".equalsIgnoreCase(request.getHeader("Content-Encoding"))) {
            throw new TooLargeException();
        }
        InputStream in = request.getInputStream();
        if ("gzip".equalsIgnoreCase(request.getHeader("Content-Encoding"))) {
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
