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
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A person signs in, switches the console to Chinese and sees the overview chart drawn with data. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsoleJourneyTests {

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
    void signInSwitchToChineseAndSeeTheOverviewChart() {
        Project project = projects.create("Journey Shop", ZoneId.of("Asia/Shanghai"), "test").project();
        List<Event> batch = new ArrayList<>();
        Instant now = Instant.now();
        for (int day = 0; day < 20; day++) {
            for (int i = 0; i <= day; i++) {
                Instant at = now.minus(day, ChronoUnit.DAYS).minusSeconds(i * 60L);
                batch.add(new Event(project.id(), UUID.randomUUID().toString(), "track", "Product Viewed", i % 5, "a" + i, null, at, at,
                        null, null, null, null, null, null, null, null, null, null, null));
            }
        }
        events.append(batch);

        browser.get("http://localhost:" + port + "/login");
        browser.findElement(By.id("username")).sendKeys("wrong");
        browser.findElement(By.id("password")).sendKeys("wrong-password");
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        // the click only starts the page load: wait for the answer page rather than reading the login page still shown
        await().atMost(Duration.ofSeconds(20)).until(() -> !browser.findElements(By.cssSelector(".alert.error")).isEmpty());
        assertThat(browser.findElement(By.cssSelector(".alert.error")).getText()).contains("Wrong user name or password");

        browser.findElement(By.id("username")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys(TestApplication.ADMIN_PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        await().atMost(Duration.ofSeconds(20)).until(() -> browser.getCurrentUrl().endsWith("/p/" + project.id() + "/overview"));

        browser.findElement(By.cssSelector("a[data-lang='zh-CN']")).click();
        await().atMost(Duration.ofSeconds(20)).until(() -> browser.getPageSource().contains("今日事件数"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("概览");
        await().atMost(Duration.ofSeconds(20)).until(() ->
                "true".equals(browser.findElement(By.id("activity-chart")).getDomAttribute("data-rendered")));
        assertThat(browser.findElements(By.cssSelector("#activity-chart canvas"))).isNotEmpty();
        Object drawn = ((JavascriptExecutor) browser).executeScript("""
                const option = echarts.getInstanceByDom(document.getElementById('activity-chart')).getOption();
                return [option.series[0].data.length, option.series[0].data.reduce((a, b) => a + b, 0), option.series[1].name];""");
        assertThat(drawn).asList().containsExactly(30L, 210L, "活跃用户");
        Browser.screenshot(browser, "overview-zh");

        browser.navigate().refresh();
        assertThat(browser.getPageSource()).as("the language choice sticks").contains("今日事件数");
    }
}
