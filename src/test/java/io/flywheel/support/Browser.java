package io.flywheel.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium for browser journeys, from Debian's {@code chromium} and {@code chromium-driver}
 * packages (never downloaded). Missing browser: skipped locally, a failure under CI.
 *
 * <pre>{@code
 * WebDriver driver = Browser.start();
 * try { driver.get(url); Browser.screenshot(driver, "overview"); } finally { driver.quit(); }
 * }</pre>
 */
public final class Browser {

    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("FLYWHEEL_TEST_CHROMIUM", "/usr/bin/chromium"));
    private static final Path DRIVER = Path.of(System.getenv().getOrDefault("FLYWHEEL_TEST_CHROMEDRIVER", "/usr/bin/chromedriver"));

    private Browser() {
    }

    public static WebDriver start() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
            Environment.unavailable("Chromium is not installed (apt-get install chromium chromium-driver): " + CHROMIUM + ", " + DRIVER);
        }
        try {
            Path profile = Files.createTempDirectory("flywheel-chromium-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--disable-quic", "--window-size=1366,900", "--lang=en-US", "--user-data-dir=" + profile);
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
            return driver;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Saves a PNG under {@code target/screenshots/} for people to look at. */
    public static Path screenshot(WebDriver driver, String name) {
        try {
            Path directory = Files.createDirectories(Path.of("target", "screenshots"));
            Path file = directory.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
