package io.flywheel.collect.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flywheel.TestApplication;
import io.flywheel.collect.internal.Ingestion;
import io.flywheel.events.Event;
import io.flywheel.events.EventStore;
import io.flywheel.platform.Project;
import io.flywheel.platform.Projects;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The tracking API's own port, over real connections: same answers as /v1/ on the main port. */
@SpringBootTest
class TrackingListenerTests {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestApplication.embedded(registry);
        registry.add("flywheel.collect.listener.port", () -> "0");
        registry.add("flywheel.collect.listener.address", () -> "127.0.0.1");
    }

    @Autowired
    TrackingListener listener;

    @Autowired
    Projects projects;

    @Autowired
    EventStore events;

    @Autowired
    Ingestion ingestion;

    @Autowired
    JsonMapper json;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Project project;

    @BeforeEach
    void newProject() {
        project = projects.create("Listener " + UUID.randomUUID(), ZoneId.of("UTC"), "test").project();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + listener.port() + path);
    }

    private String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((project.writeKey() + ":").getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> post(String path, String contentType, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return post(path, "application/json", body.getBytes(StandardCharsets.UTF_8), "Authorization", basic());
    }

    private List<Event> stored(int expected) {
        await().atMost(Duration.ofSeconds(10)).until(() -> ingestion.lag() == 0 && events.count(project.id()) >= expected);
        return events.latest(project.id(), 1000);
    }

    private JsonNode body(HttpResponse<String> response) {
        return json.readTree(response.body());
    }

    @Test
    void callsAreAcknowledgedAndStoredAsOnTheMainPort() throws Exception {
        String messageId = UUID.randomUUID().toString();
        HttpResponse<String> track = post("/v1/track", """
                {"messageId":"%s","userId":"u-1","event":"Order Completed","properties":{"order_id":"o-1","revenue":12.5},
                 "context":{"page":{"url":"https://shop.example.com/?utm_source=newsletter&utm_medium=email"}}}
                """.formatted(messageId));
        assertThat(track.statusCode()).isEqualTo(200);
        assertThat(track.body()).isEqualTo("{\"success\":true}");
        assertThat(track.headers().firstValue("Content-Type")).hasValue("application/json");

        HttpResponse<String> batch = post("/v1/batch", """
                {"batch":[{"type":"page","anonymousId":"a-1","name":"Home"},{"type":"track","event":"No one"},
                          {"type":"identify","userId":"u-1","traits":{"city":"上海"}}]}
                """);
        assertThat(batch.statusCode()).isEqualTo(200);
        assertThat(body(batch).get("accepted").asInt()).isEqualTo(2);
        assertThat(body(batch).get("rejected").get(0).get("index").asInt()).isEqualTo(1);
        assertThat(body(batch).get("rejected").get(0).get("reason").asString()).contains("userId");

        // a duplicate of the first message is acknowledged and stored once
        assertThat(post("/v1/track", "{\"messageId\":\"" + messageId + "\",\"userId\":\"u-1\",\"event\":\"Order Completed\"}")
                .statusCode()).isEqualTo(200);

        List<Event> stored = stored(3);
        assertThat(stored).extracting(Event::type).containsExactlyInAnyOrder("track", "page", "identify");
        Event order = stored.stream().filter(event -> event.type().equals("track")).findFirst().orElseThrow();
        assertThat(order.messageId()).isEqualTo(messageId);
        assertThat(order.revenue()).isEqualTo(12.5);
        assertThat(order.channel()).isEqualTo("Email");
        await().atMost(Duration.ofSeconds(10)).until(() -> ingestion.lag() == 0);
        assertThat(events.count(project.id())).isEqualTo(3);
    }

    @Test
    void gzipBodiesAndBeaconsWithTheKeyInTheBodyAreAccepted() throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            gzip.write("{\"batch\":[{\"type\":\"track\",\"anonymousId\":\"z\",\"event\":\"Zipped\"}]}".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(post("/v1/batch", "application/json", zipped.toByteArray(), "Authorization", basic(), "Content-Encoding", "gzip")
                .statusCode()).isEqualTo(200);
        assertThat(post("/v1/t", "text/plain;charset=UTF-8",
                ("{\"writeKey\":\"" + project.writeKey() + "\",\"anonymousId\":\"z\",\"event\":\"Beacon\"}").getBytes(StandardCharsets.UTF_8))
                .statusCode()).isEqualTo(200);
        assertThat(stored(2)).extracting(Event::event).containsExactlyInAnyOrder("Zipped", "Beacon");
    }

    @Test
    void badRequestsAreProblemsThatSayWhatIsWrong() throws Exception {
        HttpResponse<String> unknownKey = post("/v1/track", "application/json",
                "{\"userId\":\"u\",\"event\":\"E\"}".getBytes(StandardCharsets.UTF_8), "Authorization", "Basic " +
                        Base64.getEncoder().encodeToString("wk_nope:".getBytes(StandardCharsets.UTF_8)));
        assertThat(unknownKey.statusCode()).isEqualTo(401);
        assertThat(unknownKey.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(body(unknownKey).get("type").asString()).isEqualTo("urn:flywheel:problem:unauthenticated");

        HttpResponse<String> malformed = post("/v1/track", "{\"userId\":");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(body(malformed).get("type").asString()).isEqualTo("urn:flywheel:problem:malformed-request");

        HttpResponse<String> noId = post("/v1/track", "{\"event\":\"E\"}");
        assertThat(noId.statusCode()).isEqualTo(400);
        assertThat(body(noId).get("detail").asString()).contains("userId");

        HttpResponse<String> xml = post("/v1/track", "application/xml", "<track/>".getBytes(StandardCharsets.UTF_8), "Authorization", basic());
        assertThat(xml.statusCode()).isEqualTo(415);

        HttpResponse<String> unknownCall = post("/v1/explode", "{}");
        assertThat(unknownCall.statusCode()).isEqualTo(404);
        HttpResponse<String> notTracking = post("/api/v1/projects", "{}");
        assertThat(notTracking.statusCode()).isEqualTo(404);
        assertThat(body(notTracking).get("detail").asString()).contains("tracking API only");

        HttpResponse<String> get = http.send(HttpRequest.newBuilder(uri("/v1/track")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST, OPTIONS");

        String big = "{\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"p\":\"" + "x".repeat(40 * 1024) + "\"}}";
        HttpResponse<String> tooLargeMessage = post("/v1/track", big);
        assertThat(tooLargeMessage.statusCode()).isEqualTo(413);
        assertThat(body(tooLargeMessage).get("detail").asString()).contains("32 KB");

        HttpResponse<String> tooLargeBatch = post("/v1/batch", "{\"batch\":[" + "x".repeat(600 * 1024) + "]}");
        assertThat(tooLargeBatch.statusCode()).isEqualTo(413);
        assertThat(body(tooLargeBatch).get("detail").asString()).contains("500 KB");

        assertThat(events.count(project.id())).isZero();
    }

    @Test
    void browsersMayCallFromAnyOrigin() throws Exception {
        HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(uri("/v1/batch"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://shop.example.com")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://shop.example.com");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).hasValue("POST, OPTIONS");

        HttpResponse<String> track = post("/v1/track", "text/plain", ("{\"writeKey\":\"" + project.writeKey()
                + "\",\"anonymousId\":\"b\",\"event\":\"From the shop\"}").getBytes(StandardCharsets.UTF_8), "Origin", "https://shop.example.com");
        assertThat(track.statusCode()).isEqualTo(200);
        assertThat(track.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://shop.example.com");
    }

    /**
     * Two requests sent at once on one connection: the first waits for the log, the second is refused
     * at once; the answers still come back in the order of the requests, on the same connection.
     */
    @Test
    void pipelinedRequestsAreAnsweredInOrderOnOneConnection() throws Exception {
        String good = "{\"userId\":\"p\",\"event\":\"First\"}";
        String bad = "{\"event\":\"Second\"}";
        StringBuilder requests = new StringBuilder();
        for (String body : List.of(good, bad, good)) {
            requests.append("POST /v1/track HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAuthorization: ")
                    .append(basic()).append("\r\nContent-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length)
                    .append("\r\n\r\n").append(body);
        }
        try (Socket socket = new Socket("127.0.0.1", listener.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(requests.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            List<Integer> statuses = new ArrayList<>();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 3; i++) {
                statuses.add(readResponse(in));
            }
            assertThat(statuses).containsExactly(200, 400, 200);
        }
        assertThat(stored(2)).extracting(Event::event).containsExactly("First", "First");
    }

    /** Reads one HTTP response with a Content-Length and returns its status. */
    private static int readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) {
                throw new IOException("connection closed after " + head);
            }
            head.append((char) next);
        }
        int status = Integer.parseInt(head.substring(9, 12));
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.readNBytes(length);
        return status;
    }
}
