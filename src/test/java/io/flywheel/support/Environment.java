package io.flywheel.support;

import org.junit.jupiter.api.Assumptions;

/**
 * What to do when a test needs something the machine lacks (a PostgreSQL server, Chromium): on a
 * developer machine the test is skipped with the reason; under CI ({@code CI=true}) it fails, so a
 * green CI run always means the database and browser tests really ran.
 */
public final class Environment {

    private Environment() {
    }

    public static boolean isCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    public static void unavailable(String what) {
        if (isCi()) {
            throw new AssertionError(what + " (CI=true, so this test may not be skipped)");
        }
        Assumptions.abort(what);
    }
}
