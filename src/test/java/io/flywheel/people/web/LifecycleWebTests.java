package io.flywheel.people.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.flywheel.TestApplication;
import io.flywheel.events.Event;
import io.flywheel.events.EventStore;
import io.flywheel.events.LifecycleStage;
import io.flywheel.people.LifecycleStagesChanged;
import io.flywheel.people.PeopleTestData;
import io.flywheel.platform.AuditEntry;
import io.flywheel.platform.AuditLog;
import io.flywheel.platform.Projects;
import io.flywheel.platform.Users;
import io.flywheel.shared.PageRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultMatcher;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The lifecycle API and console page, the profile's stage section, and who may do what. The shop
 * of {@link PeopleTestData}: persons 1 (merged with 2) and 3 were first seen three days ago (new),
 * persons 4 to 60 thirteen days ago (active); 59 persons in all.
 */
@SpringBootTest
@AutoConfigureMockMvc
@RecordApplicationEvents
class LifecycleWebTests {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestApplication.embedded(registry);
        registry.add("flywheel.people.lifecycle.enabled", () -> "false");
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    Projects projects;

    @Autowired
    Users users;

    @Autowired
    EventStore events;

    @Autowired
    AuditLog audit;

    @Autowired
    JsonMapper json;

    @Autowired
    ApplicationEvents published;

    private PeopleTestData shop;
    private String api;
    private String page;

    @BeforeEach
    void shop() {
        shop = new PeopleTestData(projects, users, events);
        api = "/api/v1/projects/" + shop.project.id();
        page = "/p/" + shop.project.id() + "/lifecycle";
    }

    private static RequestPostProcessor basic(String user) {
        return httpBasic(user, user.equals("admin") ? TestApplication.ADMIN_PASSWORD : PeopleTestData.PASSWORD);
    }

    private JsonNode call(MockHttpServletRequestBuilder request, String user, ResultMatcher expected) throws Exception {
        String body = mvc.perform(request.with(basic(user))).andExpect(expected).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        return body.isEmpty() ? null : json.readTree(body);
    }

    private String html(String path, String user) throws Exception {
        return mvc.perform(get(path).with(user(user))).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
    }

    @Test
    void theApiRecomputesAndAnswersSizesHistoryAndAPersonsStage() throws Exception {
        JsonNode before = call(get(api + "/lifecycle"), shop.viewer, status().isOk());
        assertThat(before.has("lastComputedAt")).isFalse();
        assertThat(before.get("persons").asLong()).isZero();
        assertThat(before.get("thresholds").toString()).isEqualTo("{\"newDays\":7,\"atRiskDays\":14,\"dormantDays\":30,\"churnedDays\":90}");

        JsonNode run = call(post(api + "/lifecycle/recompute"), shop.operator, status().isOk());
        assertThat(run.get("first").asBoolean()).isTrue();
        assertThat(run.get("persons").asLong()).isEqualTo(59);
        assertThat(run.get("sizes").toString()).isEqualTo(
                "{\"new\":2,\"active\":57,\"at_risk\":0,\"dormant\":0,\"churned\":0,\"reactivated\":0}");

        JsonNode after = call(get(api + "/lifecycle"), shop.viewer, status().isOk());
        assertThat(after.get("sizes")).isEqualTo(run.get("sizes"));
        assertThat(after.get("lastComputedAt").asString()).isEqualTo(run.get("computedAt").asString());

        JsonNode person = call(get(api + "/persons/2/stages"), shop.viewer, status().isOk());
        assertThat(person.get("personId").asLong()).as("a merged id answers its root").isEqualTo(1);
        assertThat(person.get("stage").asString()).isEqualTo("new");
        assertThat(person.get("since").asString()).startsWith(shop.day.toString());
        assertThat(person.get("transitions")).isEmpty();
        call(get(api + "/persons/999/stages"), shop.viewer, status().isNotFound());

        LocalDate today = LocalDate.now(PeopleTestData.SHANGHAI);
        JsonNode history = call(get(api + "/lifecycle/history").param("from", today.minusDays(11).toString())
                .param("to", today.toString()), shop.viewer, status().isOk());
        assertThat(history.get("days")).hasSize(12);
        assertThat(history.get("days").get(0).get("sizes").get("new").asLong()).as("persons 4 to 60 were first seen that day").isEqualTo(57);
        assertThat(history.get("days").get(11).get("sizes").get("active").asLong()).isEqualTo(57);
        assertThat(history.get("flows").toString()).contains("{\"from\":\"new\",\"to\":\"active\",\"persons\":57}")
                .contains("{\"to\":\"new\",\"persons\":2}");
        assertThat(call(get(api + "/lifecycle/history"), shop.viewer, status().isOk()).get("days")).hasSize(30);

        JsonNode bad = call(get(api + "/lifecycle/history").param("from", "2026-02-30"), shop.viewer, status().isBadRequest());
        assertThat(bad.get("type").asString()).isEqualTo("urn:flywheel:problem:validation");
        assertThat(bad.get("errors").get(0).get("field").asString()).isEqualTo("from");
        call(get(api + "/lifecycle/history").param("from", "2025-01-01").param("to", "2026-11-01"), shop.viewer, status().isBadRequest());
        call(get(api + "/lifecycle/history").param("from", "2026-11-02").param("to", "2026-11-01"), shop.viewer, status().isBadRequest());
    }

