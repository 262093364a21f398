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
import io.flywheel.events.EventStore;
import io.flywheel.people.internal.SetSizeStore;
import io.flywheel.platform.AuditEntry;
import io.flywheel.platform.AuditLog;
import io.flywheel.platform.Projects;
import io.flywheel.platform.Users;
import io.flywheel.shared.PageRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Tags and tag groups over the API: manual tags by hand and from a segment, rule tags kept by the refresher, segments on tags. */
@SpringBootTest
@AutoConfigureMockMvc
class TagsApiTests {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestApplication.embedded(registry);
    }

    @TestConfiguration
    static class Recorder {
        final List<Tag.MembershipChanged> changes = new CopyOnWriteArrayList<>();

        @EventListener
        void on(Tag.MembershipChanged change) {
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
    AuditLog audit;

    @Autowired
    JsonMapper json;

    @Autowired
    Recorder recorder;

    @Autowired
    SetSizeStore sizes;

    private PeopleTestData shop;
    private String base;

    @BeforeEach
    void shop() {
        shop = new PeopleTestData(projects, users, events);
        base = "/api/v1/projects/" + shop.project.id();
    }

    private JsonNode send(MockHttpServletRequestBuilder request, String body, ResultMatcher expected) throws Exception {
        String answer = mvc.perform(request.with(httpBasic("admin", TestApplication.ADMIN_PASSWORD)).contentType(MediaType.APPLICATION_JSON)
                .content(body)).andExpect(expected).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        return answer.isEmpty() ? null : json.readTree(answer);
    }

    private JsonNode read(String path) throws Exception {
        return json.readTree(mvc.perform(get(path).with(httpBasic("admin", TestApplication.ADMIN_PASSWORD))).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8));
    }

    private List<Long> members(String tagPath) throws Exception {
        List<Long> ids = new ArrayList<>();
        read(tagPath + "/members").get("items").forEach(item -> ids.add(item.get("personId").asLong()));
        return ids.stream().sorted().toList();
    }

    @Test
    void manualTagsInGroupsByHandAndFromASegment() throws Exception {
        long group = send(post(base + "/tag-groups"), "{\"name\": \"价值\"}", status().isCreated()).get("id").asLong();
        send(post(base + "/tag-groups"), "{\"name\": \"价值\"}", status().isConflict());
        JsonNode vip = send(post(base + "/tags"), "{\"name\": \"VIP\", \"groupId\": " + group + "}", status().isCreated());
        String tag = base + "/tags/" + vip.get("id").asLong();
        assertThat(vip.get("manual").asBoolean()).isTrue();
        assertThat(vip.has("rule")).isFalse();

        JsonNode added = send(post(tag + "/persons"), "{\"personIds\": [2, 3, 99999]}", status().isOk());
        assertThat(added.get("entered").asInt()).isEqualTo(2);
        assertThat(members(tag)).containsExactly(1L, 3L);
        assertThat(recorder.changes).contains(new Tag.MembershipChanged(shop.project.id(), vip.get("id").asLong(), List.of(1L, 3L), List.of()));
        assertThat(send(post(tag + "/persons/remove"), "{\"personIds\": [1]}", status().isOk()).get("exited").asInt()).isEqualTo(1);
        assertThat(members(tag)).containsExactly(3L);
        JsonNode held = read(base + "/persons/3/tags");
        assertThat(held).hasSize(1);
        assertThat(held.get(0).get("name").asString()).isEqualTo("VIP");
        assertThat(held.get(0).get("group").asString()).isEqualTo("价值");
        assertThat(read(base + "/persons/1/tags")).as("removed again").isEmpty();

        long segment = send(post(base + "/segments"), "{\"name\": \"WeChat\", \"rule\": {\"firstTouch\": [\"WeChat\"]}}", status().isCreated())
                .get("id").asLong();
        await().atMost(Duration.ofSeconds(30)).until(() -> read(base + "/segments/" + segment + "/members").get("total").asLong() == 1);
        send(post(tag + "/persons"), "{\"segmentId\": " + segment + "}", status().isOk());
        assertThat(members(tag)).containsExactly(1L, 3L);

        JsonNode listed = read(base + "/tags");
        assertThat(listed.get(0).get("group").asString()).isEqualTo("价值");
        assertThat(listed.get(0).get("size").asLong()).isEqualTo(2);
        List<String> actions = audit.page(shop.project.id(), new PageRequest(0, 100)).items().stream().map(AuditEntry::action).toList();
        assertThat(actions).contains("tag-group.created", "tag.created", "tag.added", "tag.removed");

        send(delete(base + "/tag-groups/" + group), "", status().isNoContent());
        assertThat(read(tag).has("groupId")).isFalse();
    }

    @Test
    void aTagsSizeOverTimeIsTheLastSampleOfEachDay() throws Exception {
        long id = send(post(base + "/tags"), "{\"name\": \"Sampled\"}", status().isCreated()).get("id").asLong();
        LocalDate yesterday = LocalDate.now(PeopleTestData.SHANGHAI).minusDays(1);
        sizes.record(shop.project.id(), "tag:" + id, at(yesterday.minusDays(1), "09:10"), 4);
        sizes.record(shop.project.id(), "tag:" + id, at(yesterday, "10:00"), 3);
        sizes.record(shop.project.id(), "tag:" + id, at(yesterday, "15:30"), 5);
        String tag = base + "/tags/" + id;

        JsonNode days = read(tag + "/sizes?to=" + yesterday);
        assertThat(days.size()).isEqualTo(2);
        assertThat(days.get(0).get("day").asString()).isEqualTo(yesterday.minusDays(1).toString());
        assertThat(days.get(0).get("size").asLong()).isEqualTo(4);
        assertThat(days.get(1).get("day").asString()).isEqualTo(yesterday.toString());
        assertThat(days.get(1).get("size").asLong()).as("the day's last sample").isEqualTo(5);
        assertThat(days.get(1).get("at").asString()).isEqualTo(at(yesterday, "15:00").toString());
        assertThat(read(tag + "/sizes?from=" + yesterday + "&to=" + yesterday).size()).isOne();

        assertThat(send(get(tag + "/sizes?from=yesterday"), "", status().isBadRequest()).get("errors").get(0).get("field").asString())
                .isEqualTo("from");
        assertThat(send(get(tag + "/sizes?from=" + yesterday + "&to=" + yesterday.minusDays(1)), "", status().isBadRequest())
                .get("errors").get(0).get("field").asString()).isEqualTo("to");
        send(get(base + "/tags/999999/sizes"), "", status().isNotFound());
        send(get("/api/v1/projects/" + shop.other.id() + "/tags/" + id + "/sizes"), "", status().isNotFound());
    }

    private static Instant at(LocalDate day, String time) {
        return day.atTime(LocalTime.parse(time)).atZone(PeopleTestData.SHANGHAI).toInstant();
    }

    @Test
    void ruleTagsAreKeptTrueAndSegmentsFollowManualTags() throws Exception {
        JsonNode shanghai = send(post(base + "/tags"), "{\"name\": \"上海\", \"rule\": {\"trait\": \"city\", \"value\": \"上海\"}}",
                status().isCreated());
        String ruleTag = base + "/tags/" + shanghai.get("id").asLong();
        assertThat(shanghai.get("manual").asBoolean()).isFalse();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(members(ruleTag)).containsExactly(3L));
        assertThat(send(post(ruleTag + "/persons"), "{\"personIds\": [1]}", status().isConflict()).get("detail").asString())
                .contains("kept by its rule");

        long vip = send(post(base + "/tags"), "{\"name\": \"VIP\"}", status().isCreated()).get("id").asLong();
        long segment = send(post(base + "/segments"), "{\"name\": \"VIP or 上海\", \"rule\": {\"any\": [{\"tag\": " + vip + "}, {\"tag\": "
                + shanghai.get("id").asLong() + "}]}}", status().isCreated()).get("id").asLong();
        String members = base + "/segments/" + segment + "/members";
        await().atMost(Duration.ofSeconds(30)).until(() -> read(members).get("total").asLong() == 1);

        send(post(base + "/tags/" + vip + "/persons"), "{\"personIds\": [40]}", status().isOk());
        await().atMost(Duration.ofSeconds(30)).until(() -> read(members).get("total").asLong() == 2);

        assertThat(send(delete(base + "/tags/" + vip), "", status().isConflict()).get("detail").asString()).contains("segment:" + segment);
        send(put(ruleTag), "{\"name\": \"上海 or 杭州\", \"rule\": {\"trait\": \"city\", \"operator\": \"in\", \"values\": [\"上海\", \"杭州\"]}}",
                status().isOk());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(members(ruleTag)).containsExactly(1L, 3L));
        await().atMost(Duration.ofSeconds(30)).until(() -> read(members).get("total").asLong() == 3);
        assertThat(send(put(ruleTag), "{\"name\": \"x\", \"rule\": {\"segment\": " + segment + "}}", status().isBadRequest())
                .get("detail").asString()).contains("cycle");
    }
}
