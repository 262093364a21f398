package io.flywheel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flywheel.events.Event;
import io.flywheel.events.EventStore;
import io.flywheel.platform.Project;
import io.flywheel.platform.Projects;
import io.flywheel.support.Browser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An analyst signs in and works through the three reports on a shop with two weeks of data: a trend
 * broken down by channel and compared, a funnel with a step added and removed and a breakdown, and
 * a retention heat map, then switches the report to Chinese without losing it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReportsJourneyTests {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final List<String> CHANNELS = List.of("SEO", "WeChat", "SEO", "Direct");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestApplication.embedded(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    Projects projects;

    @Autowired
    EventStore events;

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
    void analyseTrendsFunnelsAndRetention() {
        Project project = projects.create("Report Journey Shop", ZoneId.of("Asia/Shanghai"), "test").project();
        events.append(shop(project.id()));

        browser.manage().window().setSize(new Dimension(1366, 1700));
        signIn(project);

        // Trends: the default report, then broken down by channel and compared with the period before
        openReport("trends");
        awaitChart();
        assertThat(rows("trend")).hasSizeGreaterThanOrEqualTo(30);
        browser.findElement(By.cssSelector("select[name=event] option[value='Product Viewed']")).click();
        browser.findElement(By.name("breakdown")).sendKeys("channel");
        browser.findElement(By.name("compare")).click();
        browser.findElement(By.cssSelector("form[data-report-form] button.primary")).click();
        await().atMost(WAIT).until(() -> browser.getCurrentUrl().contains("breakdown=channel"));
        awaitChart();
        Object series = script("""
                const option = echarts.getInstanceByDom(document.getElementById('report-chart')).getOption();
                return [option.series.length, option.series.filter(s => s.lineStyle.type === 'dashed').length];""");
        assertThat(series).asList().containsExactly(6L, 3L);
        assertThat(browser.findElements(By.cssSelector("table[data-report-table=trend] thead th"))).hasSize(7);
        Browser.screenshot(browser, "reports-trends");

        // Funnels: three steps from the event names; add one, remove it again, break down by channel
        openReport("funnels");
        awaitChart();
        assertThat(rows("funnel")).hasSize(3);
        assertThat(browser.findElements(By.cssSelector("select[name=steps]"))).hasSize(3);
        browser.findElement(By.cssSelector("button[data-add-step]")).click();
        await().atMost(WAIT).until(() -> browser.findElements(By.cssSelector("select[name=steps]")).size() == 4);
        awaitChart();
        assertThat(rows("funnel")).hasSize(4);
        browser.findElements(By.cssSelector("button[name=removeStep]")).get(3).click();
        await().atMost(WAIT).until(() -> browser.findElements(By.cssSelector("select[name=steps]")).size() == 3);
        awaitChart();
        assertThat(rows("funnel").get(2).findElements(By.tagName("td")).get(6).getText()).matches("\\d+ (min|h)( \\d+ (s|min))?");
        browser.findElement(By.name("breakdown")).sendKeys("channel");
        browser.findElement(By.cssSelector("form[data-report-form] button.primary")).click();
        await().atMost(WAIT).until(() -> !browser.findElements(By.cssSelector("table[data-report-table=funnel-breakdown]")).isEmpty());
        awaitChart();
        assertThat(rows("funnel-breakdown")).hasSize(3);
        Browser.screenshot(browser, "reports-funnels");

        // The persons who stopped after step 1 become a segment: the builder shows the funnel, counts whom the report counts
        String reached = rows("funnel").get(0).findElements(By.tagName("td")).get(2).getText();
        String stopped = rows("funnel").get(1).findElements(By.tagName("td")).get(5).getText();
        String funnelReport = browser.getCurrentUrl();
        rows("funnel").get(0).findElement(By.cssSelector("a[data-create-segment]")).click();
        await().atMost(WAIT).until(() -> !browser.findElements(By.cssSelector("[data-path='rule.all[0]'][data-kind=funnel]")).isEmpty());
        WebElement funnel = browser.findElement(By.cssSelector("[data-path='rule.all[0]']"));
        assertThat(funnel.findElements(By.cssSelector("[data-funnel-steps] input[data-field=event]"))).hasSize(3);
        assertThat(funnel.findElement(By.cssSelector("[data-funnel-summary]")).getText()).startsWith("Persons who reached step 1 (")
                .contains("and not step 2 (");
        awaitCount(stopped);
        Browser.screenshot(browser, "reports-funnel-segment");
        funnel.findElement(By.cssSelector("[data-field=mode] option[value=atLeast]")).click();
        await().atMost(WAIT).until(() -> browser.findElement(By.cssSelector("[data-funnel-summary]")).getText().endsWith("or a later step."));
        awaitCount(reached);
        assertThat(browser.findElement(By.id("rule")).getAttribute("value")).contains("\"funnel\"").doesNotContain("\"exactly\"");
        browser.get(funnelReport);

        // Retention: Signed Up cohorts per day, returning with any event
        openReport("retention");
        awaitChart();
        assertThat(browser.findElement(By.cssSelector("select[name=cohortEvent] option:checked")).getText()).isEqualTo("Signed Up");
        assertThat(rows("retention")).hasSizeGreaterThanOrEqualTo(14);
        assertThat(browser.findElement(By.cssSelector("tr[data-average] td.heat")).getText()).isEqualTo("100.0%");
        Browser.screenshot(browser, "reports-retention");

        // The language switch keeps the report
        browser.findElement(By.cssSelector("select[name=period] option[value=week]")).click();
        browser.findElement(By.cssSelector("form[data-report-form] button.primary")).click();
        await().atMost(WAIT).until(() -> browser.getCurrentUrl().contains("period=week"));
        browser.findElement(By.cssSelector("a[data-lang='zh-CN']")).click();
        await().atMost(WAIT).until(() -> "留存分析".equals(browser.findElement(By.tagName("h1")).getText()));
        assertThat(browser.getCurrentUrl()).contains("period=week").contains("cohortEvent=Signed");
        assertThat(browser.findElement(By.cssSelector("table[data-report-table=retention] thead th:nth-child(3)")).getText()).isEqualTo("第 0 周");
        awaitChart();
        Browser.screenshot(browser, "reports-retention-zh");

        // A report that cannot run says why next to its form
        browser.get("http://localhost:" + port + "/p/" + project.id() + "/reports/trends?lang=en&from=2026-03-05&to=2026-03-01");
        assertThat(browser.findElement(By.cssSelector("form[data-report-form] [data-report-error]")).getText()).startsWith("Please check To:");
        assertThat(browser.findElements(By.id("report-chart"))).isEmpty();
        Browser.screenshot(browser, "reports-error");
    }

    private void signIn(Project project) {
        browser.get("http://localhost:" + port + "/login");
        browser.findElement(By.id("username")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys(TestApplication.ADMIN_PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        await().atMost(WAIT).until(() -> browser.getCurrentUrl().endsWith("/p/" + project.id() + "/overview"));
    }

    private void openReport(String report) {
        browser.findElement(By.cssSelector("nav a[href$='/reports/" + report + "']")).click();
        await().atMost(WAIT).until(() -> browser.getCurrentUrl().contains("/reports/" + report)
                && !browser.findElements(By.cssSelector("nav a.active[href$='/reports/" + report + "']")).isEmpty());
    }

    private void awaitChart() {
        await().atMost(WAIT).until(() -> {
            List<WebElement> chart = browser.findElements(By.cssSelector("#report-chart[data-rendered='true']"));
            return !chart.isEmpty() && !chart.get(0).findElements(By.tagName("canvas")).isEmpty();
        });
    }

    private void awaitCount(String count) {
        // the count is drawn again while the rule is edited: an element found may be gone a moment later
        await().atMost(WAIT).ignoreExceptionsInstanceOf(StaleElementReferenceException.class).until(() -> {
            List<WebElement> found = browser.findElements(By.cssSelector("#live-count [data-count]"));
            return !found.isEmpty() && found.get(0).getText().equals(count);
        });
    }

    private List<WebElement> rows(String table) {
        return browser.findElements(By.cssSelector("table[data-report-table='" + table + "'] tbody tr"));
    }

    private Object script(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    /**
     * Two weeks of a small shop: every day a few people sign up and view a product; some add it to
     * the cart and some of those order; some come back one or three days later.
     */
    private static List<Event> shop(long projectId) {
        List<Event> batch = new ArrayList<>();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        for (int day = 0; day < 14; day++) {
            Instant start = now.minus(day, ChronoUnit.DAYS).minus(4, ChronoUnit.HOURS);
            for (int i = 0; i < 6 + day % 4; i++) {
                long person = day * 100L + i;
                String channel = CHANNELS.get(i % CHANNELS.size());
                Instant at = start.plus(i * 7L, ChronoUnit.MINUTES);
                batch.add(event(projectId, person, "Signed Up", at, channel, null));
                batch.add(event(projectId, person, "Product Viewed", at.plus(2, ChronoUnit.MINUTES), channel, null));
                if (i % 5 != 4) {
                    batch.add(event(projectId, person, "Product Added", at.plus(10 + i, ChronoUnit.MINUTES), channel, null));
                }
                if (i % 3 != 1 && i % 5 != 4) {
                    batch.add(event(projectId, person, "Order Completed", at.plus(65 + i * 9L, ChronoUnit.MINUTES), channel, 50.0 + i * 20));
                }
                if (i % 2 == 0 && day >= 1) {
                    batch.add(event(projectId, person, "Product Viewed", at.plus(1, ChronoUnit.DAYS), channel, null));
                }
                if (i % 3 == 0 && day >= 3) {
                    batch.add(event(projectId, person, "Product Viewed", at.plus(3, ChronoUnit.DAYS), channel, null));
                }
            }
        }
        return batch;
    }

    private static Event event(long projectId, long person, String name, Instant at, String channel, Double revenue) {
        return new Event(projectId, UUID.randomUUID().toString(), "track", name, person, "anon-" + person, null, at, at,
                null, null, null, null, null, channel, null, revenue, revenue == null ? null : "CNY", "{}", null);
    }
}
