package io.flywheel.people;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.flywheel.TestApplication;
import io.flywheel.collect.internal.Ingestion;
import io.flywheel.events.EventStore;
import io.flywheel.events.IdentityLink;
import io.flywheel.events.PersonQuery;
import io.flywheel.events.PersonSummary;
import io.flywheel.platform.Projects;
import io.flywheel.platform.Users;
import io.flywheel.shared.PageRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultMatcher;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The persons API: list, profile, events, trait patches, export and deletion, with problem details for errors. */
@SpringBootTest
@AutoConfigureMockMvc
class PeopleApiTests {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestApplication.embedded(registry);
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
    Ingestion ingestion;

    @Autowired
    JsonMapper json;

    private PeopleTestData shop;
    private String base;

    @BeforeEach
    void shop() {
        shop = new PeopleTestData(projects, users, events);
        base = "/api/v1/projects/" + shop.project.id() + "/persons";
    }

    private static RequestPostProcessor admin() {
        return httpBasic("admin", TestApplication.ADMIN_PASSWORD);
    }

    private JsonNode call(MockHttpServletRequestBuilder request, RequestPostProcessor user, ResultMatcher expected) throws Exception {
        String body = mvc.perform(request.with(user)).andExpect(expected).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        return body.isEmpty() ? null : json.readTree(body);
    }

    private JsonNode get200(String path) throws Exception {
        return call(get(path), admin(), status().isOk());
    }

    @Test
    void listsWithFiltersSortAndPaging() throws Exception {
        JsonNode all = get200(base + "?size=10");
        assertThat(all.get("total").asLong()).isEqualTo(59);
        assertThat(all.get("size").asInt()).isEqualTo(10);
        assertThat(all.get("items").size()).isEqualTo(10);
        JsonNode first = all.get("items").get(0);
        assertThat(first.get("personId").asLong()).isEqualTo(1);
        assertThat(first.get("name").asString()).isEqualTo("李雷");
        assertThat(first.get("city").asString()).isEqualTo("杭州");
        assertThat(first.get("channel").asString()).isEqualTo("WeChat");
        assertThat(first.get("events").asLong()).isEqualTo(6);

        JsonNode last = get200(base + "?size=10&page=5");
        assertThat(last.get("items").size()).isEqualTo(9);

        JsonNode byEvents = get200(base + "?sort=events&order=asc&size=500");
        assertThat(byEvents.get("items").get(58).get("personId").asLong()).isEqualTo(1);
        assertThat(get200(base + "?q=u_0003").get("items").get(0).get("gender").asString()).isEqualTo("female");
        assertThat(get200(base + "?channel=SEO").get("total").asLong()).isEqualTo(1);
        assertThat(get200(base + "?channel=$none").get("total").asLong()).isZero();
        assertThat(get200(base + "?trait=city&value=杭州").get("items").get(0).get("personId").asLong()).isEqualTo(1);

        JsonNode problem = call(get(base + "?sort=name"), admin(), status().isBadRequest());
        assertThat(problem.get("type").asString()).isEqualTo("urn:flywheel:problem:validation");
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("sort");
        assertThat(call(get(base).param("trait", "a\"b").param("value", "1"), admin(), status().isBadRequest()).get("errors").get(0).get("field").asString())
                .isEqualTo("trait");
    }

    @Test
    void aPersonItsEventsAndItsExport() throws Exception {
        JsonNode person = get200(base + "/2");
        assertThat(person.get("personId").asLong()).isEqualTo(1);
        assertThat(person.get("mergedPersonIds").toString()).isEqualTo("[2]");
        assertThat(person.get("traits").get("interests").toString()).isEqualTo("[\"运动\",\"数码\"]");
        assertThat(person.get("activity").get("sessions").asLong()).isEqualTo(3);
        assertThat(person.get("activity").get("refundedOrders").asLong()).isEqualTo(1);
        assertThat(person.get("rfm").get("monetary").asDouble()).isEqualTo(300.0);
        assertThat(person.get("rfmSegment").asString()).isEqualTo("general_win_back");
        assertThat(person.get("lastTouch").get("channel").asString()).isEqualTo("SEM");

        JsonNode orders = call(get(base + "/1/events").param("event", "Order Completed").param("size", "1"), admin(), status().isOk());
        assertThat(orders.get("total").asLong()).isEqualTo(2);
        assertThat(orders.get("items").get(0).get("orderId").asString()).isEqualTo("o2");
        assertThat(orders.get("items").get(0).get("properties").get("revenue").asInt()).isEqualTo(100);
        JsonNode day = get200(base + "/1/events?from=" + shop.day + "&to=" + shop.day);
        assertThat(day.get("total").asLong()).isEqualTo(5);
        assertThat(call(get(base + "/1/events?from=" + shop.day + "&to=" + shop.day.minusDays(1)), admin(), status().isBadRequest())
                .get("errors").get(0).get("field").asString()).isEqualTo("to");

        JsonNode export = get200(base + "/1/export");
        assertThat(export.get("events").size()).isEqualTo(6);
        assertThat(export.get("userIds").toString()).isEqualTo("[\"u_0001\"]");
    }

    @Test
    void anotherProjectsPersonIsNotFound() throws Exception {
        JsonNode problem = call(get(base + "/999"), admin(), status().isNotFound());
        assertThat(problem.get("type").asString()).isEqualTo("urn:flywheel:problem:not-found");
        call(get("/api/v1/projects/" + shop.other.id() + "/persons/3"), admin(), status().isNotFound());
        call(get("/api/v1/projects/" + shop.other.id() + "/persons"), httpBasic(shop.viewer, PeopleTestData.PASSWORD), status().isNotFound());
        call(delete("/api/v1/projects/" + shop.other.id() + "/persons/3"), admin(), status().isNotFound());
        assertThat(events.person(shop.project.id(), 3)).isPresent();
    }

