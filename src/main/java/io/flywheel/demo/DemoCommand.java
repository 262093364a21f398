package io.flywheel.demo;

import static java.util.Objects.requireNonNull;

import io.flywheel.platform.ProjectKeys;
import io.flywheel.platform.Projects;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code java -jar flywheel.jar generate-demo ...}: builds a benchmark data set. It starts the
 * application without a web server on the given data directory, creates a project and streams the
 * simulated events of the plan into it, showing progress on standard error.
 */
public final class DemoCommand {

    public static final String NAME = "generate-demo";

    static final String USAGE = """
            Usage: java -jar flywheel.jar generate-demo [options]

            Creates a project and fills it with simulated demo events (a Chinese e-commerce shop).
            The same options always produce the same events.

              --persons N       persons to simulate (default 20000)
              --events N        events to aim at; the count lands within a few percent (default 1000000)
              --days N          days of history, ending with --end-date (default 90)
              --seed N          random seed (default 42)
              --end-date DATE   last simulated day, yyyy-MM-dd (default today; then nothing after now)
              --data-dir DIR    data directory to write into (default ./data)
              --name NAME       project name (default "Demo Shop")
              --zone ZONE       project time zone (default Asia/Shanghai)
              --help            show this help

            Example: java -jar flywheel.jar generate-demo --persons 200000 --events 10000000 --data-dir ./bench-10m --name "Bench 10M"
            Stop the server that uses the data directory first.""";

    private DemoCommand() {
    }

    /**
     * Runs the command against the given application class (passed in so that this module does not
     * depend on the application's root package) and exits the JVM with its status: 0 done, 1 failed,
     * 2 bad arguments.
     */
    public static void run(String[] args, Class<?> application) {
        System.exit(execute(args, application, System.out, System.err));
    }

