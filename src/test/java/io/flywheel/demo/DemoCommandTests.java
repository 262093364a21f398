package io.flywheel.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.flywheel.demo.DemoCommand.Options;
import io.flywheel.demo.DemoCommand.ProgressBar;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class DemoCommandTests {

    @Test
    void defaults() {
        Options options = Options.parse(new String[] {"generate-demo"});
        assertThat(options.plan()).isEqualTo(DemoPlan.defaults());
        assertThat(options.dataDir()).isEqualTo(Path.of("data"));
        assertThat(options.name()).isEqualTo("Demo Shop");
        assertThat(options.zone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
        assertThat(options.help()).isFalse();
    }

    @Test
    void everyOption() {
        Options options = Options.parse(new String[] {"generate-demo", "--persons", "200_000", "--events=10,000,000", "--days", "60",
                "--seed", "7", "--end-date", "2026-01-31", "--data-dir", "./bench-10m", "--name", "Bench 10M", "--zone", "Europe/Berlin"});
        assertThat(options.plan()).isEqualTo(new DemoPlan(200_000, 10_000_000, 60, 7, LocalDate.of(2026, 1, 31)));
        assertThat(options.dataDir()).isEqualTo(Path.of("./bench-10m"));
        assertThat(options.name()).isEqualTo("Bench 10M");
        assertThat(options.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    }

    @Test
    void optionsWithoutTheCommandName() {
        assertThat(Options.parse(new String[] {"--persons", "1000", "--events", "50000"}).plan().persons()).isEqualTo(1_000);
    }

    @Test
    void help() {
        assertThat(Options.parse(new String[] {"generate-demo", "--help"}).help()).isTrue();
        assertThat(Options.parse(new String[] {"-h"}).help()).isTrue();
    }

    @Test
    void clearMessagesForBadArguments() {
        assertThatIllegalArgumentException().isThrownBy(() -> Options.parse(new String[] {"--people", "5"})).withMessage("unknown option --people");
        assertThatIllegalArgumentException().isThrownBy(() -> Options.parse(new String[] {"--persons"})).withMessage("--persons needs a value");
        assertThatIllegalArgumentException().isThrownBy(() -> Options.parse(new String[] {"--events", "lots"}))
                .withMessage("--events must be a whole number, was 'lots'");
        assertThatIllegalArgumentException().isThrownBy(() -> Options.parse(new String[] {"--persons", "-5"}))
                .withMessageContaining("--persons must be between 0 and");
        assertThatIllegalArgumentException().isThrownBy(() -> Options.parse(new String[] {"--persons", "100000", "--events", "1000"}))
                .withMessageContaining("events must be at least 15 per person");
        assertThatIllegalArgumentException().isThrownBy(() -> Options.parse(new String[] {"--end-date", "31.01.2026"}))
                .withMessageContaining("--end-date must be a date like");
        assertThatIllegalArgumentException().isThrownBy(() -> Options.parse(new String[] {"--end-date", LocalDate.now().plusDays(3).toString()}))
                .withMessageContaining("must not be in the future");
        assertThatIllegalArgumentException().isThrownBy(() -> Options.parse(new String[] {"--zone", "Mars/Olympus"}))
                .withMessageContaining("--zone must be a time zone");
        assertThatIllegalArgumentException().isThrownBy(() -> Options.parse(new String[] {"--name", " "})).withMessage("--name must not be blank");
        assertThatIllegalArgumentException().isThrownBy(() -> Options.parse(new String[] {"stray"})).withMessage("unexpected argument 'stray'");
    }

    @Test
    void badArgumentsExitWithTwoAndSayWhy() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = DemoCommand.execute(new String[] {"generate-demo", "--persons", "x"}, Object.class, print(out), print(err));
        assertThat(status).isEqualTo(2);
        assertThat(text(err)).contains("generate-demo: --persons must be a whole number, was 'x'").contains("--help");
        assertThat(text(out)).isEmpty();
    }

    @Test
    void helpPrintsTheUsage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(DemoCommand.execute(new String[] {"generate-demo", "--help"}, Object.class, print(out), print(new ByteArrayOutputStream()))).isZero();
        assertThat(text(out)).contains("Usage: java -jar flywheel.jar generate-demo").contains("--persons N").contains("--data-dir DIR");
    }

    @Test
    void progressLineShowsPercentRateAndEta() {
        String line = ProgressBar.line(2_500_000, 10_000_000, 2_000_000_000L);
        assertThat(line).startsWith(" 25% [########").contains("2,500,000 / ~10,000,000 events").contains("1,250,000 events/s").contains("ETA 0:06");
    }

    @Test
    void durations() {
        assertThat(ProgressBar.duration(65_000_000_000L)).isEqualTo("1:05");
        assertThat(ProgressBar.duration(3_725_000_000_000L)).isEqualTo("1:02:05");
    }

    private static PrintStream print(ByteArrayOutputStream target) {
        return new PrintStream(target, true, StandardCharsets.UTF_8);
    }

    private static String text(ByteArrayOutputStream target) {
        return target.toString(StandardCharsets.UTF_8);
    }
}
