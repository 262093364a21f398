package io.flywheel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flywheel.demo.DemoData;
import io.flywheel.demo.DemoStatus;
import io.flywheel.platform.Project;
import io.flywheel.platform.Projects;
import io.flywheel.support.Browser;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * On a small demo shop made by the demo generator, a person opens every report from the menu and
 * sees each drawn: overview, daily board, trends, funnels, retention, AARRR, channel quality and
 * RFM, then drills into an RFM segment; then finds the most active person in the person list and
 * opens the profile.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DemoReportsJourneyTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestApplication.embedded(registry);
        registry.add("flywheel.demo.enabled", () -> "true");
        registry.add("flywheel.demo.persons", () -> "1500");
        registry.add("flywheel.demo.events", () -> "60000");
    }

    @LocalServerPort
    int port;

    @Autowired
    Projects projects;

    @Autowired
    DemoData demoData;

    private WebDriver browser;

    @BeforeEach
    void openBrowser() {
        browser = Browser.start();
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void everyReportIsDrawnOnTheDemoShop() {
        Project shop = projects.all().stream().filter(project -> project.name().equals("Demo Shop")).findFirst().orElseThrow();
        await().atMost(Duration.ofMinutes(2)).until(() -> demoData.status(shop.id()).orElseThrow().state() == DemoStatus.State.READY);
        browser.manage().window().setSize(new Dimension(1400, 1500));
        browser.get("http://localhost:" + port + "/login");
        browser.findElement(By.id("username")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys(TestApplication.ADMIN_PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        await().atMost(WAIT).until(() -> browser.getCurrentUrl().endsWith("/p/" + shop.id() + "/overview"));

        open("reports/board");
        assertThat(chartDrawn("#board-chart")).isTrue();
        assertThat(browser.findElements(By.cssSelector("table[data-board=transaction] tbody tr"))).hasSize(6);
        assertThat(browser.findElements(By.cssSelector("table[data-board=viewed] tbody tr"))).isNotEmpty();
        Browser.screenshot(browser, "demo-board");

        for (String report : List.of("trends", "funnels", "retention")) {
            open("reports/" + report);
            assertThat(chartDrawn("#report-chart")).as(report).isTrue();
            Browser.screenshot(browser, "demo-" + report);
        }

        open("reports/aarrr");
        assertThat(chartDrawn("#aarrr-chart")).isTrue();
        assertThat(Long.parseLong(browser.findElement(By.cssSelector("[data-stage=acquisition] .tile-value")).getText().replace(",", "")))
                .isPositive();
        Browser.screenshot(browser, "demo-aarrr");

        open("reports/channels");
        assertThat(chartDrawn("#channels-chart")).isTrue();
        assertThat(browser.findElements(By.cssSelector("table[data-report-table=channels] tr[data-channel]")))
                .extracting(row -> row.getAttribute("data-channel")).contains("WeChat", "SEO", "Referral");
        Browser.screenshot(browser, "demo-channels");

        open("reports/rfm");
        assertThat(chartDrawn("#rfm-chart")).isTrue();
        List<WebElement> cells = browser.findElements(By.cssSelector("a.rfm-cell"));
        assertThat(cells).hasSize(8);
        Browser.screenshot(browser, "demo-rfm");
        browser.findElement(By.cssSelector("a.rfm-cell[data-segment=important_value]")).click();
        await().atMost(WAIT).until(() -> !browser.findElements(By.cssSelector("[data-rfm-persons] tbody tr")).isEmpty());
        Browser.screenshot(browser, "demo-rfm-persons");

        open("people");
        assertThat(browser.findElements(By.cssSelector("table[data-people] tbody tr"))).hasSize(50);
        browser.findElement(By.cssSelector("a[data-sort=events]")).click();
        await().atMost(WAIT).until(() -> browser.getCurrentUrl().contains("sort=events"));
        WebElement busiest = browser.findElement(By.cssSelector("table[data-people] tbody tr"));
        String userId = busiest.findElement(By.cssSelector("td[data-user-id]")).getText();
        assertThat(userId).as("the most active person signed up").isNotBlank();
        Browser.screenshot(browser, "demo-people");
        browser.findElement(By.cssSelector("input[name=q]")).sendKeys(userId + Keys.ENTER);
        await().atMost(WAIT).until(() -> browser.getCurrentUrl().contains("q=")
                && browser.findElements(By.cssSelector("table[data-people] tbody tr")).size() == 1);
        browser.findElement(By.cssSelector("table[data-people] tbody tr td a")).click();
        await().atMost(WAIT).until(() -> !browser.findElements(By.cssSelector("[data-timeline] tbody tr[data-event]")).isEmpty());
        assertThat(browser.findElement(By.cssSelector("[data-identities]")).getText()).contains(userId);
        assertThat(Long.parseLong(browser.findElement(By.cssSelector("[data-metric=events]")).getText().replace(",", ""))).isPositive();
        assertThat(browser.findElements(By.cssSelector("[data-trait-form]"))).as("the admin may edit traits").hasSize(1);
        Browser.screenshot(browser, "demo-person");
    }

    private void open(String path) {
        browser.findElement(By.cssSelector("nav a[href$='/" + path + "']")).click();
        await().atMost(WAIT).until(() -> browser.getCurrentUrl().contains("/" + path)
                && !browser.findElements(By.cssSelector("nav a.active[href$='/" + path + "']")).isEmpty());
    }

    private boolean chartDrawn(String selector) {
        await().atMost(WAIT).until(() -> {
            List<WebElement> chart = browser.findElements(By.cssSelector(selector + "[data-rendered='true']"));
            return !chart.isEmpty() && !chart.get(0).findElements(By.tagName("canvas")).isEmpty();
        });
        return true;
    }
}