    @Test
    void aRecomputeThatMovesPersonsPublishesOneBatch() throws Exception {
        call(post(api + "/lifecycle/recompute"), shop.operator, status().isOk());
        Instant now = Instant.now();
        events.append(List.of(new Event(shop.project.id(), UUID.randomUUID().toString(), "track", "Signed Up", 500, "a500", null, now, now,
                null, null, null, null, null, null, null, null, null, "{}", "{}")));
        JsonNode run = call(post(api + "/lifecycle/recompute"), shop.operator, status().isOk());

        assertThat(run.get("transitions").asInt()).isEqualTo(1);
        List<LifecycleStagesChanged> changes = published.stream(LifecycleStagesChanged.class).toList();
        assertThat(changes).hasSize(1);
        assertThat(changes.get(0).projectId()).isEqualTo(shop.project.id());
        assertThat(changes.get(0).transitions()).singleElement().satisfies(transition -> {
            assertThat(transition.personId()).isEqualTo(500);
            assertThat(transition.from()).isNull();
            assertThat(transition.to()).isEqualTo(LifecycleStage.NEW);
        });
        JsonNode person = call(get(api + "/persons/500/stages"), shop.viewer, status().isOk());
        assertThat(person.get("transitions").toString()).contains("\"to\":\"new\"");
    }

    @Test
    void thresholdsAreValidatedAuditedAndOnlyOperatorsChangeThem() throws Exception {
        String body = "{\"newDays\":3,\"atRiskDays\":10,\"dormantDays\":20,\"churnedDays\":60}";
        call(put(api + "/lifecycle/thresholds").contentType(MediaType.APPLICATION_JSON).content(body), shop.viewer, status().isForbidden());
        call(post(api + "/lifecycle/recompute"), shop.viewer, status().isForbidden());
        JsonNode saved = call(put(api + "/lifecycle/thresholds").contentType(MediaType.APPLICATION_JSON).content(body), shop.operator,
                status().isOk());
        assertThat(saved.toString()).isEqualTo(body);
        assertThat(call(get(api + "/lifecycle"), shop.viewer, status().isOk()).get("thresholds").toString()).isEqualTo(body);

        JsonNode invalid = call(put(api + "/lifecycle/thresholds").contentType(MediaType.APPLICATION_JSON)
                .content("{\"newDays\":3,\"atRiskDays\":20,\"dormantDays\":20,\"churnedDays\":60}"), shop.operator, status().isBadRequest());
        assertThat(invalid.get("errors").get(0).get("field").asString()).isEqualTo("dormantDays");
        JsonNode missing = call(put(api + "/lifecycle/thresholds").contentType(MediaType.APPLICATION_JSON).content("{\"newDays\":3}"),
                shop.operator, status().isBadRequest());
        assertThat(missing.get("errors").get(0).get("field").asString()).isEqualTo("atRiskDays");

        List<AuditEntry> entries = audit.page(shop.project.id(), new PageRequest(0, 20)).items();
        assertThat(entries).filteredOn(entry -> entry.action().equals("lifecycle.thresholds.updated")).singleElement()
                .satisfies(entry -> assertThat(entry.detail()).contains("new 3d, at-risk 10d, dormant 20d, churned 60d"));

        call(get("/api/v1/projects/" + shop.other.id() + "/lifecycle"), shop.viewer, status().isNotFound());
    }

