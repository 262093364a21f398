package io.flywheel.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests. Uses the server named by {@code FLYWHEEL_TEST_POSTGRES_URL}
 * (with {@code _USER} and {@code _PASSWORD}) when set; otherwise starts a throwaway cluster once per
 * JVM from the installed binaries ({@code FLYWHEEL_TEST_PG_BIN} or the newest
 * {@code /usr/lib/postgresql/<version>/bin}), as the {@code postgres} user when running as root,
 * and removes it when the JVM exits. Each caller gets a database of its own.
 *
 * <pre>{@code
 * PostgresServer.Database db = PostgresServer.get().freshDatabase();
 * DataSource dataSource = db.dataSource();
 * }</pre>
 */
public final class PostgresServer {

    /** Connection details of one fresh database. */
    public record Database(String url, String user, String password) {

        public javax.sql.DataSource dataSource() {
            return new org.springframework.jdbc.datasource.DriverManagerDataSource(url, user, password);
        }
    }

    private static PostgresServer instance;
    private static String failure;

    private final String baseUrl;
    private final String user;
    private final String password;
    private final AtomicInteger databases = new AtomicInteger();

    private PostgresServer(String baseUrl, String user, String password) {
        this.baseUrl = baseUrl;
        this.user = user;
        this.password = password;
    }

    /** The server; skips the calling test (or fails it under CI) when none can be had. */
    public static synchronized PostgresServer get() {
        if (instance == null && failure == null) {
            try {
                instance = startOrConnect();
            }
            catch (Exception e) {
                failure = e.getMessage();
            }
        }
        if (instance == null) {
            Environment.unavailable("PostgreSQL is not available: " + failure);
        }
        return instance;
    }

    /** Creates an empty database and returns how to reach it. */
    public Database freshDatabase() {
        String name = "flywheel_test_" + ProcessHandle.current().pid() + "_" + databases.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(baseUrl + "postgres", user, password);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + ": " + e.getMessage(), e);
        }
        return new Database(baseUrl + name, user, password);
    }

    private static PostgresServer startOrConnect() throws Exception {
        String url = System.getenv("FLYWHEEL_TEST_POSTGRES_URL");
        if (url != null && !url.isBlank()) {
            String base = url.substring(0, url.lastIndexOf('/') + 1);
            return new PostgresServer(base, Optional.ofNullable(System.getenv("FLYWHEEL_TEST_POSTGRES_USER")).orElse("postgres"),
                    Optional.ofNullable(System.getenv("FLYWHEEL_TEST_POSTGRES_PASSWORD")).orElse(""));
        }
        Path bin = binaries().orElseThrow(() -> new IllegalStateException(
                "no PostgreSQL binaries found (install postgresql-15, or set FLYWHEEL_TEST_PG_BIN or FLYWHEEL_TEST_POSTGRES_URL)"));
        boolean root = "root".equals(System.getProperty("user.name"));
        Path directory = Files.createTempDirectory("flywheel-pg-");
        Path data = directory.resolve("data");
        int port = freePort();
        if (root) {
            run(List.of("chown", "postgres:postgres", directory.toString()), directory);
        }
        run(asPostgres(root, bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "postgres",
                "-E", "UTF8", "--locale=C", "--no-sync"), directory);
        String options = "-p " + port + " -k " + directory + " -c listen_addresses=127.0.0.1 -c fsync=off"
                + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
        run(asPostgres(root, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", directory.resolve("server.log").toString(),
                "-w", "-t", "60", "-o", options, "start"), directory);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(root, bin, data, directory)));
        return new PostgresServer("jdbc:postgresql://127.0.0.1:" + port + "/", "postgres", "");
    }

    private static void stop(boolean root, Path bin, Path data, Path directory) {
        try {
            run(asPostgres(root, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "stop"), directory);
        }
        catch (Exception e) {
            // the JVM is exiting; nothing more to do
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }

    private static List<String> asPostgres(boolean root, String... command) {
        List<String> full = new ArrayList<>();
        if (root) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        return full;
    }

    private static void run(List<String> command, Path directory) throws IOException, InterruptedException {
        Path output = Files.createTempFile("flywheel-pg-command-", ".log");
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        boolean finished = process.waitFor(120, TimeUnit.SECONDS);
        String log = Files.readString(output);
        Files.deleteIfExists(output);
        if (!finished || process.exitValue() != 0) {
            process.destroyForcibly();
            Path serverLog = directory.resolve("server.log");
            String server = Files.exists(serverLog) ? "\nserver log:\n" + Files.readString(serverLog) : "";
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + log + server);
        }
    }

    private static Optional<Path> binaries() throws IOException {
        String configured = System.getenv("FLYWHEEL_TEST_PG_BIN");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(path -> Files.isExecutable(path.resolve("initdb")));
        }
        Path installed = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(installed)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(installed)) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("initdb")))
                    .max(Comparator.comparing(bin -> versionNumber(bin.getParent().getFileName().toString())));
        }
    }

    private static int versionNumber(String name) {
        try {
            return Integer.parseInt(name);
        }
        catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
