package io.flywheel.people;

import io.flywheel.events.PersonCondition;
import io.flywheel.events.PersonSets.SetRule;
import io.flywheel.events.internal.PersonSetsBenchmark;
import io.flywheel.people.internal.RuleJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * End-to-end freshness of segment membership (issue #5): against a running server on a data set
 * made by generate-demo, with 100 live segments (those of {@link PersonSetsBenchmark}, the first
 * being the behavioural segment "Order Completed ≥ 3 in 30 days AND city = 上海"), while
 * tracked events arrive at a steady rate (batches of 100 through {@code /v1/batch}, from a pool of
 * active persons that turns over as sessions end), probes measure the time from the acknowledgement
 * of the events that put an existing person into the target segment to the moment the REST API
 * lists the person as a member ({@code GET /persons/{id}/segments}), and again for leaving it.
 *
 * <pre>
 *   ids  EVENTS_DUCKDB OUT_FILE [COUNT [clear]]  identified persons to send as (before the server starts)
 *   run  BASE_URL ADMIN_PASSWORD PROJECT IDS_FILE [RATE] [SECONDS] [ACTIVE]
 * </pre>
 *
 * bench/freshness.sh runs both around a server.
 */
public final class FreshnessBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String[] EVENTS = {"Product Viewed", "Product Viewed", "Product Viewed", "Product Viewed", "Product Viewed",
        "Products Searched", "Products Searched", "Application Opened", "Application Opened", "Product Added", "Product Added",
        "Checkout Started", "Product Shared"};
    private static final int BATCH = 100;
    /** Events a person of the active pool sends, on average, before another takes the place. */
    private static final int SESSION_EVENTS = 30;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    /** Where tracking calls go: the main port, or the tracking API's own (env TRACK_URL). */
    private final String tracking;
    private final String admin;
    /**
     * How the probes authenticate their polling: the project's secret key as a bearer token, as a machine
     * would (a console user's password costs an Argon2 hash per request, a third of a core at five a second).
     */
    private String probeAuth;
    private final long project;
    private String writeKey;

    private FreshnessBenchmark(String base, String password, long project) {
        this.base = base;
        this.tracking = System.getenv().getOrDefault("TRACK_URL", base);
        this.admin = "Basic " + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
        this.probeAuth = admin;
        this.project = project;
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[0].equals("ids")) {
            ids(Path.of(args[1]), Path.of(args[2]), args.length > 3 ? Integer.parseInt(args[3]) : 200_000, args.length > 4 && args[4].equals("clear"));
            return;
        }
        if (args.length < 5 || !args[0].equals("run")) {
            System.err.println("usage: ids EVENTS_DUCKDB OUT_FILE [COUNT] | run BASE_URL ADMIN_PASSWORD PROJECT IDS_FILE [RATE] [SECONDS] [ACTIVE]");
            System.exit(2);
        }
        FreshnessBenchmark benchmark = new FreshnessBenchmark(args[1], args[2], Long.parseLong(args[3]));
        List<String[]> ids = Files.readAllLines(Path.of(args[4])).stream().map(line -> line.split(",", 2)).toList();
        int rate = args.length > 5 ? Integer.parseInt(args[5]) : 20_000;
        int seconds = args.length > 6 ? Integer.parseInt(args[6]) : 180;
        int active = args.length > 7 ? Integer.parseInt(args[7]) : 10_000;
        benchmark.run(ids, rate, seconds, active);
    }

    /**
     * Writes "personId,userId" of a sample of the project's identified persons; with {@code clear}
     * first drops the members of sets other benchmarks left in the data set, whose keys the
     * segments defined here would take over.
     */
    private static void ids(Path database, Path out, int count, boolean clear) throws Exception {
        List<String> lines = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + database, new Properties());
                Statement statement = connection.createStatement()) {
            boolean sets;
            try (ResultSet row = statement.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_name = 'person_sets'")) {
                sets = row.next() && row.getLong(1) > 0;
            }
            if (clear && sets) {
                System.out.printf("%,d members of earlier sets dropped%n", statement.executeUpdate("DELETE FROM person_sets"));
            }
            try (ResultSet row = statement.executeQuery("SELECT person_id, distinct_id FROM identities WHERE project_id = 1 AND is_user_id "
                        + "USING SAMPLE reservoir(" + count + " ROWS) REPEATABLE (7)")) {
                while (row.next()) {
                    lines.add(row.getLong(1) + "," + row.getString(2));
                }
            }
        }
        Files.write(out, lines);
        System.out.printf("%,d identified persons written to %s%n", lines.size(), out);
    }

    private void run(List<String[]> ids, int rate, int seconds, int active) throws Exception {
        if (get("/api/v1/projects").isEmpty()) {
            // a fresh operational database over the data set's events: the project takes the events' id again
            JsonNode made = send("POST", "/api/v1/projects", "{\"name\":\"Demo Shop\",\"timeZone\":\"Asia/Shanghai\"}");
            long created = made.get("id").asLong();
            probeAuth = "Bearer " + made.get("secretKey").asString();
            if (created != project) {
                throw new IllegalStateException("the new project got id " + created + ", the events belong to " + project);
            }
        }
        writeKey = get("/api/v1/projects/" + project).get("writeKey").asString();
        long target = segments();
        awaitFirstEvaluation();
        Load load = new Load(ids, rate, active);
        Thread sender = new Thread(load, "load");
        sender.setDaemon(true);
        sender.start();
        Thread.sleep(15_000);
        long measuredFrom = System.nanoTime();
        long ackedBefore = load.acked.get();
        List<Long> entered = new ArrayList<>();
        List<Long> left = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(11);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        int skipped = 0;
        while (System.nanoTime() < end) {
            String[] person = ids.get(random.nextInt(ids.size()));
            String segmentsOf = "/api/v1/projects/" + project + "/persons/" + person[0] + "/segments";
            if (member(segmentsOf, target)) {
                skipped++;
                continue;
            }
            StringBuilder batch = new StringBuilder("{\"batch\":[");
            batch.append(identify(person[1], "上海"));
            for (int order = 0; order < 3; order++) {
                batch.append(",{\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"").append(person[1])
                        .append("\",\"messageId\":\"probe-").append(System.nanoTime()).append('-').append(order)
                        .append("\",\"properties\":{\"order_id\":\"probe-").append(System.nanoTime()).append('-').append(order)
                        .append("\",\"revenue\":199,\"currency\":\"CNY\"}}");
            }
            batch.append("]}");
            long acked = track(batch.toString());
            entered.add(await(segmentsOf, target, true, acked));
            Thread.sleep(200);
            acked = track("{\"batch\":[" + identify(person[1], "北京") + "]}");
            left.add(await(segmentsOf, target, false, acked));
            System.out.printf(Locale.ROOT, "probe %d: entered after %,d ms, left after %,d ms%n", entered.size(), entered.get(entered.size() - 1),
                    left.get(left.size() - 1));
            Thread.sleep(500 + random.nextInt(1500));
        }
        double elapsed = (System.nanoTime() - measuredFrom) / 1e9;
        long ackedEvents = load.acked.get() - ackedBefore;
        load.running = false;
        sender.join();
        System.out.printf(Locale.ROOT, "load: %,d events/s asked, %,.0f events/s acknowledged over %.0f s; %,d batches failed, %,d not sent "
                + "(too many in flight); batch acknowledgement p50 %,d ms, p99 %,d ms%n", rate, ackedEvents / elapsed, elapsed, load.failed.get(),
                load.missed.get(), percentile(new ArrayList<>(load.latencies), 50), percentile(new ArrayList<>(load.latencies), 99));
        System.out.printf(Locale.ROOT, "acknowledged -> member:     %d probes, median %,d ms, p90 %,d ms, max %,d ms%n", entered.size(),
                percentile(entered, 50), percentile(entered, 90), percentile(entered, 100));
        System.out.printf(Locale.ROOT, "acknowledged -> not member: %d probes, median %,d ms, p90 %,d ms, max %,d ms (%d persons skipped: "
                + "members already)%n", left.size(), percentile(left, 50), percentile(left, 90), percentile(left, 100), skipped);
    }

    private static String identify(String userId, String city) {
        return "{\"type\":\"identify\",\"userId\":\"" + userId + "\",\"messageId\":\"probe-id-" + System.nanoTime()
                + "\",\"traits\":{\"city\":\"" + city + "\"}}";
    }

    /** Creates the 100 segments once (named "bench NN"); answers the id of the target segment. */
    private long segments() throws Exception {
        Map<String, Long> existing = new HashMap<>();
        for (JsonNode segment : get("/api/v1/projects/" + project + "/segments")) {
            existing.put(segment.get("name").asString(), segment.get("id").asLong());
        }
        List<SetRule> rules = PersonSetsBenchmark.rules();
        Map<String, Long> ids = new HashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            String name = String.format(Locale.ROOT, "bench %02d", i);
            Long id = existing.get(name);
            if (id == null) {
                PersonCondition rule = i == 0 ? PersonSetsBenchmark.TARGET : rebind(rules.get(i).condition(), ids);
                ObjectNode body = JSON.createObjectNode();
                body.put("name", name);
                body.set("rule", RuleJson.write(rule));
                id = send("POST", "/api/v1/projects/" + project + "/segments", body.toString()).get("id").asLong();
            }
            ids.put(rules.get(i).key(), id);
        }
        System.out.printf("%d segments defined; the target is segment %d%n", rules.size(), ids.get(rules.get(0).key()));
        return ids.get(rules.get(0).key());
    }

    /** The rule with its references to "segment:i" of the benchmark's list turned into the ids the server gave. */
    private static PersonCondition rebind(PersonCondition condition, Map<String, Long> ids) {
        if (condition instanceof PersonCondition.All all) {
            return new PersonCondition.All(all.conditions().stream().map(member -> rebind(member, ids)).toList());
        }
        if (condition instanceof PersonCondition.Any any) {
            return new PersonCondition.Any(any.conditions().stream().map(member -> rebind(member, ids)).toList());
        }
        if (condition instanceof PersonCondition.Not not) {
            return new PersonCondition.Not(rebind(not.condition(), ids));
        }
        if (condition instanceof PersonCondition.InSet set) {
            return new PersonCondition.InSet("segment:" + ids.get(set.key()));
        }
        return condition;
    }

    /** Waits until every segment was evaluated for everyone since the server started. */
    private void awaitFirstEvaluation() throws Exception {
        long started = System.nanoTime();
        while (true) {
            int pending = 0;
            for (JsonNode segment : get("/api/v1/projects/" + project + "/segments")) {
                if (!segment.has("refreshedAt") || segment.get("refreshedAt").isNull()) {
                    pending++;
                }
            }
            if (pending == 0) {
                System.out.printf(Locale.ROOT, "every segment evaluated for everyone %.0f s after the benchmark asked%n",
                        (System.nanoTime() - started) / 1e9);
                return;
            }
            Thread.sleep(5_000);
        }
    }

    private boolean member(String segmentsOf, long target) throws Exception {
        for (JsonNode segment : send("GET", segmentsOf, null, probeAuth)) {
            if (segment.get("id").asLong() == target) {
                return true;
            }
        }
        return false;
    }

    /** Polls until the person is (or is not) a member; answers the milliseconds since {@code acked}. */
    private long await(String segmentsOf, long target, boolean wanted, long acked) throws Exception {
        long deadline = acked + 120_000_000_000L;
        while (member(segmentsOf, target) != wanted) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("membership did not follow within 2 minutes: " + segmentsOf);
            }
            Thread.sleep(200);
        }
        return (System.nanoTime() - acked) / 1_000_000;
    }

    /** Sends a batch and answers the time it was acknowledged. */
    private long track(String body) throws Exception {
        HttpResponse<String> response = client.send(trackRequest(body), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("tracking answered " + response.statusCode() + ": " + response.body());
        }
        return System.nanoTime();
    }

    private HttpRequest trackRequest(String body) {
        return HttpRequest.newBuilder(URI.create(tracking + "/v1/batch")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    private JsonNode send(String method, String path, String body) throws IOException, InterruptedException {
        return send(method, path, body, admin);
    }

    private JsonNode send(String method, String path, String body, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(2))
                .header("Authorization", authorization).header("Accept", "application/json");
        if (body == null) {
            request.GET();
        }
        else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static long percentile(List<Long> values, int percentile) {
        if (values.isEmpty()) {
            return 0;
        }
        Collections.sort(values);
        int index = (int) Math.ceil(percentile / 100.0 * values.size()) - 1;
        return values.get(Math.max(0, Math.min(values.size() - 1, index)));
    }

    /** Batches of tracked events at a steady rate, from a pool of active persons that turns over. */
    private final class Load implements Runnable {

        final AtomicLong acked = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong missed = new AtomicLong();
        final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        volatile boolean running = true;
        private final List<String[]> ids;
        private final int rate;
        private final int[] pool;
        private final SplittableRandom random = new SplittableRandom(3);
        private final Semaphore inFlight = new Semaphore(64);
        private final long prefix = System.currentTimeMillis();
        private long counter;

        Load(List<String[]> ids, int rate, int active) {
            this.ids = ids;
            this.rate = rate;
            this.pool = new int[Math.min(active, ids.size())];
            for (int i = 0; i < pool.length; i++) {
                pool[i] = random.nextInt(ids.size());
            }
        }

        @Override
        public void run() {
            long interval = 1_000_000_000L * BATCH / rate;
            long next = System.nanoTime();
            while (running) {
                next += interval;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (!inFlight.tryAcquire()) {
                    missed.incrementAndGet();
                    continue;
                }
                long sent = System.nanoTime();
                client.sendAsync(trackRequest(batch()), HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                    inFlight.release();
                    if (failure == null && response.statusCode() == 200) {
                        acked.addAndGet(BATCH);
                        latencies.add((System.nanoTime() - sent) / 1_000_000);
                    }
                    else {
                        failed.incrementAndGet();
                    }
                });
            }
        }

        private String batch() {
            StringBuilder body = new StringBuilder(BATCH * 200).append("{\"batch\":[");
            for (int i = 0; i < BATCH; i++) {
                int slot = random.nextInt(pool.length);
                if (random.nextInt(SESSION_EVENTS) == 0) {
                    pool[slot] = random.nextInt(ids.size());
                }
                String userId = ids.get(pool[slot])[1];
                counter++;
                boolean order = random.nextInt(100) < 2;
                String event = order ? "Order Completed" : EVENTS[random.nextInt(EVENTS.length)];
                body.append(i == 0 ? "" : ",").append("{\"type\":\"track\",\"event\":\"").append(event).append("\",\"userId\":\"")
                        .append(userId).append("\",\"messageId\":\"load-").append(prefix).append('-').append(counter)
                        .append("\",\"properties\":{");
                if (order) {
                    body.append("\"order_id\":\"load-").append(counter).append("\",\"revenue\":").append(50 + random.nextInt(500))
                            .append(",\"currency\":\"CNY\"");
                }
                else {
                    body.append("\"product_id\":\"p-").append(random.nextInt(300)).append("\",\"price\":").append(10 + random.nextInt(490))
                            .append(",\"category\":\"apparel\"");
                }
                body.append("}}");
            }
            return body.append("]}").toString();
        }
    }
}
