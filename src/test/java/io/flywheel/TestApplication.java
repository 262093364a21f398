package io.flywheel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Settings for tests that boot the whole application: a fresh data directory and in-memory H2
 * database per application context, a known admin password and no demo data unless asked.
 */
public final class TestApplication {

    public static final String ADMIN_PASSWORD = "test-admin-password";

    private TestApplication() {
    }

    public static void embedded(DynamicPropertyRegistry registry) {
        Path dataDir = freshDataDir();
        registry.add("flywheel.data-dir", dataDir::toString);
        registry.add("flywheel.admin-password", () -> ADMIN_PASSWORD);
        registry.add("flywheel.demo.enabled", () -> "false");
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:flywheel-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        registry.add("flywheel.events.memory-limit", () -> "512MB");
        registry.add("flywheel.events.threads", () -> "2");
        // The schedule would recompute lifecycle stages 10 s after start, in the middle of a test;
        // tests that need stages recompute them themselves.
        registry.add("flywheel.people.lifecycle.enabled", () -> "false");
    }

    public static Path freshDataDir() {
        try {
            Path base = Path.of("target", "test-data");
            Files.createDirectories(base);
            return Files.createTempDirectory(base.toAbsolutePath(), "run-");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