    static int execute(String[] args, Class<?> application, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        }
        catch (IllegalArgumentException e) {
            err.println(NAME + ": " + e.getMessage());
            err.println("Run with --help for the options.");
            return 2;
        }
        if (options.help()) {
            out.println(USAGE);
            return 0;
        }
        return generate(options, application, out, err);
    }

    private static int generate(Options options, Class<?> applicationClass, PrintStream out, PrintStream err) {
        Path dataDir = options.dataDir().toAbsolutePath().normalize();
        out.println("Starting Flywheel on " + dataDir + " ...");
        long started = System.nanoTime();
        SpringApplication application = new SpringApplication(applicationClass);
        // The console's security needs a web application context; port -1 keeps it from listening.
        application.setWebApplicationType(WebApplicationType.SERVLET);
        try (ConfigurableApplicationContext context = application.run(
                "--server.port=-1",
                "--flywheel.data-dir=" + dataDir,
                "--flywheel.demo.enabled=false",
                "--spring.main.banner-mode=off",
                "--spring.main.log-startup-info=false",
                "--logging.level.root=warn",
                "--logging.level.org.flywaydb=error",
                "--logging.level.org.springdoc=error")) {
            ProjectKeys keys = context.getBean(Projects.class).create(options.name(), options.zone(), "system");
            long projectId = keys.project().id();
            out.println("Created project " + projectId + " \"" + keys.project().name() + "\"");
            out.println("  write key:  " + keys.project().writeKey());
            out.println("  secret key: " + keys.secretKey() + "   (shown only now)");
            ProgressBar bar = new ProgressBar(err);
            DemoStatus status = context.getBean(DemoData.class).loadNow(projectId, options.plan(), bar::update);
            bar.finish();
            if (status.state() != DemoStatus.State.READY) {
                err.println("Loading the demo events failed after " + status.events() + " events; see the log in " + dataDir.resolve("logs"));
                return 1;
            }
            out.printf(Locale.ROOT, "Stored %,d events in project %d in %s (%,.0f events/s); total time %s%n",
                    status.events(), projectId, ProgressBar.duration(bar.elapsedNanos()), status.events() / Math.max(1e-9, bar.elapsedNanos() / 1e9),
                    ProgressBar.duration(System.nanoTime() - started));
            return 0;
        }
        catch (RuntimeException e) {
            err.println(NAME + " failed: " + rootMessage(e));
            return 1;
        }
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** The parsed command line. */
    record Options(DemoPlan plan, Path dataDir, String name, ZoneId zone, boolean help) {

        Options {
            requireNonNull(plan, "plan is null");
            requireNonNull(dataDir, "dataDir is null");
            requireNonNull(name, "name is null");
            requireNonNull(zone, "zone is null");
        }

        /** Accepts {@code --option value} and {@code --option=value}; a leading {@value NAME} is skipped. */
        static Options parse(String[] args) {
            int persons = DemoPlan.DEFAULT_PERSONS;
            long events = DemoPlan.DEFAULT_EVENTS;
            int days = DemoPlan.DEFAULT_DAYS;
            long seed = DemoPlan.DEFAULT_SEED;
            LocalDate endDate = null;
            Path dataDir = Path.of("data");
            String name = "Demo Shop";
            ZoneId zone = ZoneId.of("Asia/Shanghai");
            int start = args.length > 0 && NAME.equals(args[0]) ? 1 : 0;
            for (int i = start; i < args.length; i++) {
                String argument = args[i];
                if (argument.equals("--help") || argument.equals("-h")) {
                    return new Options(DemoPlan.defaults(), dataDir, name, zone, true);
                }
                if (!argument.startsWith("--")) {
                    throw new IllegalArgumentException("unexpected argument '" + argument + "'");
                }
                int equals = argument.indexOf('=');
                String option = equals < 0 ? argument : argument.substring(0, equals);
                String value;
                if (equals >= 0) {
                    value = argument.substring(equals + 1);
                }
                else if (i + 1 < args.length) {
                    value = args[++i];
                }
                else {
                    throw new IllegalArgumentException(option + " needs a value");
                }
                switch (option) {
                    case "--persons" -> persons = (int) number(option, value, Integer.MAX_VALUE);
                    case "--events" -> events = number(option, value, Long.MAX_VALUE);
                    case "--days" -> days = (int) number(option, value, Integer.MAX_VALUE);
                    case "--seed" -> seed = number(option, value, Long.MAX_VALUE);
                    case "--end-date" -> endDate = date(value);
                    case "--data-dir" -> dataDir = Path.of(nonBlank(option, value));
                    case "--name" -> name = nonBlank(option, value).strip();
                    case "--zone" -> zone = zone(value);
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            }
            if (endDate != null && endDate.isAfter(LocalDate.now(zone))) {
                throw new IllegalArgumentException("--end-date must not be in the future, was " + endDate);
            }
            return new Options(new DemoPlan(persons, events, days, seed, endDate), dataDir, name, zone, false);
        }

        private static long number(String option, String value, long max) {
            String digits = value.replace("_", "").replace(",", "");
            try {
                long number = Long.parseLong(digits);
                if (number < 0 || number > max) {
                    throw new IllegalArgumentException(option + " must be between 0 and " + max + ", was " + value);
                }
                return number;
            }
            catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " must be a whole number, was '" + value + "'");
            }
        }

        private static LocalDate date(String value) {
            try {
                return LocalDate.parse(value);
            }
            catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--end-date must be a date like 2026-03-31, was '" + value + "'");
            }
        }

        private static ZoneId zone(String value) {
            try {
                return ZoneId.of(value);
            }
            catch (DateTimeException e) {
                throw new IllegalArgumentException("--zone must be a time zone like Asia/Shanghai, was '" + value + "'");
            }
        }

        private static String nonBlank(String option, String value) {
            if (value.isBlank()) {
                throw new IllegalArgumentException(option + " must not be blank");
            }
            return value;
        }
    }

    /** A one-line progress bar redrawn in place with a carriage return, at most four times a second. */
    static final class ProgressBar {

        private static final int WIDTH = 30;
        private static final long REDRAW_NANOS = 250_000_000L;

        private final PrintStream target;
        private final long started = System.nanoTime();
        private long lastDraw;
        private boolean drawn;
        private long stored;
        private long expected;

        ProgressBar(PrintStream target) {
            this.target = target;
        }

        void update(long storedSoFar, long expectedTotal) {
            this.stored = storedSoFar;
            this.expected = Math.max(1, expectedTotal);
            long now = System.nanoTime();
            if (drawn && now - lastDraw < REDRAW_NANOS) {
                return;
            }
            lastDraw = now;
            drawn = true;
            target.print('\r' + line(stored, expected, now - started));
            target.flush();
        }

        void finish() {
            if (drawn) {
                target.print('\r' + line(stored, Math.max(stored, 1), System.nanoTime() - started));
                target.println();
                target.flush();
            }
        }

        long elapsedNanos() {
            return System.nanoTime() - started;
        }

        static String line(long stored, long expected, long elapsedNanos) {
            double fraction = Math.min(1.0, (double) stored / expected);
            int filled = (int) Math.round(fraction * WIDTH);
            double seconds = elapsedNanos / 1e9;
            double rate = seconds > 0 ? stored / seconds : 0;
            String eta = rate > 0 && stored < expected ? duration((long) ((expected - stored) / rate * 1e9)) : "0:00";
            return String.format(Locale.ROOT, "%3d%% [%s%s] %,d / ~%,d events  %,.0f events/s  ETA %s   ",
                    (int) (fraction * 100), "#".repeat(filled), " ".repeat(WIDTH - filled), stored, expected, rate, eta);
        }

        static String duration(long nanos) {
            long seconds = nanos / 1_000_000_000L;
            long hours = seconds / 3600;
            long minutes = seconds % 3600 / 60;
            long rest = seconds % 60;
            return hours > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", hours, minutes, rest) : String.format(Locale.ROOT, "%d:%02d", minutes, rest);
        }
    }
}
