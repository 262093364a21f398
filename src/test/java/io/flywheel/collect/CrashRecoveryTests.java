package io.flywheel.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flywheel.TestApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs Flywheel in its own JVM, sends tracking load, kills it with SIGKILL in the middle, starts it
 * again on the same data directory and checks that every acknowledged message is stored exactly once.
 */
class CrashRecoveryTests {

    private static final String PASSWORD = "crash-test-password";

    private final Path dataDir = TestApplication.freshDataDir();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Process> processes = new ArrayList<>();
    private int port;
    /** The tracking API's own port (flywheel.collect.listener.port): half of the senders use it. */
    private int listenerPort;

    @AfterEach
    void stopEverything() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void everyAcknowledgedMessageIsStoredExactlyOnceAfterSigkill() throws Exception {
        port = freePort();
        listenerPort = freePort();
        Process first = start();
        String writeKey = createProject();

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> acknowledgedByListener = ConcurrentHashMap.newKeySet();
        AtomicBoolean sending = new AtomicBoolean(true);
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            boolean viaListener = i % 2 == 1;
            Thread sender = new Thread(() -> send(writeKey, viaListener ? acknowledgedByListener : acknowledged, sending,
                    viaListener ? listenerPort : port), "sender-" + i);
            sender.start();
            senders.add(sender);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 1_500 && acknowledgedByListener.size() >= 1_500);

        first.destroyForcibly();
        first.waitFor();
        sending.set(false);
        for (Thread sender : senders) {
            sender.join();
        }
        acknowledged.addAll(acknowledgedByListener);
        int acknowledgedBeforeKill = acknowledged.size();

        Process second = start();
        second.destroy();
        second.waitFor();

        Map<String, Integer> stored = storedMessageIds();
        assertThat(acknowledgedBeforeKill).isGreaterThanOrEqualTo(3_000);
        assertThat(stored.keySet()).containsAll(acknowledged);
        assertThat(stored.values()).allMatch(count -> count == 1);
    }

    private void send(String writeKey, Set<String> acknowledged, AtomicBoolean sending, int targetPort) {
        String auth = "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
        while (sending.get()) {
            List<String> ids = new ArrayList<>();
            StringBuilder body = new StringBuilder("{\"batch\":[");
            for (int i = 0; i < 20; i++) {
                String id = UUID.randomUUID().toString();
                ids.add(id);
                body.append(i == 0 ? "" : ",").append("{\"type\":\"track\",\"messageId\":\"").append(id)
                        .append("\",\"anonymousId\":\"a-").append(i).append("\",\"event\":\"Load\"}");
            }
            body.append("]}");
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + targetPort + "/v1/batch"))
                        .header("Authorization", auth).header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    acknowledged.addAll(ids);
                }
            }
            catch (IOException e) {
                // the server was killed; what was not acknowledged does not count
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Process start() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-cp", classpath, "io.flywheel.FlywheelApplication",
                "--server.port=" + port, "--flywheel.collect.listener.port=" + listenerPort, "--flywheel.data-dir=" + dataDir, "--flywheel.demo.enabled=false",
                "--flywheel.admin-password=" + PASSWORD, "--flywheel.events.memory-limit=512MB", "--flywheel.events.threads=1")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("server-" + processes.size() + ".log").toFile()));
        Process process = builder.start();
        processes.add(process);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("Flywheel exited with " + process.exitValue() + "; see " + dataDir);
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            }
            catch (IOException e) {
                return false;
            }
        });
        return process;
    }

    private String createProject() throws Exception {
        String auth = "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/projects"))
                .header("Authorization", auth).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Crash\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(201);
        Matcher key = Pattern.compile("\"writeKey\":\"([^\"]+)\"").matcher(response.body());
        assertThat(key.find()).isTrue();
        return key.group(1);
    }

    private Map<String, Integer> storedMessageIds() throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + dataDir.resolve("events.duckdb"));
                PreparedStatement statement = connection.prepareStatement("SELECT message_id, COUNT(*) FROM events GROUP BY message_id");
                ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                counts.put(result.getString(1), result.getInt(2));
            }
        }
        return counts;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
