package io.flywheel.analytics.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.flywheel.TestApplication;
import io.flywheel.analytics.Growth;
import io.flywheel.events.Event;
import io.flywheel.events.EventStore;
import io.flywheel.platform.Project;
import io.flywheel.platform.Projects;
import io.flywheel.platform.Role;
import io.flywheel.platform.Users;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/** The daily board, AARRR, channel quality and RFM pages, their CSV downloads and who may change what. */
@SpringBootTest
@AutoConfigureMockMvc
class GrowthPagesTests {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final String PASSWORD = "growth-pages-password";

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
    Users users;

    @Autowired
    Growth growth;

    private Project project;
    private Project other;
    private String viewer;
    private String operator;

    private Event event(long person, String type, String name, String local, String channel, String orderId, Double revenue, String properties) {
        var at = LocalDateTime.parse(local).atZone(SHANGHAI).toInstant();
        return new Event(project.id(), UUID.randomUUID().toString(), type, name, person, "a" + person, person == 1 ? "u_0001" : null, at, at,
                null, null, null, null, null, channel, orderId, revenue, "CNY", properties, null);
    }

    @BeforeEach
    void shop() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        project = projects.create("Pages " + suffix, SHANGHAI, "test").project();
        other = projects.create("Other " + suffix, SHANGHAI, "test").project();
        viewer = "gv-" + suffix;
        operator = "go-" + suffix;
        users.create(viewer, "Viewer", PASSWORD, Role.VIEWER, Set.of(project.id()), "test");
        users.create(operator, "Operator", PASSWORD, Role.OPERATOR, Set.of(project.id()), "test");
        events.append(List.of(
                event(1, "page", "Page Viewed", "2026-03-02T10:00", "SEM", null, null, "{}"),
                event(1, "track", "Product Viewed", "2026-03-02T10:01", null, null, null, "{\"name\":\"纯棉T恤\"}"),
                event(1, "track", "Product Added", "2026-03-02T10:02", null, null, null, "{\"name\":\"纯棉T恤\"}"),
                event(1, "track", "Order Completed", "2026-03-02T10:10", null, "o1", 300.0, "{}"),
                event(2, "page", "Page Viewed", "2026-03-02T11:00", "SEO", null, null, "{}"),
                event(2, "track", "Product Viewed", "2026-03-02T11:01", null, null, null, "{\"name\":\"咖啡豆\"}"),
                event(3, "page", "Page Viewed", "2026-02-23T11:00", "SEO", null, null, "{}")));
    }

    private String page(String path, String user) throws Exception {
        return mvc.perform(get(path).with(user(user))).andExpect(status().isOk()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
    }

    @Test
    void theDailyBoardComparesADayWithTheDayBeforeAndLastWeek() throws Exception {
        String html = page("/p/" + project.id() + "/reports/board?day=2026-03-02", viewer);
        assertThat(html).contains("data-metric=\"gmv\"").contains("300.00").contains("纯棉T恤").contains("咖啡豆").contains("data-growth-chart=\"board\"");

        var csv = mvc.perform(get("/p/" + project.id() + "/reports/board?day=2026-03-02&format=csv").with(user(viewer)))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Type", "text/csv;charset=UTF-8"))
                .andReturn().getResponse();
        String text = csv.getContentAsString(StandardCharsets.UTF_8);
        assertThat(text).startsWith("\uFEFFsection,figure,2026-03-02,2026-03-01,2026-02-23");
        assertThat(text).contains("transaction,gmv,300,0,0").contains("marketing,newPersons,2,0,1").contains("new persons by channel,SEM,1,0,0");
        assertThat(csv.getHeader("Content-Disposition")).contains("daily-board-2026-03-02.csv");
    }

    @Test
    void aBadDateIsShownOnThePage() throws Exception {
        String html = page("/p/" + project.id() + "/reports/channels?from=2026-02-30&to=2026-03-31", viewer);
        assertThat(html).contains("class=\"alert error\"").contains("2026-02-30");
        assertThat(page("/p/" + project.id() + "/reports/board?day=yesterday", viewer)).contains("class=\"alert error\"");
    }

    @Test
    void errorsAreExplainedInTheReadersLanguage() throws Exception {
        String channels = mvc.perform(get("/p/" + project.id() + "/reports/channels?from=2026-02-30&to=2026-03-31").param("lang", "zh-CN")
                        .with(user(viewer)))
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(channels).contains("“2026-02-30”不是有效日期");
        String trends = mvc.perform(get("/p/" + project.id() + "/reports/trends?from=2026-03-05&to=2026-03-01").param("lang", "zh-CN")
                        .with(user(viewer)))
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(trends).contains("结束日期 2026-03-01 早于开始日期 2026-03-05");
        String english = mvc.perform(get("/p/" + project.id() + "/reports/trends?from=2026-03-05&to=2026-03-01").param("lang", "en")
                        .with(user(viewer)))
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(english).contains("the end date 2026-03-01 is before the start date 2026-03-05");
    }

    @Test
    void aarrrAndRfmPagesInChinese() throws Exception {
        String aarrr = mvc.perform(get("/p/" + project.id() + "/reports/aarrr?from=2026-03-01&to=2026-03-31").param("lang", "zh-CN").with(user(viewer)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(aarrr).contains("AARRR 看板").contains("data-stage=\"revenue\"").contains("300.00").contains("data-growth-chart=\"aarrr\"");
        assertThat(aarrr).doesNotContain("name=\"signUpEvent\" value=\"Signed Up\" maxlength=\"200\">");

        String rfm = mvc.perform(get("/p/" + project.id() + "/reports/rfm?from=2026-03-01&to=2026-03-31&segment=general_win_back")
                        .param("lang", "zh-CN").with(user(viewer)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(rfm).contains("一般挽留用户").contains("u_0001").contains("data-rfm-persons");
        String csv = mvc.perform(get("/p/" + project.id() + "/reports/rfm?from=2026-03-01&to=2026-03-31&segment=general_win_back&format=csv")
                        .with(user(viewer)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(csv).contains("person,user id").contains("1,u_0001,29,1,300,1,1,1");
    }

    @Test
    void operatorsEnterSpendViewersMayNot() throws Exception {
        mvc.perform(post("/p/" + project.id() + "/reports/channels/spend").with(user(viewer)).with(csrf())
                        .param("channel", "SEM").param("month", "2026-03").param("amount", "150"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/p/" + project.id() + "/reports/channels/spend").with(user(operator)).with(csrf())
                        .param("channel", "SEM").param("month", "2026-03").param("amount", "150").param("from", "2026-03-01").param("to", "2026-03-31"))
                .andExpect(status().is3xxRedirection())
                .andExpect(header().string("Location", "/p/" + project.id() + "/reports/channels?from=2026-03-01&to=2026-03-31"));
        assertThat(growth.spend(project.id(), YearMonth.of(2026, 3), YearMonth.of(2026, 3))).hasSize(1);

        String html = page("/p/" + project.id() + "/reports/channels?from=2026-03-01&to=2026-03-31", operator);
        assertThat(html).contains("data-channel=\"SEM\"").contains("150.00").contains("data-spend-form");
        // SEM: one paying person with 300 revenue against 150 spend: CAC 150, ROI 100 %
        assertThat(html).contains("100.0%");

        mvc.perform(post("/p/" + project.id() + "/reports/channels/spend").with(user(operator)).with(csrf())
                        .param("channel", "SEM").param("month", "March").param("amount", "1"))
                .andExpect(status().is3xxRedirection());
        assertThat(growth.spend(project.id(), YearMonth.of(2026, 3), YearMonth.of(2026, 3)).get(0).amount()).isEqualByComparingTo("150");
        assertThat(page("/p/" + project.id() + "/reports/channels?from=2026-03-01&to=2026-03-31", viewer)).doesNotContain("data-spend-form");
    }

    @Test
    void anotherProjectsBoardsAreNotFound() throws Exception {
        for (String report : List.of("board", "aarrr", "channels", "rfm")) {
            mvc.perform(get("/p/" + other.id() + "/reports/" + report).with(user(viewer))).andExpect(status().isNotFound());
        }
    }
}