    @Test
    void operatorsPatchTraitsViewersMayNot() throws Exception {
        JsonNode denied = call(patch(base + "/1/traits").contentType(MediaType.APPLICATION_JSON).content("{\"city\":\"苏州\"}"),
                httpBasic(shop.viewer, PeopleTestData.PASSWORD), status().isForbidden());
        assertThat(denied.get("type").asString()).isEqualTo("urn:flywheel:problem:forbidden");
        call(delete(base + "/1"), httpBasic(shop.viewer, PeopleTestData.PASSWORD), status().isForbidden());

        JsonNode patched = call(patch(base + "/2/traits").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"city\":\"苏州\",\"age_band\":null,\"vip\":true,\"address\":{\"street\":\"西湖路\"}}"),
                httpBasic(shop.operator, PeopleTestData.PASSWORD), status().isOk());
        JsonNode traits = patched.get("traits");
        assertThat(traits.get("city").asString()).isEqualTo("苏州");
        assertThat(traits.has("age_band")).isFalse();
        assertThat(traits.get("vip").asBoolean()).isTrue();
        assertThat(traits.get("address").get("street").asString()).isEqualTo("西湖路");
        assertThat(traits.get("name").asString()).isEqualTo("李雷");

        JsonNode invalid = call(patch(base + "/1/traits").contentType(MediaType.APPLICATION_JSON).content("{}"),
                httpBasic(shop.operator, PeopleTestData.PASSWORD), status().isBadRequest());
        assertThat(invalid.get("errors").get(0).get("field").asString()).isEqualTo("traits");
        call(patch(base + "/1/traits").contentType(MediaType.APPLICATION_JSON).content("[1]"),
                httpBasic(shop.operator, PeopleTestData.PASSWORD), status().isBadRequest());
    }

    @Test
    void deletingOverTheApiLeavesNothingAndAnswersNotFoundAfterwards() throws Exception {
        call(delete(base + "/1"), admin(), status().isNoContent());

        call(get(base + "/1"), admin(), status().isNotFound());
        call(get(base + "/2"), admin(), status().isNotFound());
        call(get(base + "/1/export"), admin(), status().isNotFound());
        call(delete(base + "/1"), admin(), status().isNotFound());
        assertThat(get200(base + "?q=u_0001").get("total").asLong()).isZero();
        assertThat(get200(base).get("total").asLong()).isEqualTo(58);
        assertThat(get200(base + "/3").get("events").asLong()).isEqualTo(3);
    }

    @Test
    void idsOfADeletedPersonStartANewPersonWhenTheyAreTrackedAgain() throws Exception {
        var project = projects.create("Tracked " + shop.operator, PeopleTestData.SHANGHAI, "test").project();
        String writeKey = "Basic " + Base64.getEncoder().encodeToString((project.writeKey() + ":").getBytes(StandardCharsets.UTF_8));
        String batch = """
                {"batch":[
                  {"type":"page","anonymousId":"device-1","name":"Home"},
                  {"type":"identify","anonymousId":"device-1","userId":"buyer-1","traits":{"city":"杭州"}},
                  {"type":"track","userId":"buyer-1","event":"Order Completed","properties":{"order_id":"t1","revenue":50}}]}""";
        mvc.perform(post("/v1/batch").header("Authorization", writeKey).contentType(MediaType.APPLICATION_JSON).content(batch))
                .andExpect(status().isOk());
        await().atMost(Duration.ofSeconds(10)).until(() -> ingestion.lag() == 0 && events.count(project.id()) == 3);
        PersonSummary buyer = events.persons(project.id(), PersonQuery.everyone(), new PageRequest(0, 10)).items().get(0);
        var profile = events.person(project.id(), buyer.personId()).orElseThrow();
        assertThat(profile.mergedPersonIds()).as("the anonymous device merged into the buyer").hasSize(1);
        long highest = Math.max(profile.personId(), profile.mergedPersonIds().get(0));

        call(delete("/api/v1/projects/" + project.id() + "/persons/" + buyer.personId()), admin(), status().isNoContent());
        assertThat(events.count(project.id())).isZero();

        String again = """
                {"batch":[
                  {"type":"page","anonymousId":"device-1","name":"Home"},
                  {"type":"track","userId":"buyer-1","event":"Product Viewed"}]}""";
        mvc.perform(post("/v1/batch").header("Authorization", writeKey).contentType(MediaType.APPLICATION_JSON).content(again))
                .andExpect(status().isOk());
        await().atMost(Duration.ofSeconds(10)).until(() -> ingestion.lag() == 0 && events.count(project.id()) == 2);

        assertThat(events.person(project.id(), profile.personId())).as("the deleted person stays deleted").isEmpty();
        assertThat(events.person(project.id(), profile.mergedPersonIds().get(0))).isEmpty();
        List<PersonSummary> now = events.persons(project.id(), PersonQuery.everyone(), new PageRequest(0, 10)).items();
        assertThat(now).hasSize(2).allMatch(person -> person.personId() > highest);
        assertThat(now).allMatch(person -> person.traits().equals("{}"));
        List<IdentityLink> links = new ArrayList<>();
        events.identityLinks(link -> {
            if (link.projectId() == project.id()) {
                links.add(link);
            }
        });
        assertThat(links).extracting(IdentityLink::distinctId).containsExactlyInAnyOrder("device-1", "buyer-1");
        assertThat(links).allMatch(link -> link.personId() > highest);
    }
}