    @Test
    void thePageShowsStagesChartsAndFlowsAndOperatorsRecomputeAndEditThresholds() throws Exception {
        String empty = html(page, shop.viewer);
        assertThat(empty).contains("data-empty").contains("Not computed yet").doesNotContain("data-recompute").doesNotContain("data-thresholds");

        mvc.perform(post(page + "/recompute").with(user(shop.viewer)).with(csrf())).andExpect(status().isForbidden());
        mvc.perform(post(page + "/recompute").with(user(shop.operator)).with(csrf()))
                .andExpect(redirectedUrl(page)).andExpect(flash().attribute("recomputed", 0));

        String computed = html(page, shop.operator);
        assertThat(computed).contains("data-stage=\"new\"").contains("data-stage=\"active\"").contains(">57<").contains("data-recompute")
                .contains("data-lifecycle-chart=\"area\"").contains("data-lifecycle-chart=\"sankey\"").contains("data-flow=\"appeared-active\"")
                .contains("data-thresholds").contains("/js/lifecycle.js");
        String chinese = html(page + "?lang=zh-CN", shop.viewer);
        assertThat(chinese).contains("用户生命周期").contains("新用户").contains("活跃");

        mvc.perform(post(page + "/thresholds").param("newDays", "7").param("atRiskDays", "40").param("dormantDays", "30")
                .param("churnedDays", "90").with(user(shop.operator)).with(csrf()))
                .andExpect(redirectedUrl(page)).andExpect(flash().attribute("thresholdsError", "Dormant must be more days than at risk, and at most 3650."));
        mvc.perform(post(page + "/thresholds").param("newDays", "7").param("atRiskDays", "10").param("dormantDays", "30")
                .param("churnedDays", "90").with(user(shop.operator)).with(csrf()))
                .andExpect(redirectedUrl(page)).andExpect(flash().attribute("saved", true));
        assertThat(html(page, shop.viewer)).contains("no activity for 10, 30, 90 days");
        assertThat(html(page + "?from=2026-13-01", shop.viewer)).contains("class=\"alert error\"");
    }

    @Test
    void theProfileLoadsItsStageSection() throws Exception {
        String profile = html("/p/" + shop.project.id() + "/people/1", shop.viewer);
        assertThat(profile).contains("hx-get=\"/p/" + shop.project.id() + "/people/1/stage\"");
        assertThat(html("/p/" + shop.project.id() + "/people/1/stage", shop.viewer)).contains("data-person-stage")
                .contains("Stages have not been computed yet.");

        mvc.perform(post(page + "/recompute").with(user(shop.operator)).with(csrf()));
        String stage = html("/p/" + shop.project.id() + "/people/2/stage", shop.viewer);
        assertThat(stage).contains("data-stage=\"new\"").contains("since " + shop.day).contains("No stage changes recorded yet.");
        mvc.perform(get("/p/" + shop.project.id() + "/people/999/stage").with(user(shop.viewer))).andExpect(status().isNotFound());
    }
}
