package io.flywheel.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.flywheel.TestApplication;
import io.flywheel.events.Event;
import io.flywheel.events.EventStore;
import io.flywheel.platform.Project;
import io.flywheel.platform.Projects;
import io.flywheel.support.Browser;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A shop page on another origin installs the snippet exactly as the Data sources page shows it; a
 * visitor arriving from a WeChat campaign views the page and a product, and both events reach the
 * event store with the campaign, the WeChat channel and one anonymous id that survives reloads.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SnippetJourneyTests {

    private static final Pattern INSTALL_CODE = Pattern.compile("<pre class=\"code\">(&lt;script .*?)</pre>");
    private static final String CAMPAIGN = "?utm_source=wechat&utm_medium=social&utm_campaign=spring";
    private static final Duration ARRIVAL = Duration.ofSeconds(30);

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

    private HttpServer shop;
    private WebDriver browser;

    @BeforeEach
    void openBrowser() {
        browser = Browser.start();
    }

    @AfterEach
    void closeShopAndBrowser() {
        if (browser != null) {
            browser.quit();
        }
        if (shop != null) {
            shop.stop(0);
        }
    }

    @Test
    void pageViewAndTrackCallFromAnotherSiteReachTheEventStore() throws Exception {
        Project project = projects.create("Snippet Shop " + UUID.randomUUID(), ZoneId.of("Asia/Shanghai"), "test").project();
        String installCode = installCode(project);
        assertThat(installCode).contains("data-write-key=\"" + project.writeKey() + "\"");
        // 127.0.0.1 is another origin than the app's localhost, so every send is a cross-origin request
        String pageUrl = serveShopPage(installCode) + CAMPAIGN;

        JavascriptExecutor page = visit(pageUrl);
        page.executeScript("flywheel.track('Product Viewed', {product_id: 'tea-42', name: 'Longjing Tea', price: 128, currency: 'CNY'});");
        awaitQueueSent(page);

        List<Event> stored = await().atMost(ARRIVAL).until(() -> events.latest(project.id(), 10), arrived -> arrived.size() >= 2);
        assertThat(stored).hasSize(2);
        Event pageView = only(stored, "page");
        Event productViewed = only(stored, "track");
        String anonymousId = (String) page.executeScript("return flywheel.anonymousId();");

        assertThat(pageView.event()).isEqualTo("Page Viewed");
        assertThat(pageView.url()).isEqualTo(pageUrl);
        assertThat(pageView.utmSource()).isEqualTo("wechat");
        assertThat(pageView.utmMedium()).isEqualTo("social");
        assertThat(pageView.utmCampaign()).isEqualTo("spring");
        assertThat(pageView.channel()).isEqualTo("WeChat");
        assertThat(pageView.properties()).contains("\"title\":\"Spring Tea Sale\"").contains("\"path\":\"/spring-sale\"");
        assertThat(pageView.context()).contains("\"name\":\"flywheel.js\"").contains("\"source\":\"wechat\"");

        assertThat(productViewed.event()).isEqualTo("Product Viewed");
        assertThat(productViewed.url()).isEqualTo(pageUrl);
        assertThat(productViewed.utmCampaign()).isEqualTo("spring");
        assertThat(productViewed.channel()).isEqualTo("WeChat");
        assertThat(productViewed.currency()).isEqualTo("CNY");
        assertThat(productViewed.properties()).contains("\"product_id\":\"tea-42\"").contains("\"name\":\"Longjing Tea\"")
                .contains("\"price\":128");

        assertThat(anonymousId).isNotBlank();
        assertThat(pageView.anonymousId()).isEqualTo(anonymousId);
        assertThat(productViewed.anonymousId()).isEqualTo(anonymousId);
        assertThat(pageView.userId()).isNull();
        assertThat(pageView.personId()).isEqualTo(productViewed.personId());
        assertThat(browser.manage().getCookieNamed("fw_aid").getValue()).isEqualTo(anonymousId);
        assertThat(page.executeScript("return localStorage.getItem('fw_aid');")).isEqualTo(anonymousId);
        Browser.screenshot(browser, "snippet-shop-page");

        browser.navigate().refresh();
        assertThat(pageViews(project, 2)).extracting(Event::anonymousId).as("the cookie keeps the visitor after a reload")
                .containsOnly(anonymousId);

        browser.manage().deleteCookieNamed("fw_aid");
        browser.navigate().refresh();
        assertThat(pageViews(project, 3)).extracting(Event::anonymousId).as("localStorage restores the visitor without the cookie")
                .containsOnly(anonymousId);
        assertThat(browser.manage().getCookieNamed("fw_aid").getValue()).isEqualTo(anonymousId);
    }

    @Test
    void aBacklogBiggerThanOneKeepaliveRequestStillArrives() throws Exception {
        Project project = projects.create("Snippet Backlog " + UUID.randomUUID(), ZoneId.of("Asia/Shanghai"), "test").project();
        JavascriptExecutor page = visit(serveShopPage(installCode(project)) + CAMPAIGN);
        // a send takes up to 100 queued messages; while the first goes out the rest pile up behind it
        Object nextSend = page.executeScript("""
                for (let i = 0; i < 150; i++) {
                  flywheel.track('Product Listed', {product_id: 'tea-' + i, name: 'Longjing Tea ' + i, list: 'spring-sale', position: i});
                }
                return new Blob([JSON.stringify(JSON.parse(localStorage.getItem('fw_queue')).slice(20, 120))]).size;""");
        assertThat((Long) nextSend).as("bigger than the 64 KiB browsers allow a keepalive request").isGreaterThan(64 * 1024L);

        awaitQueueSent(page);
        List<Event> stored = await().atMost(ARRIVAL).until(() -> events.latest(project.id(), 200), arrived -> arrived.size() >= 151);
        assertThat(stored).hasSize(151);
        assertThat(stored).filteredOn(event -> event.event().equals("Product Listed")).hasSize(150)
                .extracting(Event::channel).containsOnly("WeChat");
    }

    /** Opens a page and waits until the snippet has loaded (and queued the automatic page view). */
    private JavascriptExecutor visit(String url) {
        browser.get(url);
        JavascriptExecutor page = (JavascriptExecutor) browser;
        await().atMost(ARRIVAL).until(() -> Boolean.TRUE.equals(page.executeScript("return !!(window.flywheel && window.flywheel.loaded);")));
        return page;
    }

    /**
     * The snippet keeps messages in localStorage until it reads a 2xx answer, so an empty queue means
     * the server took them and its CORS headers let the page read the answer.
     */
    private static void awaitQueueSent(JavascriptExecutor page) {
        await().atMost(ARRIVAL).until(() -> page.executeScript("return localStorage.getItem('fw_queue');") == null);
    }

    /** The install code from the project's Data sources page, as a person would copy it. */
    private String installCode(Project project) throws IOException, InterruptedException {
        String credentials = Base64.getEncoder().encodeToString(("admin:" + TestApplication.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/p/" + project.id() + "/sources"))
                .header("Authorization", "Basic " + credentials).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        Matcher code = INSTALL_CODE.matcher(response.body());
        assertThat(code.find()).as("the Data sources page shows the install code").isTrue();
        return code.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&");
    }

    /** Serves a shop page with the install code in its head; returns the page's address. */
    private String serveShopPage(String installCode) throws IOException {
        byte[] html = """
                <!DOCTYPE html>
                <html lang="en">
                <head><meta charset="utf-8"><title>Spring Tea Sale</title>
                %s
                </head>
                <body><h1>Spring Tea Sale</h1><p>Longjing tea, 128 CNY.</p></body>
                </html>
                """.formatted(installCode).getBytes(StandardCharsets.UTF_8);
        shop = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        shop.createContext("/", exchange -> respond(exchange, html));
        shop.start();
        return "http://127.0.0.1:" + shop.getAddress().getPort() + "/spring-sale";
    }

    private static void respond(HttpExchange exchange, byte[] html) throws IOException {
        if (!exchange.getRequestURI().getPath().equals("/spring-sale")) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(200, html.length);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(html);
        }
    }

    private List<Event> pageViews(Project project, int expected) {
        List<Event> pageViews = await().atMost(ARRIVAL).until(
                () -> events.latest(project.id(), 20).stream().filter(event -> event.type().equals("page")).toList(),
                arrived -> arrived.size() >= expected);
        assertThat(pageViews).hasSize(expected);
        return pageViews;
    }

    private static Event only(List<Event> stored, String type) {
        List<Event> ofType = stored.stream().filter(event -> event.type().equals(type)).toList();
        assertThat(ofType).as("events of type %s", type).hasSize(1);
        return ofType.get(0);
    }
}
