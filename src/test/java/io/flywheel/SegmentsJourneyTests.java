package io.flywheel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flywheel.events.EventStore;
import io.flywheel.people.PeopleTestData;
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
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An operator builds a segment in the console: a trait condition and a behaviour condition, the
 * live count following every edit and an error shown at the condition it belongs to; saves it, sees
 * its members once the refresher has computed them, and opens a member's profile.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SegmentsJourneyTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestApplication.embedded(registry);
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
    void buildASegmentSeeItsCountAndOpenAMembersProfile() {
        PeopleTestData shop = new PeopleTestData(projects, users, events);
        browser.manage().window().setSize(new Dimension(1366, 1200));
        signIn();
        String segments = "http://localhost:" + port + "/p/" + shop.project.id() + "/segments?lang=en";
        browser.get(segments);
        assertThat(browser.findElement(By.cssSelector("[data-empty]")).getText()).contains("No segments yet");
        browser.findElement(By.cssSelector("a[data-new-segment]")).click();
        await().atMost(WAIT).until(() -> !browser.findElements(By.id("rule-builder")).isEmpty());

        browser.findElement(By.cssSelector("input[data-segment-name]")).sendKeys("杭州 buyers");
        browser.findElement(By.cssSelector("[data-path='rule'] > .rule-actions [data-add-condition]")).click();
        WebElement first = condition("rule.all[0]");
        assertThat(first.getAttribute("data-kind")).isEqualTo("trait");
        assertThat(first.findElement(By.cssSelector("[data-field=trait]")).getAttribute("value")).isEqualTo("city");
        first.findElement(By.cssSelector("[data-field=value]")).sendKeys("杭州");
        awaitCount("1");

        browser.findElement(By.cssSelector("[data-path='rule'] > .rule-actions [data-add-condition]")).click();
        condition("rule.all[1]").findElement(By.cssSelector("[data-field=kind] option[value=did]")).click();
        await().atMost(WAIT).until(() -> "did".equals(condition("rule.all[1]").getAttribute("data-kind")));
        WebElement event = condition("rule.all[1]").findElement(By.cssSelector("[data-field=event]"));
        event.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        await().atMost(WAIT).until(() -> condition("rule.all[1]").getAttribute("class").contains("invalid"));
        assertThat(condition("rule.all[1]").findElement(By.cssSelector("[data-rule-error]")).getText()).isEqualTo("Fill in this field.");
        assertThat(condition("rule.all[0]").getAttribute("class")).doesNotContain("invalid");
        Browser.screenshot(browser, "segments-editor-error");

        condition("rule.all[1]").findElement(By.cssSelector("[data-field=event]")).sendKeys("Order Completed");
        WebElement times = condition("rule.all[1]").findElement(By.cssSelector("[data-field=times]"));
        times.sendKeys(Keys.chord(Keys.CONTROL, "a"), "2");
        awaitCount("1");
        assertThat(condition("rule.all[1]").getAttribute("class")).doesNotContain("invalid");
        times.sendKeys(Keys.chord(Keys.CONTROL, "a"), "3");
        awaitCount("0");
        times.sendKeys(Keys.chord(Keys.CONTROL, "a"), "2");
        awaitCount("1");
        Browser.screenshot(browser, "segments-editor");

        browser.findElement(By.cssSelector("button[data-save]")).click();
        await().atMost(WAIT).until(() -> !browser.findElements(By.cssSelector("[data-segment-title]")).isEmpty());
        assertThat(browser.findElement(By.cssSelector("[data-segment-title]")).getText()).isEqualTo("杭州 buyers");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            browser.navigate().refresh();
            return !browser.findElements(By.cssSelector("tr[data-member='1']")).isEmpty();
        });
        assertThat(browser.findElement(By.cssSelector("[data-segment-size]")).getText()).isEqualTo("1");
        await().atMost(WAIT).until(() -> !browser.findElements(By.cssSelector("[data-size-chart][data-rendered='true'] canvas")).isEmpty());
        Browser.screenshot(browser, "segments-segment");

        browser.findElement(By.cssSelector("tr[data-member='1'] a")).click();
        await().atMost(WAIT).until(() -> !browser.findElements(By.cssSelector("[data-person-name]")).isEmpty());
        assertThat(browser.findElement(By.cssSelector("[data-person-name]")).getText()).isEqualTo("李雷");
        await().atMost(WAIT).until(() -> !browser.findElements(By.cssSelector("[data-person-segments] [data-segment] a")).isEmpty());
        assertThat(browser.findElement(By.cssSelector("[data-person-segments] [data-segment] a")).getText()).isEqualTo("杭州 buyers");
        Browser.screenshot(browser, "segments-profile");

        browser.get("http://localhost:" + port + "/p/" + shop.project.id() + "/segments/new?lang=zh-CN");
        await().atMost(WAIT).until(() -> !browser.findElements(By.cssSelector("[data-path='rule'] [data-add-group]")).isEmpty());
        browser.findElement(By.cssSelector("[data-path='rule'] > .rule-actions [data-add-group]")).click();
        condition("rule.all[0].any[0]").findElement(By.cssSelector("[data-field=kind] option[value=stage]")).click();
        await().atMost(WAIT).until(() -> "stage".equals(condition("rule.all[0].any[0]").getAttribute("data-kind")));
        browser.findElement(By.cssSelector("[data-path='rule.all[0]'] > .rule-actions [data-add-condition]")).click();
        condition("rule.all[0].any[1]").findElement(By.cssSelector("[data-field=kind] option[value=rfm]")).click();
        await().atMost(WAIT).until(() -> "rfm".equals(condition("rule.all[0].any[1]").getAttribute("data-kind")));
        awaitCount("1"); // 李雷 has RFM scores; nobody has a lifecycle stage yet
        assertThat(browser.findElement(By.id("rule")).getAttribute("value")).contains("\"any\"").contains("\"stage\"").contains("\"rfm\"");
        Browser.screenshot(browser, "segments-editor-zh");

        // a sequence's steps take property filters as a did condition does
        browser.findElement(By.cssSelector("[data-path='rule'] > .rule-actions [data-add-condition]")).click();
        condition("rule.all[1]").findElement(By.cssSelector("[data-field=kind] option[value=sequence]")).click();
        await().atMost(WAIT).until(() -> "sequence".equals(condition("rule.all[1]").getAttribute("data-kind")));
        condition("rule.all[1].sequence[1]").findElement(By.cssSelector("[data-add-filter]")).click();
        WebElement filter = condition("rule.all[1].sequence[1].where[0]");
        filter.findElement(By.cssSelector("[data-field=property]")).sendKeys("revenue");
        filter.findElement(By.cssSelector("select option[value=gt]")).click();
        condition("rule.all[1].sequence[1].where[0]").findElement(By.cssSelector("[data-field=filter-value]")).sendKeys("100");
        await().atMost(WAIT).until(() -> browser.findElement(By.id("rule")).getAttribute("value").contains("\"100\""));
        String sequenceRule = browser.findElement(By.id("rule")).getAttribute("value").replaceAll("\\s", "");
        assertThat(sequenceRule).contains("\"where\":[{\"property\":\"revenue\",\"operator\":\"gt\",\"value\":\"100\"}]")
                .containsOnlyOnce("\"where\"");
        assertThat(condition("rule.all[1].sequence[0]").findElements(By.cssSelector("[data-path$='.where[0]']"))).as("the first step has none")
                .isEmpty();
        Browser.screenshot(browser, "segments-editor-sequence");

        browser.get(segments);
        List<WebElement> rows = browser.findElements(By.cssSelector("table[data-segments] tbody tr"));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).findElement(By.cssSelector("[data-size]")).getText()).isEqualTo("1");
    }

    private WebElement condition(String path) {
        return browser.findElement(By.cssSelector("[data-path='" + path + "']"));
    }

    private void awaitCount(String count) {
        // the count is drawn again while the rule is edited: an element found may be gone a moment later
        await().atMost(WAIT).ignoreExceptionsInstanceOf(StaleElementReferenceException.class).until(() -> {
            List<WebElement> found = browser.findElements(By.cssSelector("#live-count [data-count]"));
            return !found.isEmpty() && found.get(0).getText().equals(count);
        });
    }

    private void signIn() {
        browser.get("http://localhost:" + port + "/login");
        browser.findElement(By.id("username")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys(TestApplication.ADMIN_PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        await().atMost(WAIT).until(() -> !browser.getCurrentUrl().contains("/login"));
    }
}
