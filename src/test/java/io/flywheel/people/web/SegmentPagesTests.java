package io.flywheel.people.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.flywheel.TestApplication;
import io.flywheel.events.EventStore;
import io.flywheel.people.PeopleTestData;
import io.flywheel.people.Segment;
import io.flywheel.people.Segments;
import io.flywheel.people.Tag;
import io.flywheel.people.Tags;
import io.flywheel.events.EventFilter;
import io.flywheel.events.PersonCondition;
import java.util.List;
import io.flywheel.platform.Projects;
import io.flywheel.platform.Users;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/** The segment pages: list, editor with the live count fragment, saving with errors at their path, the segment page and its CSV. */
@SpringBootTest
@AutoConfigureMockMvc
class SegmentPagesTests {

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
    Segments segments;

    @Autowired
    Tags tags;

    private PeopleTestData shop;
    private String base;

    @BeforeEach
    void shop() {
        shop = new PeopleTestData(projects, users, events);
        base = "/p/" + shop.project.id() + "/segments";
    }

    private String page(String path, String user) throws Exception {
        return mvc.perform(get(path).with(user(user))).andExpect(status().isOk()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
    }

    private String count(String rule) throws Exception {
        return mvc.perform(post(base + "/count").with(user(shop.viewer)).with(csrf()).param("rule", rule)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
    }

    @Test
    void theListIsEmptyAtFirstAndViewersSeeNoNewButton() throws Exception {
        String html = page(base, shop.viewer);
        assertThat(html).contains("data-empty").doesNotContain("data-new-segment");
        assertThat(page(base, shop.operator)).contains("data-new-segment");
        assertThat(page(base + "?lang=zh-CN", shop.operator)).contains("还没有分群");
        mvc.perform(get(base + "/new").with(user(shop.viewer))).andExpect(status().isForbidden());
    }

    @Test
    void theLiveCountAnswersWithTheCountOrTheErrorAndItsPath() throws Exception {
        assertThat(count("{\"all\": [{\"trait\": \"city\", \"value\": \"杭州\"}]}")).contains("data-count").contains(">1<");
        assertThat(count("{\"any\": [{\"did\": \"Page Viewed\"}]}")).contains(">59<");
        String error = count("{\"all\": [{\"trait\": \"city\", \"value\": \"杭州\"}, {\"did\": \"\"}]}");
        assertThat(error).contains("data-count-error").contains("data-error-path=\"rule.all[1].did\"");
        assertThat(count("{\"all\": [")).contains("data-error-path=\"rule\"").contains("not valid JSON");
        assertThat(count("{\"all\": []}")).contains("data-error-path=\"rule.all\"").contains("Add at least one condition");
        String chinese = mvc.perform(post(base + "/count").param("lang", "zh-CN").with(user(shop.viewer)).with(csrf())
                .param("rule", "{\"all\": [{\"did\": \"\"}]}")).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(chinese).contains("请填写此项").contains("data-error-path=\"rule.all[0].did\"");
    }

    @Test
    void aFunnelRuleCountsTheDropOffAfterAStepAndTheBuilderGetsItsWords() throws Exception {
        // 1 (with 2 merged into it) viewed a page and ordered 10 minutes later; 3 and 4..60 only viewed pages
        String funnel = "{\"funnel\": [{\"event\": \"Page Viewed\"}, {\"event\": \"Order Completed\"}], \"within\": \"P1D\", \"lastDays\": 30";
        assertThat(count(funnel + ", \"reached\": 2}")).contains(">1<");
        assertThat(count(funnel + ", \"reached\": 1, \"exactly\": true}")).contains(">58<");
        assertThat(count("{\"all\": [" + funnel + ", \"reached\": 3}]}")).contains("data-error-path=\"rule.all[0].reached\"")
                .contains("Choose a step of the funnel, 1 to 2.");

        String rule = funnel + ", \"reached\": 1, \"exactly\": true}";
        String editor = mvc.perform(get(base + "/new").param("rule", rule).with(user(shop.operator))).andExpect(status().isOk()).andReturn()
                .getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(editor).as("the rule as written back").contains("&quot;funnel&quot; : [ {").contains("&quot;reached&quot; : 1")
                .contains("&quot;exactly&quot; : true").contains("Funnel step reached").contains("reached {0} and not {1}");
        String chinese = mvc.perform(get(base + "/new").param("rule", rule).param("lang", "zh-CN").with(user(shop.operator)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(chinese).contains("漏斗到达步骤").contains("在此步之后流失");
    }

    @Test
    void operatorsSaveASegmentAndSeeItsMembersChartAndCsv() throws Exception {
        String editor = page(base + "/new?rule=" + java.net.URLEncoder.encode("{\"firstTouch\": [\"WeChat\"]}", StandardCharsets.UTF_8),
                shop.operator);
        assertThat(editor).contains("id=\"rule-builder\"").contains("firstTouch").contains("Page Viewed").contains("hx-post");

        String invalid = mvc.perform(post(base).with(user(shop.operator)).with(csrf()).param("name", "WeChat")
                        .param("rule", "{\"all\": [{\"firstTouch\": []}]}"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(invalid).contains("data-form-error").contains("data-error-path=\"rule.all[0].firstTouch\"");

        MvcResult saved = mvc.perform(post(base).with(user(shop.operator)).with(csrf()).param("name", "WeChat 来的人")
                        .param("description", "first touch").param("rule", "{\"firstTouch\": [\"WeChat\"]}"))
                .andExpect(status().is3xxRedirection()).andReturn();
        String location = saved.getResponse().getRedirectedUrl();
        assertThat(location).startsWith(base + "/");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(page(location, shop.viewer)).contains("data-member=\"1\""));
        String html = page(location, shop.viewer);
        assertThat(html).contains("WeChat 来的人").contains("data-size-chart").contains("/people/1\"").doesNotContain("data-edit");
        assertThat(page(base, shop.viewer)).contains("WeChat 来的人").contains("data-segment=");

        String csv = mvc.perform(get(location + "/members.csv").with(user(shop.viewer))).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(csv.split("\r\n")).hasSize(2);
        assertThat(csv.split("\r\n")[1]).startsWith("1,u_0001,李雷,杭州,WeChat,");

        String edit = page(location + "/edit", shop.operator);
        assertThat(edit).contains("WeChat 来的人").contains("name=\"segmentId\"");
        mvc.perform(post(location + "/delete").with(user(shop.operator)).with(csrf())).andExpect(status().is3xxRedirection());
        assertThat(segments.list(shop.project.id())).isEmpty();
    }

    @Test
    void theProfileShowsTagsAndSegmentsAndOperatorsTagByHand() throws Exception {
        Tag vip = tags.create(shop.project, new Tag.Draft("VIP", "", null, null), "test");
        Tag.Group group = tags.createGroup(shop.project, "价值", "test");
        Tag whale = tags.create(shop.project, new Tag.Draft("Whale", "", group.id(), null), "test");
        Segment hangzhou = segments.create(shop.project, new Segment.Draft("杭州", "",
                new PersonCondition.Trait("city", EventFilter.Operator.EQUALS, List.of("杭州"))), "test");
        String people = "/p/" + shop.project.id() + "/people";

        assertThat(page(people + "/1", shop.viewer)).contains("data-person-sets").contains("/people/1/sets");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(page(people + "/2/sets", shop.viewer))
                .contains("data-segment=\"" + hangzhou.id() + "\"").contains("杭州"));
        assertThat(page(people + "/1/sets", shop.viewer)).contains("No tags.").doesNotContain("data-tag-form");
        assertThat(page(people + "/1/sets", shop.operator)).contains("data-tag-form").contains("VIP");

        String tagged = mvc.perform(post(people + "/2/tags").with(user(shop.operator)).with(csrf()).param("tagId", Long.toString(whale.id())))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(tagged).contains("data-tag=\"" + whale.id() + "\"").contains("价值 · ").contains("data-untag");
        mvc.perform(post(people + "/1/tags").with(user(shop.viewer)).with(csrf()).param("tagId", Long.toString(vip.id())))
                .andExpect(status().isForbidden());
        String untagged = mvc.perform(post(people + "/1/tags/" + whale.id() + "/remove").with(user(shop.operator)).with(csrf()))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(untagged).contains("No tags.");
    }

    @Test
    void tagPagesBulkTaggingFromASegmentAndThePersonListFilteredByTagAndStage() throws Exception {
        String tagsPage = "/p/" + shop.project.id() + "/tags";
        assertThat(page(tagsPage, shop.viewer)).contains("data-empty").doesNotContain("data-new-tag");
        mvc.perform(post("/p/" + shop.project.id() + "/tag-groups").with(user(shop.operator)).with(csrf()).param("name", "来源"))
                .andExpect(status().is3xxRedirection());
        mvc.perform(post(tagsPage).with(user(shop.operator)).with(csrf()).param("name", "Seed users"))
                .andExpect(status().is3xxRedirection());
        assertThat(page(tagsPage + "/new", shop.operator)).contains("id=\"rule-builder\"").contains("来源");
        String invalid = mvc.perform(post(tagsPage).with(user(shop.operator)).with(csrf()).param("name", "上海").param("ruled", "true")
                        .param("rule", "{\"trait\": \"city\", \"operator\": \"gt\", \"value\": \"x\"}"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(invalid).contains("data-error-path=\"rule.value\"");
        mvc.perform(post(tagsPage).with(user(shop.operator)).with(csrf()).param("name", "上海").param("ruled", "true")
                .param("rule", "{\"trait\": \"city\", \"value\": \"上海\"}")).andExpect(status().is3xxRedirection());
        String listed = page(tagsPage, shop.viewer);
        assertThat(listed).contains("Seed users").contains("上海").contains("来源");
        Tag seed = tags.list(shop.project.id()).stream().filter(Tag::manual).findFirst().orElseThrow();

        Segment wechat = segments.create(shop.project, new Segment.Draft("WeChat", "", new PersonCondition.Touch(true, java.util.Set.of("WeChat"))),
                "test");
        String segmentPage = "/p/" + shop.project.id() + "/segments/" + wechat.id();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(page(segmentPage, shop.operator)).contains("data-tag-members"));
        mvc.perform(post(segmentPage + "/tag").with(user(shop.operator)).with(csrf()).param("tagId", Long.toString(seed.id())))
                .andExpect(status().is3xxRedirection());

        String people = "/p/" + shop.project.id() + "/people";
        String byTag = page(people + "?tag=" + seed.id(), shop.viewer);
        assertThat(byTag).contains("1 persons").contains("data-person=\"1\"").contains("tag=" + seed.id());
        assertThat(page(people + "?tag=" + seed.id() + "&stage=churned", shop.viewer)).contains("0 persons");
        assertThat(page(people + "?stage=sleepy", shop.viewer)).contains("class=\"alert error\"").contains("59 persons");
        String csv = mvc.perform(get(people + "?format=csv&tag=" + seed.id()).with(user(shop.viewer))).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(csv.split("\r\n")).hasSize(2);
    }

    @Test
    void channelAndRfmReportsLinkToAPrefilledEditor() throws Exception {
        String reports = "/p/" + shop.project.id() + "/reports";
        String channels = page(reports + "/channels", shop.viewer);
        assertThat(channels).contains("data-create-segment").contains("/segments/new?name=WeChat&amp;rule=");
        java.time.LocalDate today = java.time.LocalDate.now(PeopleTestData.SHANGHAI);
        String rfm = page(reports + "/rfm?from=" + today.minusDays(89) + "&to=" + today + "&segment=general_win_back", shop.viewer);
        assertThat(rfm).contains("data-create-segment").contains("general_win_back");
        String editor = page(base + "/new?name=RFM&rule=" + java.net.URLEncoder.encode(
                "{\"rfm\": {\"segments\": [\"general_win_back\"], \"windowDays\": 90}}", StandardCharsets.UTF_8), shop.operator);
        assertThat(editor).contains("general_win_back").contains("value=\"RFM\"");
        assertThat(count("{\"rfm\": {\"segments\": [\"general_win_back\"], \"windowDays\": 90}}")).contains(">1<");
    }

    @Test
    void aRetentionCellLinksToARuleThatCountsTheCellsPersons() throws Exception {
        java.time.LocalDate today = java.time.LocalDate.now(PeopleTestData.SHANGHAI);
        String retention = mvc.perform(get("/p/" + shop.project.id() + "/reports/retention").with(user(shop.viewer))
                        .param("cohortEvent", "Page Viewed").param("period", "day").param("from", today.minusDays(20).toString())
                        .param("to", today.toString()))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(retention).contains("data-create-segment");
        String link = new SegmentLinks().retention(shop.project.id(), PeopleTestData.SHANGHAI, "Page Viewed", "$any", "day",
                today.minusDays(13), 0);
        String rule = java.net.URLDecoder.decode(link.substring(link.indexOf("rule=") + 5), StandardCharsets.UTF_8);
        assertThat(count(rule)).as("persons 4 to 60 first viewed a page thirteen days ago").contains(">57<");
        String later = new SegmentLinks().retention(shop.project.id(), PeopleTestData.SHANGHAI, "Page Viewed", "$any", "day",
                today.minusDays(3), 0);
        assertThat(count(java.net.URLDecoder.decode(later.substring(later.indexOf("rule=") + 5), StandardCharsets.UTF_8))).contains(">2<");
    }

    @Test
    void operatorsTagPersonsSelectedInThePersonList() throws Exception {
        String people = "/p/" + shop.project.id() + "/people";
        assertThat(page(people, shop.operator)).doesNotContain("data-bulk-tag");
        Tag vip = tags.create(shop.project, new Tag.Draft("VIP", "", null, null), "test");
        assertThat(page(people, shop.operator)).contains("data-bulk-tag").contains("form=\"bulk-tag\"");
        assertThat(page(people, shop.viewer)).doesNotContain("data-bulk-tag");

        mvc.perform(post(people + "/tag").with(user(shop.operator)).with(csrf()).param("tagId", Long.toString(vip.id()))
                        .param("personIds", "3", "2", "40"))
                .andExpect(status().is3xxRedirection());
        String tagged = page(people + "?tag=" + vip.id(), shop.viewer);
        assertThat(tagged).contains("3 persons").contains("data-person=\"1\"").contains("data-person=\"3\"").contains("data-person=\"40\"");
        mvc.perform(post(people + "/tag").with(user(shop.viewer)).with(csrf()).param("tagId", Long.toString(vip.id())).param("personIds", "5"))
                .andExpect(status().isForbidden());
    }
}
