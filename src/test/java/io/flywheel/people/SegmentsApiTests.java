package io.flywheel.people;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.flywheel.TestApplication;
import io.flywheel.events.Event;
import io.flywheel.events.EventStore;
import io.flywheel.platform.Projects;
import io.flywheel.platform.Users;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultMatcher;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The segments API with the real engine: CRUD, the live count, members kept current by the
 * refresher (with the published membership changes), CSV export, size history and problem details.
 */
@SpringBootTest
@AutoConfigureMockMvc
class SegmentsApiTests {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestApplication.embedded(registry);
    }

    @TestConfiguration
    static class Recorder {
        final List<Segment.MembershipChanged> changes = new CopyOnWriteArrayList<>();

        @EventListener
        void on(Segment.MembershipChanged change) {
            changes.add(change);
        }
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
    JsonMapper json;

    @Autowired
    Recorder recorder;

    private PeopleTestData shop;
    private String base;

    @BeforeEach
    void shop() {
        shop = new PeopleTestData(projects, users, events);
        base = "/api/v1/projects/" + shop.project.id() + "/segments";
    }

    private static RequestPostProcessor admin() {
        return httpBasic("admin", TestApplication.ADMIN_PASSWORD);
    }

    private JsonNode call(MockHttpServletRequestBuilder request, RequestPostProcessor user, ResultMatcher expected) throws Exception {
        String body = mvc.perform(request.with(user)).andExpect(expected).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        return body.isEmpty() ? null : json.readTree(body);
    }

    private JsonNode send(MockHttpServletRequestBuilder request, String body, ResultMatcher expected) throws Exception {
        return call(request.contentType(MediaType.APPLICATION_JSON).content(body), admin(), expected);
    }

    @Test
    void createsASegmentWhoseMembersFollowTheEvents() throws Exception {
        String rule = "{\"all\": [{\"trait\": \"city\", \"value\": \"杭州\"}, {\"did\": \"Order Completed\", \"atLeast\": 2, \"lastDays\": 30}]}";
        assertThat(send(post(base + "/count"), "{\"rule\": " + rule + "}", status().isOk()).get("count").asLong()).isEqualTo(1);

        JsonNode created = send(post(base), "{\"name\": \"杭州 buyers\", \"description\": \"two orders\", \"rule\": " + rule + "}",
                status().isCreated());
        long id = created.get("id").asLong();
        assertThat(created.get("rule").toString())
                .isEqualTo("{\"all\":[{\"trait\":\"city\",\"operator\":\"equals\",\"value\":\"杭州\"},"
                        + "{\"did\":\"Order Completed\",\"atLeast\":2,\"lastDays\":30}]}");
        assertThat(created.get("createdBy").asString()).isEqualTo("admin");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(call(get(base + "/" + id + "/members"), admin(), status().isOk()).get("total").asLong()).isEqualTo(1));
        JsonNode members = call(get(base + "/" + id + "/members"), admin(), status().isOk());
        assertThat(members.get("items").get(0).get("personId").asLong()).isEqualTo(1);
        assertThat(members.get("items").get(0).get("name").asString()).isEqualTo("李雷");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(recorder.changes)
                .contains(new Segment.MembershipChanged(shop.project.id(), id, List.of(1L), List.of())));

        JsonNode listed = call(get(base), admin(), status().isOk());
        assertThat(listed.size()).isEqualTo(1);
        assertThat(listed.get(0).get("size").asLong()).isEqualTo(1);
        assertThat(listed.get(0).get("refreshedAt").isNull()).isFalse();
        JsonNode sizes = call(get(base + "/" + id + "/sizes"), admin(), status().isOk());
        assertThat(sizes.get(sizes.size() - 1).get("size").asLong()).isEqualTo(1);

        String csv = mvc.perform(get(base + "/" + id + "/members?format=csv").with(admin())).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(csv.lines().toList()).containsExactly("\uFEFFperson_id,user_id,name,city,first_touch_channel,first_seen,last_seen,events",
                csv.lines().toList().get(1));
        assertThat(csv.lines().toList().get(1)).startsWith("1,u_0001,李雷,杭州,WeChat,");

        JsonNode changed = send(put(base + "/" + id), "{\"name\": \"上海\", \"rule\": {\"trait\": \"city\", \"value\": \"上海\"}}", status().isOk());
        assertThat(changed.get("name").asString()).isEqualTo("上海");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                call(get(base + "/" + id + "/members"), admin(), status().isOk()).get("items").get(0).get("personId").asLong()).isEqualTo(3));

        call(delete(base + "/" + id), admin(), status().isNoContent());
        call(get(base + "/" + id), admin(), status().isNotFound());
    }

    @Test
    void badRulesAreProblemDetailsNamingThePath() throws Exception {
        JsonNode problem = send(post(base + "/count"), "{\"rule\": {\"all\": [{\"trait\": \"city\", \"value\": \"x\"}, {\"did\": 3}]}}",
                status().isBadRequest());
        assertThat(problem.get("type").asString()).isEqualTo("urn:flywheel:problem:validation");
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("rule.all[1].did");

        assertThat(send(post(base), "{\"name\": \"x\"}", status().isBadRequest()).get("errors").get(0).get("field").asString())
                .isEqualTo("rule");
        assertThat(send(post(base), "{\"name\": \"x\", \"rule\": {\"segment\": 99999}}", status().isBadRequest())
                .get("errors").get(0).get("field").asString()).isEqualTo("rule");
        JsonNode first = send(post(base), "{\"name\": \"a\", \"rule\": {\"trait\": \"city\", \"value\": \"上海\"}}", status().isCreated());
        send(post(base), "{\"name\": \"a\", \"rule\": {\"trait\": \"city\", \"value\": \"上海\"}}", status().isConflict());
        JsonNode second = send(post(base), "{\"name\": \"b\", \"rule\": {\"segment\": " + first.get("id") + "}}", status().isCreated());
        JsonNode cycle = send(put(base + "/" + first.get("id")), "{\"name\": \"a\", \"rule\": {\"segment\": " + second.get("id") + "}}",
                status().isBadRequest());
        assertThat(cycle.get("detail").asString()).contains("cycle");
        assertThat(call(delete(base + "/" + first.get("id")), admin(), status().isConflict()).get("type").asString())
                .isEqualTo("urn:flywheel:problem:conflict");
    }

    @Test
    void viewersReadOperatorsChangeOtherProjectsAreNotFound() throws Exception {
        String body = "{\"name\": \"v\", \"rule\": {\"stage\": [\"active\"]}}";
        call(post(base).contentType(MediaType.APPLICATION_JSON).content(body), httpBasic(shop.viewer, PeopleTestData.PASSWORD),
                status().isForbidden());
        call(get(base), httpBasic(shop.viewer, PeopleTestData.PASSWORD), status().isOk());
        JsonNode created = call(post(base).contentType(MediaType.APPLICATION_JSON).content(body),
                httpBasic(shop.operator, PeopleTestData.PASSWORD), status().isCreated());
        String other = "/api/v1/projects/" + shop.other.id() + "/segments/" + created.get("id");
        call(get(other), admin(), status().isNotFound());
        call(get("/api/v1/projects/" + shop.other.id() + "/segments"), httpBasic(shop.viewer, PeopleTestData.PASSWORD), status().isNotFound());
    }

    @Test
    void membersFollowNewEventsAndDeletedPersonsLeave() throws Exception {
        String rule = "{\"did\": \"Signed Up\", \"lastDays\": 7}";
        long id = send(post(base), "{\"name\": \"signed up\", \"rule\": " + rule + "}", status().isCreated()).get("id").asLong();
        String members = base + "/" + id + "/members";
        await().atMost(Duration.ofSeconds(30)).until(() -> call(get(base), admin(), status().isOk()).get(0).has("refreshedAt"));
        assertThat(call(get(members), admin(), status().isOk()).get("total").asLong()).isZero();

        Instant now = Instant.now();
        events.append(List.of(
                new Event(shop.project.id(), UUID.randomUUID().toString(), "track", "Signed Up", 5, "a5", null, now,
                        now, null, null, null, null, null, null, null, null, null, "{}", null),
                new Event(shop.project.id(), UUID.randomUUID().toString(), "track", "Signed Up", 2, "a2", null, now,
                        now, null, null, null, null, null, null, null, null, null, "{}", null)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode page = call(get(members), admin(), status().isOk());
            assertThat(page.get("total").asLong()).isEqualTo(2);
            assertThat(List.of(page.get("items").get(0).get("personId").asLong(), page.get("items").get(1).get("personId").asLong()))
                    .as("person 2 is merged into 1").containsExactlyInAnyOrder(1L, 5L);
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(recorder.changes).anySatisfy(change -> {
            assertThat(change.segmentId()).isEqualTo(id);
            assertThat(change.entered()).containsExactlyInAnyOrder(1L, 5L);
        }));

        String persons = "/api/v1/projects/" + shop.project.id() + "/persons/";
        JsonNode ofFive = call(get(persons + "5/segments"), admin(), status().isOk());
        assertThat(ofFive).hasSize(1);
        assertThat(ofFive.get(0).get("id").asLong()).isEqualTo(id);
        assertThat(ofFive.get(0).get("name").asString()).isEqualTo("signed up");
        assertThat(ofFive.get(0).has("since")).isTrue();
        assertThat(call(get(persons + "2/segments"), admin(), status().isOk()).get(0).get("id").asLong())
                .as("a merged person answers its root's segments").isEqualTo(id);
        assertThat(call(get(persons + "3/segments"), admin(), status().isOk())).as("never signed up").isEmpty();
        call(get(persons + "999999/segments"), admin(), status().isNotFound());

        call(delete("/api/v1/projects/" + shop.project.id() + "/persons/5"), admin(), status().isNoContent());
        call(get(persons + "5/segments"), admin(), status().isNotFound());
        assertThat(call(get(members), admin(), status().isOk()).get("total").asLong()).as("a deleted person is nobody's member").isEqualTo(1);
    }
}
