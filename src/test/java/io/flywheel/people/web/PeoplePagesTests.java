package io.flywheel.people.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.flywheel.TestApplication;
import io.flywheel.events.EventStore;
import io.flywheel.events.IdentityLink;
import io.flywheel.events.PersonMerge;
import io.flywheel.events.PersonQuery;
import io.flywheel.people.PeopleTestData;
import io.flywheel.people.Tag;
import io.flywheel.people.Tags;
import io.flywheel.people.internal.SetSizeStore;
import io.flywheel.platform.AuditEntry;
import io.flywheel.platform.AuditLog;
import io.flywheel.platform.Projects;
import io.flywheel.platform.Users;
import io.flywheel.shared.PageRequest;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The person list and profile pages, trait edits, the JSON export and deletion, and who may do what. */
@SpringBootTest
@AutoConfigureMockMvc
class PeoplePagesTests {

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
    AuditLog audit;

    @Autowired
    JsonMapper json;

    @Autowired
    Tags tags;

    @Autowired
    SetSizeStore sizes;

    private PeopleTestData shop;
    private String base;

    @BeforeEach
    void shop() {
        shop = new PeopleTestData(projects, users, events);
        base = "/p/" + shop.project.id() + "/people";
    }

    private String page(String path, String user) throws Exception {
        return mvc.perform(get(path).with(user(user))).andExpect(status().isOk()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    @Test
    void theListOfATagsMembersChartsTheTagsSizeOverTime() throws Exception {
        Tag vip = tags.create(shop.project, new Tag.Draft("VIP", "", null, null), "test");
        LocalDate yesterday = LocalDate.now(PeopleTestData.SHANGHAI).minusDays(1);
        sizes.record(shop.project.id(), vip.key(), yesterday.atTime(9, 0).atZone(PeopleTestData.SHANGHAI).toInstant(), 2);
        sizes.record(shop.project.id(), vip.key(), yesterday.atTime(21, 0).atZone(PeopleTestData.SHANGHAI).toInstant(), 7);

        String filtered = page(base + "?tag=" + vip.id(), shop.viewer);
        assertThat(filtered).contains("data-tag-sizes").contains("Tag “VIP”: size over time").contains("data-size-chart")
                .contains("/js/size-chart.js")
                // yesterday's last sample; today may have one of the refresher's too
                .contains("{&quot;days&quot;:[&quot;" + yesterday + "&quot;").contains("&quot;sizes&quot;:[7");
        String all = page(base, shop.viewer);
        assertThat(all).doesNotContain("data-tag-sizes").doesNotContain("size-chart.js");
        String chinese = page(base + "?tag=" + vip.id() + "&lang=zh_CN", shop.viewer);
        assertThat(chinese).contains("标签“VIP”人数趋势");
    }

    @Test
    void theListSearchesFiltersSortsAndPages() throws Exception {
        String all = page(base, shop.viewer);
        assertThat(all).contains("59 persons").contains("李雷").contains("杭州").contains("25-34").contains("href=\"" + base + "/1\"");
        assertThat(all).as("a merged person is listed as its root").doesNotContain("data-person=\"2\"");
        assertThat(occurrences(all, "data-person=")).isEqualTo(50);
        assertThat(all.indexOf("data-person=\"1\"")).as("the most recently seen first").isLessThan(all.indexOf("data-person=\"3\""));

        String second = page(base + "?page=1", shop.viewer);
        assertThat(occurrences(second, "data-person=")).isEqualTo(9);
        assertThat(second).contains("Page 2 of 2");

        String byEvents = page(base + "?sort=events&dir=desc", shop.viewer);
        assertThat(byEvents.indexOf("data-person=\"1\"")).isLessThan(byEvents.indexOf("data-person=\"3\""));
        assertThat(byEvents.indexOf("data-person=\"3\"")).isLessThan(byEvents.indexOf("data-person=\"60\""));
        assertThat(page(base + "?sort=events&dir=asc", shop.viewer)).doesNotContain("data-person=\"1\"").contains("data-sort=\"events\"");

        String found = page(base + "?q=U_0003", shop.viewer);
        assertThat(found).contains("1 persons").contains("data-person=\"3\"").contains("上海").doesNotContain("data-person=\"1\"");
        assertThat(page(base + "?channel=WeChat", shop.viewer)).contains("data-person=\"1\"").contains("1 persons");
        assertThat(page(base + "?trait=gender&value=female", shop.viewer)).contains("data-person=\"3\"").contains("1 persons");
        assertThat(page(base + "?q=nobody-at-all", shop.viewer)).contains("data-empty").contains("Nobody matches these filters.");
        String invalid = mvc.perform(get(base).param("trait", "a\"b").param("value", "x").with(user(shop.viewer)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(invalid).contains("class=\"alert error\"").contains("59 persons");
    }

    @Test
    void theListDownloadsAsCsv() throws Exception {
        var response = mvc.perform(get(base + "?q=u_000&format=csv").with(user(shop.viewer)))
                .andExpect(status().isOk()).andReturn().getResponse();
        String csv = response.getContentAsString(StandardCharsets.UTF_8);
        assertThat(response.getContentType()).isEqualTo("text/csv;charset=UTF-8");
        assertThat(response.getHeader("Content-Disposition")).contains("people.csv");
        assertThat(csv).startsWith("\uFEFFperson,name,user id,city,gender,age band,first-touch channel,first seen,last seen,events\r\n");
        assertThat(csv).contains("\r\n1,李雷,u_0001,杭州,male,25-34,WeChat," + shop.day + " 09:00,").contains(",6\r\n");
        assertThat(csv).contains("\r\n3,韩梅梅,u_0003,上海,female,,SEO,");
        assertThat(csv.split("\r\n")).hasSize(3);
    }

    @Test
    void theProfileShowsTheMergedPersonWithActivityRfmAndTimeline() throws Exception {
        String html = page(base + "/2", shop.viewer);
        assertThat(html).as("a merged id shows its root").contains("data-person-name>李雷<");
        assertThat(html).contains("u_0001").contains("<code>a1</code>").contains("<code>a2</code>");
        assertThat(html).contains("data-metric=\"events\">6<").contains("data-metric=\"sessions\">3<").contains("data-metric=\"orders\">2<")
                .contains("1 refunded").contains("data-metric=\"revenue\">300.00<");
        assertThat(html).contains("WeChat / moments · " + shop.day + " 09:00").contains("SEM / spring · " + shop.day + " 10:00");
        assertThat(html).contains("data-rfm-segment>General to win back<");
        assertThat(html).contains("data-trait=\"city\"").contains("杭州").contains("运动");
        assertThat(html).contains("Timeline (6 events)").contains("o1 · 300.00 CNY");
        assertThat(html).as("viewers see no edit form and no delete button").doesNotContain("data-trait-form").doesNotContain("data-delete");

        String orders = mvc.perform(get(base + "/1").param("event", "Order Completed").with(user(shop.viewer)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(orders).contains("Timeline (2 events)");
        String range = page(base + "/1?from=" + shop.day.plusDays(1) + "&to=" + shop.day.plusDays(1), shop.viewer);
        assertThat(range).contains("Timeline (1 events)").contains("Order Refunded");
        assertThat(page(base + "/1?from=tomorrow", shop.viewer)).contains("class=\"alert error\"").contains("Timeline (6 events)");

        String anonymous = page(base + "/60", shop.viewer);
        assertThat(anonymous).contains("No completed orders in the last 90 days.").contains("No traits yet.");
    }

    @Test
    void operatorsEditTraitsAndTheAuditLogNamesTheTraitsOnly() throws Exception {
        assertThat(page(base + "/1", shop.operator)).contains("data-trait-form").contains("data-delete");

        mvc.perform(post(base + "/2/traits").with(user(shop.operator)).with(csrf()).param("key", "city").param("value", "苏州"))
                .andExpect(status().is3xxRedirection());
        mvc.perform(post(base + "/1/traits").with(user(shop.operator)).with(csrf()).param("key", "gender").param("remove", "true"))
                .andExpect(status().is3xxRedirection());

        String html = page(base + "/1", shop.operator);
        assertThat(html).contains("苏州").doesNotContain("data-trait=\"gender\"").contains("data-trait=\"name\"");
        assertThat(events.person(shop.project.id(), 1).orElseThrow().traits()).contains("苏州").doesNotContain("杭州").doesNotContain("gender");
        assertThat(page(base + "?trait=city&value=苏州", shop.viewer)).contains("data-person=\"1\"");

        List<AuditEntry> entries = audit.page(shop.project.id(), new PageRequest(0, 50)).items().stream()
                .filter(entry -> entry.action().equals("person.traits.updated")).toList();
        assertThat(entries).hasSize(2);
        assertThat(entries).extracting(AuditEntry::actor).containsOnly(shop.operator);
        assertThat(entries).extracting(AuditEntry::target).containsOnly("person:1");
        assertThat(entries).extracting(AuditEntry::detail).containsExactly("set: ; removed: gender", "set: city; removed: ");
        assertThat(entries).extracting(AuditEntry::detail).noneMatch(detail -> detail.contains("苏州"));

        mvc.perform(post(base + "/1/traits").with(user(shop.operator)).with(csrf()).param("key", "bad\"key").param("value", "x"))
                .andExpect(status().is3xxRedirection());
        assertThat(audit.page(shop.project.id(), new PageRequest(0, 50)).items())
                .filteredOn(entry -> entry.action().equals("person.traits.updated")).hasSize(2);
    }

    @Test
    void viewersMayNotEditOrDelete() throws Exception {
        mvc.perform(post(base + "/1/traits").with(user(shop.viewer)).with(csrf()).param("key", "city").param("value", "苏州"))
                .andExpect(status().isForbidden());
        mvc.perform(post(base + "/1/delete").with(user(shop.viewer)).with(csrf())).andExpect(status().isForbidden());
        // without a CSRF token
        mvc.perform(post(base + "/1/delete").with(user(shop.operator))).andExpect(status().isForbidden());

        assertThat(events.person(shop.project.id(), 1).orElseThrow().traits()).contains("杭州");
    }

    @Test
    void anotherProjectsPersonIsNotFound() throws Exception {
        mvc.perform(get("/p/" + shop.other.id() + "/people/3").with(user(shop.operator))).andExpect(status().isNotFound());
        mvc.perform(get("/p/" + shop.other.id() + "/people").with(user(shop.viewer))).andExpect(status().isNotFound());
        mvc.perform(get(base + "/999").with(user(shop.viewer))).andExpect(status().isNotFound());
        mvc.perform(post("/p/" + shop.other.id() + "/people/3/delete").with(user(shop.operator)).with(csrf()))
                .andExpect(status().isNotFound());
        assertThat(page("/p/" + shop.other.id() + "/people", shop.operator)).contains("1 persons").contains("北京")
                .doesNotContain("李雷");
    }

    @Test
    void theJsonExportHoldsEverythingAboutThePerson() throws Exception {
        var response = mvc.perform(get(base + "/2/export").with(user(shop.viewer))).andExpect(status().isOk()).andReturn().getResponse();
        assertThat(response.getHeader("Content-Disposition")).contains("person-1.json");
        JsonNode export = json.readTree(response.getContentAsString(StandardCharsets.UTF_8));

        assertThat(export.get("personId").asLong()).isEqualTo(1);
        assertThat(export.get("projectId").asLong()).isEqualTo(shop.project.id());
        assertThat(export.get("mergedPersonIds").toString()).isEqualTo("[2]");
        assertThat(export.get("anonymousIds").toString()).isEqualTo("[\"a1\",\"a2\"]");
        assertThat(export.get("userIds").toString()).isEqualTo("[\"u_0001\"]");
        assertThat(export.get("traits")).isEqualTo(json.readTree(PeopleTestData.TRAITS));
        assertThat(export.get("firstTouch").get("channel").asString()).isEqualTo("WeChat");
        assertThat(export.get("activity").get("orders").asLong()).isEqualTo(2);
        assertThat(export.get("activity").get("revenue").asDouble()).isEqualTo(300.0);
        JsonNode exported = export.get("events");
        assertThat(exported.size()).isEqualTo(6);
        assertThat(exported.get(0).get("anonymousId").asString()).as("oldest first").isEqualTo("a2");
        assertThat(exported.get(0).get("personId").asLong()).isEqualTo(2);
        assertThat(exported.get(2).get("properties")).isEqualTo(json.readTree(PeopleTestData.TRAITS));
        assertThat(exported.get(5).get("event").asString()).isEqualTo("Order Refunded");

        assertThat(audit.page(shop.project.id(), new PageRequest(0, 50)).items())
                .anyMatch(entry -> entry.action().equals("person.exported") && entry.target().equals("person:1")
                        && entry.actor().equals(shop.viewer));
    }

    @Test
    void deletingAPersonLeavesNothingOfItAndOthersUntouched() throws Exception {
        long before = events.count(shop.project.id());
        long otherBefore = events.count(shop.other.id());
        var person3 = events.person(shop.project.id(), 3).orElseThrow();

        mvc.perform(post(base + "/2/delete").with(user(shop.operator)).with(csrf()))
                .andExpect(redirectedUrl(base)).andExpect(flash().attribute("deleted", 1L));

        assertThat(events.person(shop.project.id(), 1)).isEmpty();
        assertThat(events.person(shop.project.id(), 2)).isEmpty();
        assertThat(events.personEvents(shop.project.id(), 1, null, null, null, new PageRequest(0, 10)).total()).isZero();
        assertThat(events.personEvents(shop.project.id(), 2, null, null, null, new PageRequest(0, 10)).total()).isZero();
        assertThat(events.count(shop.project.id())).isEqualTo(before - 6);
        assertThat(events.latest(shop.project.id(), 1000)).noneMatch(event -> event.personId() == 1 || event.personId() == 2
                || "a1".equals(event.anonymousId()) || "a2".equals(event.anonymousId()) || "u_0001".equals(event.userId()));
        List<IdentityLink> links = new ArrayList<>();
        events.identityLinks(link -> {
            if (link.projectId() == shop.project.id()) {
                links.add(link);
            }
        });
        assertThat(links).hasSize(59).noneMatch(link -> link.personId() == 1 || link.personId() == 2);
        List<PersonMerge> merges = new ArrayList<>();
        events.personMerges(merge -> {
            if (merge.projectId() == shop.project.id()) {
                merges.add(merge);
            }
        });
        assertThat(merges).isEmpty();
        for (String id : List.of("a1", "a2", "u_0001", "李雷", "1", "2")) {
            assertThat(events.persons(shop.project.id(), new PersonQuery(id, null, null, null, PersonQuery.Sort.LAST_SEEN, false),
                    new PageRequest(0, 10)).items()).as(id).noneMatch(person -> person.personId() == 1);
        }
        String list = page(base, shop.viewer);
        assertThat(list).contains("58 persons").doesNotContain("李雷");
        mvc.perform(get(base + "/1").with(user(shop.viewer))).andExpect(status().isNotFound());

        assertThat(events.person(shop.project.id(), 3)).contains(person3);
        assertThat(events.count(shop.other.id())).isEqualTo(otherBefore);
        assertThat(events.person(shop.other.id(), 1)).isPresent();
        assertThat(audit.page(shop.project.id(), new PageRequest(0, 50)).items())
                .anyMatch(entry -> entry.action().equals("person.deleted") && entry.target().equals("person:1")
                        && entry.detail().equals("persons: [1, 2]; events: 6; ids: 3") && entry.actor().equals(shop.operator));
    }

    @Test
    void thePagesInChinese() throws Exception {
        String list = mvc.perform(get(base).param("lang", "zh-CN").with(user(shop.viewer)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(list).contains("共 59 人").contains("首次触达渠道").contains(">用户<");
        String profile = mvc.perform(get(base + "/1").param("lang", "zh-CN").with(user(shop.operator)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(profile).contains("行为时间线（6 个事件）").contains("一般挽留用户").contains("删除用户").contains("其中退款 1 单");
    }
}
