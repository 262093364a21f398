package io.flywheel.people;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flywheel.TestApplication;
import io.flywheel.events.EventStore;
import io.flywheel.platform.Projects;
import io.flywheel.platform.Users;
import io.flywheel.support.Browser;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An operator opens the lifecycle page of a shop whose stages were never computed, recomputes them,
 * sees the stage cards, the stacked area chart and the sankey of flows, and opens a person whose
 * profile shows the stage.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LifecycleJourneyTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestApplication.embedded(registry);
        registry.add("flywheel.people.lifecycle.enabled", () -> "false");
    }

    @LocalServerPort
    int port;

    @Autowired
    Projects projects;

    @Autowired
    Users users;

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
    void recomputeStagesAndSeeThemOnThePageAndTheProfile() {
        PeopleTestData shop = new PeopleTestData(projects, users, events);
        browser.manage().window().setSize(new Dimension(1366, 1600));
        browser.get("http://localhost:" + port + "/login");
        browser.findElement(By.id("username")).sendKeys(shop.operator);
        browser.findElement(By.id("password")).sendKeys(PeopleTestData.PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        await().atMost(WAIT).until(() -> !browser.getCurrentUrl().contains("/login"));

        browser.get("http://localhost:" + port + "/p/" + shop.project.id() + "/lifecycle?lang=en");
        assertThat(browser.findElement(By.cssSelector("[data-empty]")).getText()).contains("No stages yet");
        browser.findElement(By.cssSelector("[data-recompute] button")).click();
        await().atMost(WAIT).until(() -> !browser.findElements(By.cssSelector("[data-recomputed]")).isEmpty());
        assertThat(browser.findElement(By.cssSelector("[data-stage=active] .tile-value")).getText()).isEqualTo("57");
        assertThat(browser.findElement(By.cssSelector("[data-stage=new] .tile-value")).getText()).isEqualTo("2");
        awaitChart("lifecycle-area");
        awaitChart("lifecycle-sankey");
        assertThat(browser.findElements(By.cssSelector("table[data-flows] tbody tr"))).hasSize(2);
        Browser.screenshot(browser, "lifecycle");

        browser.get("http://localhost:" + port + "/p/" + shop.project.id() + "/people/1");
        await().atMost(WAIT).until(() -> !browser.findElements(By.cssSelector("[data-person-stage] [data-stage]")).isEmpty());
        assertThat(browser.findElement(By.cssSelector("[data-person-stage] [data-stage]")).getText()).isEqualTo("New");
        Browser.screenshot(browser, "lifecycle-profile");
    }

    private void awaitChart(String id) {
        await().atMost(WAIT).until(() -> {
            List<WebElement> chart = browser.findElements(By.cssSelector("#" + id + "[data-rendered='true']"));
            return !chart.isEmpty() && !chart.get(0).findElements(By.tagName("canvas")).isEmpty();
        });
    }
}
