package io.flywheel.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.options;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.flywheel.TestApplication;
import io.flywheel.collect.internal.Ingestion;
import io.flywheel.events.DailyActivity;
import io.flywheel.events.Event;
import io.flywheel.events.EventStore;
import io.flywheel.events.PersonProfile;
import io.flywheel.platform.Project;
import io.flywheel.platform.Projects;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest
@AutoConfigureMockMvc
class TrackingApiTests {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestApplication.embedded(registry);
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    Projects projects;

    @Autowired
    EventStore events;

    @Autowired
    Ingestion ingestion;

    private Project project;

    @BeforeEach
    void newProject() {
        project = projects.create("Tracking " + UUID.randomUUID(), ZoneId.of("UTC"), "test").project();
    }

    private String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((project.writeKey() + ":").getBytes(StandardCharsets.UTF_8));
    }

    private ResultActions send(String path, String body) throws Exception {
        return mvc.perform(post(path).header("Authorization", basic()).contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private List<Event> stored(int expected) {
        await().atMost(Duration.ofSeconds(10)).until(() -> ingestion.lag() == 0 && events.count(project.id()) >= expected);
        return events.latest(project.id(), 1000);
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    @Test
    void trackStoresSegmentFieldsAndOrderData() throws Exception {
        String messageId = id();
        send("/v1/track", """
                {"messageId":"%s","userId":"u-1","event":"Order Completed","timestamp":"2026-03-01T10:00:00Z",
                 "properties":{"order_id":"o-9","revenue":199.5,"currency":"CNY","products":[{"product_id":"p1"}]},
                 "context":{"ip":"10.1.2.3","userAgent":"Mozilla","locale":"zh-CN","library":{"name":"analytics-java"}}}
                """.formatted(messageId))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.success").value(true));

        Event event = stored(1).get(0);
        assertThat(event.messageId()).isEqualTo(messageId);
        assertThat(event.type()).isEqualTo("track");
        assertThat(event.event()).isEqualTo("Order Completed");
        assertThat(event.userId()).isEqualTo("u-1");
        assertThat(event.timestamp()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(event.orderId()).isEqualTo("o-9");
        assertThat(event.revenue()).isEqualTo(199.5);
        assertThat(event.currency()).isEqualTo("CNY");
        assertThat(event.channel()).isNull();
        assertThat(event.properties()).contains("\"products\"");
        assertThat(event.context()).contains("\"userAgent\":\"Mozilla\"").contains("analytics-java");
    }

    @Test
    void pageViewsCarryUtmReferrerAndChannel() throws Exception {
        send("/v1/page", """
                {"anonymousId":"a-1","name":"Home","properties":{"title":"Home"},
                 "context":{"page":{"url":"https://shop.example.com/?utm_source=wechat&utm_medium=social&utm_campaign=spring",
                 "referrer":"https://weixin.qq.com/"}}}""").andExpect(status().isOk());
        send("/v1/p", """
                {"anonymousId":"a-2","context":{"page":{"url":"https://shop.example.com/item?gclid=abc"}}}""").andExpect(status().isOk());
        send("/v1/page", """
                {"anonymousId":"a-3","properties":{"url":"https://shop.example.com/","referrer":"https://www.baidu.com/s?wd=shoes"}}""")
                .andExpect(status().isOk());
        send("/v1/page", """
                {"anonymousId":"a-4","properties":{"url":"https://shop.example.com/"}}""").andExpect(status().isOk());
        send("/v1/page", """
                {"anonymousId":"a-5","properties":{"url":"https://shop.example.com/b","referrer":"https://shop.example.com/a"}}""")
                .andExpect(status().isOk());

        List<Event> stored = stored(5);
        Event wechat = byAnonymous(stored, "a-1");
        assertThat(wechat.event()).isEqualTo("Page Viewed");
        assertThat(wechat.type()).isEqualTo("page");
        assertThat(wechat.utmSource()).isEqualTo("wechat");
        assertThat(wechat.utmMedium()).isEqualTo("social");
        assertThat(wechat.utmCampaign()).isEqualTo("spring");
        assertThat(wechat.referrer()).isEqualTo("https://weixin.qq.com/");
        assertThat(wechat.channel()).isEqualTo("WeChat");
        assertThat(byAnonymous(stored, "a-2").channel()).isEqualTo("SEM");
        assertThat(byAnonymous(stored, "a-3").channel()).isEqualTo("SEO");
        assertThat(byAnonymous(stored, "a-4").channel()).isEqualTo("Direct");
        assertThat(byAnonymous(stored, "a-5").channel()).as("navigation inside the site is no new touch").isNull();
    }

    @Test
    void identifyTraitsAndCampaignVisitsMakeUpThePersonsProfile() throws Exception {
        send("/v1/identify", """
                {"anonymousId":"visitor","userId":"u-42","timestamp":"2026-03-01T09:00:00Z",
                 "traits":{"name":"李雷","email":"lilei@example.com","plan":"free"}}""").andExpect(status().isOk());
        send("/v1/page", """
                {"anonymousId":"visitor","timestamp":"2026-03-01T09:05:00Z",
                 "context":{"page":{"url":"https://shop.example.com/?utm_source=wechat&utm_medium=social&utm_campaign=spring",
                 "referrer":"https://weixin.qq.com/"}}}""").andExpect(status().isOk());
        send("/v1/identify", """
                {"userId":"u-42","timestamp":"2026-03-01T09:10:00Z","traits":{"plan":"pro"}}""").andExpect(status().isOk());
        // a page view from before the others that arrives last still becomes the first touch
        send("/v1/page", """
                {"anonymousId":"visitor","timestamp":"2026-03-01T08:00:00Z",
                 "properties":{"url":"https://shop.example.com/","referrer":"https://www.baidu.com/s?wd=shoes"}}""")
                .andExpect(status().isOk());

        long person = stored(4).get(0).personId();
        PersonProfile profile = events.person(project.id(), person).orElseThrow();

        JsonMapper json = JsonMapper.builder().build();
        assertThat(json.readTree(profile.traits()))
                .isEqualTo(json.readTree("{\"name\":\"李雷\",\"email\":\"lilei@example.com\",\"plan\":\"pro\"}"));
        assertThat(profile.userId()).isEqualTo("u-42");
        assertThat(profile.firstTouch()).isEqualTo(new PersonProfile.Touch("SEO", null, Instant.parse("2026-03-01T08:00:00Z")));
        assertThat(profile.lastTouch()).isEqualTo(new PersonProfile.Touch("WeChat", "spring", Instant.parse("2026-03-01T09:05:00Z")));
        assertThat(profile.firstSeen()).isEqualTo(Instant.parse("2026-03-01T08:00:00Z"));
        assertThat(profile.lastSeen()).isEqualTo(Instant.parse("2026-03-01T09:10:00Z"));
        assertThat(profile.events()).isEqualTo(4);
        assertThat(profile.anonymousIds()).containsExactly("visitor");
        assertThat(profile.userIds()).containsExactly("u-42");
    }

    private static Event byAnonymous(List<Event> stored, String anonymousId) {
        return stored.stream().filter(event -> anonymousId.equals(event.anonymousId())).findFirst().orElseThrow();
    }

    @Test
    void eventTimeIsCorrectedForClientClockSkew() throws Exception {
        // the client's clock is a year behind; the event happened 5 s before it was sent
        send("/v1/track", """
                {"anonymousId":"skew","event":"Clicked","timestamp":"2025-01-01T10:00:00Z","sentAt":"2025-01-01T10:00:05Z"}""")
                .andExpect(status().isOk());
        send("/v1/track", """
                {"anonymousId":"no-time","event":"Clicked"}""").andExpect(status().isOk());

        List<Event> stored = stored(2);
        Event skewed = byAnonymous(stored, "skew");
        assertThat(Duration.between(skewed.timestamp(), skewed.receivedAt())).isEqualTo(Duration.ofSeconds(5));
        Event untimed = byAnonymous(stored, "no-time");
        assertThat(untimed.timestamp()).isEqualTo(untimed.receivedAt());
    }

    @Test
    void theWriteKeyMayComeInTheBodyAndMustBeValid() throws Exception {
        mvc.perform(post("/v1/track").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"writeKey\":\"" + project.writeKey() + "\",\"anonymousId\":\"k\",\"event\":\"E\"}"))
                .andExpect(status().isOk());
        mvc.perform(post("/v1/track").contentType(MediaType.APPLICATION_JSON).content("{\"writeKey\":\"wk_nope\",\"anonymousId\":\"k\",\"event\":\"E\"}"))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        mvc.perform(post("/v1/track").contentType(MediaType.APPLICATION_JSON).content("{\"anonymousId\":\"k\",\"event\":\"E\"}"))
                .andExpect(status().isUnauthorized());
        assertThat(stored(1)).hasSize(1);
    }

    @Test
    void aBatchKeepsGoodMessagesAndReportsEachBadOne() throws Exception {
        send("/v1/batch", """
                {"batch":[
                  {"type":"track","anonymousId":"b","event":"Good 1"},
                  {"type":"track","anonymousId":"b"},
                  {"type":"dance","anonymousId":"b"},
                  {"type":"identify","userId":{"nested":true}},
                  {"type":"page","anonymousId":"b","timestamp":"yesterday"},
                  {"type":"identify","userId":"u-b","traits":{"city":"上海"}},
                  "not an object"
                ]}""")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.accepted").value(2))
                .andExpect(jsonPath("$.rejected.length()").value(5))
                .andExpect(jsonPath("$.rejected[0].index").value(1))
                .andExpect(jsonPath("$.rejected[0].reason").value("event is required for track calls"))
                .andExpect(jsonPath("$.rejected[1].index").value(2))
                .andExpect(jsonPath("$.rejected[2].reason").value("userId must be a string"))
                .andExpect(jsonPath("$.rejected[3].reason").value(org.hamcrest.Matchers.startsWith("timestamp must be")))
                .andExpect(jsonPath("$.rejected[4].index").value(6));

        List<Event> stored = stored(2);
        assertThat(stored).extracting(Event::event).containsExactlyInAnyOrder("Good 1", "Identify");
        assertThat(stored.stream().filter(event -> event.type().equals("identify")).findFirst().orElseThrow().properties())
                .contains("上海");
    }

    @Test
    void badRequestsAreProblemsThatSayWhatIsWrong() throws Exception {
        send("/v1/batch", "{\"batch\":[{\"type\":\"track\"}]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.rejected[0].reason").value("anonymousId or userId is required"));
        send("/v1/track", "{not json").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:flywheel:problem:malformed-request"));
        send("/v1/track", "[1,2]").andExpect(status().isBadRequest());
        send("/v1/batch", "{\"batch\":{}}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("batch must be an array of messages"));
        send("/v1/alias", "{\"userId\":\"u\"}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("alias needs previousId and userId"));
        send("/v1/group", "{\"userId\":\"u\"}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("groupId is required for group calls"));
        send("/v1/track", "{\"anonymousId\":\"x\",\"event\":\"E\",\"properties\":[1]}").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("properties must be a JSON object"));
        mvc.perform(post("/v1/track").header("Authorization", basic()).contentType(MediaType.APPLICATION_XML).content("<a/>"))
                .andExpect(status().isUnsupportedMediaType());
        String big = "x".repeat(33 * 1024);
        send("/v1/track", "{\"anonymousId\":\"x\",\"event\":\"E\",\"properties\":{\"big\":\"" + big + "\"}}")
                .andExpect(status().isPayloadTooLarge());
        StringBuilder batch = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < 20; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"type\":\"track\",\"anonymousId\":\"x\",\"event\":\"E\",\"properties\":{\"p\":\"")
                    .append("y".repeat(30 * 1024)).append("\"}}");
        }
        send("/v1/batch", batch.append("]}").toString()).andExpect(status().isPayloadTooLarge());
        await().atMost(Duration.ofSeconds(5)).until(() -> ingestion.lag() == 0);
        assertThat(events.count(project.id())).isZero();
    }

    @Test
    void gzipBodiesAndBrowserBeaconsAreAccepted() throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            gzip.write("{\"batch\":[{\"type\":\"track\",\"anonymousId\":\"z\",\"event\":\"Zipped\"}]}".getBytes(StandardCharsets.UTF_8));
        }
        mvc.perform(post("/v1/batch").header("Authorization", basic()).header("Content-Encoding", "gzip")
                        .contentType(MediaType.APPLICATION_JSON).content(zipped.toByteArray()))
                .andExpect(status().isOk());
        mvc.perform(post("/v1/t").contentType(MediaType.TEXT_PLAIN)
                        .content("{\"writeKey\":\"" + project.writeKey() + "\",\"anonymousId\":\"z\",\"event\":\"Beacon\"}"))
                .andExpect(status().isOk());
        assertThat(stored(2)).extracting(Event::event).containsExactlyInAnyOrder("Zipped", "Beacon");
    }

    @Test
    void browsersMayCallFromAnyOrigin() throws Exception {
        mvc.perform(options("/v1/batch").header("Origin", "https://shop.example.com")
                        .header("Access-Control-Request-Method", "POST")
                        .header("Access-Control-Request-Headers", "content-type"))
                .andExpect(status().isOk())
                .andExpect(header().string("Access-Control-Allow-Origin", "https://shop.example.com"))
                .andExpect(header().string("Access-Control-Allow-Methods", "POST, OPTIONS"))
                .andExpect(header().string("Access-Control-Allow-Headers", "content-type"))
                .andExpect(header().string("Access-Control-Allow-Credentials", org.hamcrest.Matchers.nullValue()));
        mvc.perform(options("/v1/track").header("Origin", "https://shop.example.com")
                        .header("Access-Control-Request-Method", "POST")
                        .header("Access-Control-Request-Headers", "content-type, x-secret"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.type").value("urn:flywheel:problem:cors-refused"));
        mvc.perform(post("/v1/t").header("Origin", "https://shop.example.com").contentType(MediaType.TEXT_PLAIN)
                        .content("{\"writeKey\":\"" + project.writeKey() + "\",\"anonymousId\":\"o\",\"event\":\"From A Shop\"}"))
                .andExpect(status().isOk())
                .andExpect(header().string("Access-Control-Allow-Origin", "https://shop.example.com"))
                .andExpect(content().json("{\"success\":true}"));
        assertThat(stored(1)).extracting(Event::event).containsExactly("From A Shop");
    }

    @Test
    void unknownCallsAndMethodsAreProblemsToo() throws Exception {
        send("/v1/trak", "{}").andExpect(status().isNotFound())
                .andExpect(header().string("Content-Type", "application/problem+json"))
                .andExpect(jsonPath("$.type").value("urn:flywheel:problem:not-found"))
                .andExpect(jsonPath("$.instance").value("/v1/trak"));
        mvc.perform(get("/v1/track")).andExpect(status().isMethodNotAllowed())
                .andExpect(header().string("Allow", "POST, OPTIONS"))
                .andExpect(jsonPath("$.status").value(405));
        send("/v1/track/extra", "{}").andExpect(status().isNotFound());
    }

    @Test
    void theSourcesPageShowsTheSnippetAndLiveEvents() throws Exception {
        send("/v1/track", "{\"anonymousId\":\"live\",\"event\":\"Seen Live\"}").andExpect(status().isOk());
        stored(1);
        mvc.perform(get("/p/" + project.id() + "/sources").with(user("admin").roles("ADMIN")))
                .andExpect(status().isOk())
                .andExpect(content().string(org.hamcrest.Matchers.containsString("data-write-key=&quot;" + project.writeKey() + "&quot;")))
                .andExpect(content().string(org.hamcrest.Matchers.containsString("Seen Live")));
        mvc.perform(get("/p/" + project.id() + "/sources/live").with(user("admin").roles("ADMIN")))
                .andExpect(status().isOk())
                .andExpect(content().string(org.hamcrest.Matchers.containsString("Seen Live")))
                .andExpect(content().string(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("<html"))));
        mvc.perform(get("/sdk/flywheel.js"))
                .andExpect(status().isOk())
                .andExpect(content().string(org.hamcrest.Matchers.containsString("sendBeacon")));
    }

    @Test
    void operatorsEditChannelRulesAndNewTouchesFollowThem() throws Exception {
        var operator = user("admin").roles("ADMIN");
        mvc.perform(post("/p/" + project.id() + "/sources/channels").with(operator).with(csrf())
                        .param("position", "1", "2").param("channel", "Partners", "")
                        .param("field", "utm_campaign", "utm_source").param("operator", "contains", "equals")
                        .param("values", "partner", ""))
                .andExpect(status().is3xxRedirection());
        mvc.perform(get("/p/" + project.id() + "/sources/channels").with(operator)
                        .param("url", "https://s.com/?utm_source=x&utm_campaign=spring-partner").param("referrer", ""))
                .andExpect(status().isOk())
                .andExpect(content().string(org.hamcrest.Matchers.containsString("Channel: Partners (rule 1")));

        send("/v1/page", "{\"anonymousId\":\"p-1\",\"properties\":{\"url\":\"https://s.com/?utm_campaign=big-partner-day\"}}")
                .andExpect(status().isOk());
        send("/v1/page", "{\"anonymousId\":\"p-2\",\"properties\":{\"url\":\"https://s.com/?utm_source=wechat\"}}")
                .andExpect(status().isOk());
        List<Event> stored = stored(2);
        assertThat(byAnonymous(stored, "p-1").channel()).isEqualTo("Partners");
        assertThat(byAnonymous(stored, "p-2").channel()).as("the custom rules replaced the defaults").isEqualTo("Direct");

        mvc.perform(post("/p/" + project.id() + "/sources/channels").with(operator).with(csrf())
                        .param("position", "1").param("channel", "Broken").param("field", "nowhere").param("operator", "equals")
                        .param("values", "x"))
                .andExpect(status().is3xxRedirection())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash().attribute("error",
                        org.hamcrest.Matchers.startsWith("rule 1:")));
        mvc.perform(post("/p/" + project.id() + "/sources/channels/reset").with(operator).with(csrf()))
                .andExpect(status().is3xxRedirection());
        mvc.perform(get("/p/" + project.id() + "/sources/channels").with(operator).param("url", "https://s.com/?utm_source=wechat"))
                .andExpect(content().string(org.hamcrest.Matchers.containsString("Channel: WeChat")));
    }

    @Test
    void duplicateMessageIdsAreStoredOnce() throws Exception {
        String messageId = id();
        String body = "{\"messageId\":\"" + messageId + "\",\"anonymousId\":\"d\",\"event\":\"Once\"}";
        send("/v1/track", body).andExpect(status().isOk());
        stored(1);
        send("/v1/track", body).andExpect(status().isOk());
        send("/v1/batch", "{\"batch\":[" + body.replace("{\"messageId\"", "{\"type\":\"track\",\"messageId\"") + ","
                + body.replace("{\"messageId\"", "{\"type\":\"track\",\"messageId\"") + "]}").andExpect(status().isOk());
        send("/v1/track", "{\"messageId\":\"" + id() + "\",\"anonymousId\":\"d\",\"event\":\"Other\"}").andExpect(status().isOk());

        List<Event> stored = stored(2);
        assertThat(stored).extracting(Event::event).containsExactlyInAnyOrder("Once", "Other");
    }

    @Test
    void identifyAndAliasMergeAnonymousVisitorsAcrossDevices() throws Exception {
        String day = "2026-04-01T08:00:00Z";
        // device 1 browses anonymously, then signs in
        send("/v1/page", "{\"anonymousId\":\"phone\",\"timestamp\":\"" + day + "\"}").andExpect(status().isOk());
        send("/v1/identify", "{\"anonymousId\":\"phone\",\"userId\":\"alice\",\"timestamp\":\"" + day + "\"}").andExpect(status().isOk());
        // device 2 browses anonymously, then signs in as the same user
        send("/v1/page", "{\"anonymousId\":\"laptop\",\"timestamp\":\"" + day + "\"}").andExpect(status().isOk());
        send("/v1/identify", "{\"anonymousId\":\"laptop\",\"userId\":\"alice\",\"timestamp\":\"" + day + "\"}").andExpect(status().isOk());
        // a later event from device 2 without the user id lands on alice too
        send("/v1/track", "{\"anonymousId\":\"laptop\",\"event\":\"Product Viewed\",\"timestamp\":\"" + day + "\"}").andExpect(status().isOk());
        // an alias chain: old-id -> crm-7 -> alice
        send("/v1/track", "{\"userId\":\"crm-7\",\"event\":\"Ticket Opened\",\"timestamp\":\"" + day + "\"}").andExpect(status().isOk());
        send("/v1/alias", "{\"previousId\":\"crm-7\",\"userId\":\"alice\",\"timestamp\":\"" + day + "\"}").andExpect(status().isOk());
        // somebody else on a shared phone: an identified person is never merged away by identify
        send("/v1/identify", "{\"anonymousId\":\"phone\",\"userId\":\"bob\",\"timestamp\":\"" + day + "\"}").andExpect(status().isOk());

        List<Event> stored = stored(8);
        assertThat(events.dailyActivity(project.id(), ZoneId.of("UTC"), LocalDate.parse("2026-04-01"), LocalDate.parse("2026-04-01")))
                .containsExactly(new DailyActivity(LocalDate.parse("2026-04-01"), 8, 2));
        long bob = stored.stream().filter(event -> "bob".equals(event.userId())).findFirst().orElseThrow().personId();
        long alice = stored.stream().filter(event -> "alice".equals(event.userId()) && event.type().equals("identify"))
                .findFirst().orElseThrow().personId();
        assertThat(bob).isNotEqualTo(alice);

        PersonProfile aliceProfile = events.person(project.id(), alice).orElseThrow();
        assertThat(aliceProfile.events()).isEqualTo(7);
        assertThat(aliceProfile.mergedPersonIds()).hasSize(3);
        assertThat(aliceProfile.anonymousIds()).containsExactly("laptop", "phone");
        assertThat(aliceProfile.userIds()).containsExactly("alice", "crm-7");
        for (long merged : aliceProfile.mergedPersonIds()) {
            assertThat(events.person(project.id(), merged)).contains(aliceProfile);
        }
        PersonProfile bobProfile = events.person(project.id(), bob).orElseThrow();
        assertThat(bobProfile.events()).isEqualTo(1);
        assertThat(bobProfile.userIds()).containsExactly("bob");
        assertThat(bobProfile.anonymousIds()).as("seen on bob's event, though linked to alice").containsExactly("phone");
    }
}
