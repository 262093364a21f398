package io.flywheel.analytics.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.flywheel.TestApplication;
import io.flywheel.events.Event;
import io.flywheel.events.EventStore;
import io.flywheel.events.PersonCondition.Funnel;
import io.flywheel.events.PersonCondition.Step;
import io.flywheel.events.PersonCondition.Window;
import io.flywheel.people.internal.RuleJson;
import io.flywheel.platform.Project;
import io.flywheel.platform.Projects;
import io.flywheel.platform.Role;
import io.flywheel.platform.Users;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.json.JsonMapper;

/**
 * The report pages over a small hand-built shop (Shanghai days 2026-03-02 and 03-03):
 * <pre>
 * person 1 (WeChat): Product Viewed 10:00, Product Added 10:30, Order Completed 12:35 (100) on 03-02
 * person 2 (SEO):    Product Viewed 03-02 10:00; Product Viewed 03-03 10:00, Product Added 11:00
 * person 3 (WeChat): Product Viewed 03-03 13:00, Order Completed 14:00 (40)
 * person 4 (SEO):    签到 on both days
 * </pre>
 */
@SpringBootTest
@AutoConfigureMockMvc
class ReportPagesTests {

    private static final String RANGE = "from=2026-03-02&to=2026-03-03";

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

    private Project project;

    private static Event event(long project, long person, String name, String at, Double revenue) {
        Instant time = Instant.parse(at);
        return new Event(project, UUID.randomUUID().toString(), "track", name, person, "a" + person, null, time, time,
                null, null, null, null, null, person % 2 == 0 ? "SEO" : "WeChat", null, revenue, "CNY", "{}", null);
    }

    @BeforeEach
    void shop() {
        project = projects.create("Report Shop " + UUID.randomUUID(), ZoneId.of("Asia/Shanghai"), "test").project();
        long id = project.id();
        events.append(List.of(
                event(id, 1, "Product Viewed", "2026-03-02T02:00:00Z", null),
                event(id, 1, "Product Added", "2026-03-02T02:30:00Z", null),
                event(id, 1, "Order Completed", "2026-03-02T04:35:00Z", 100.0),
                event(id, 2, "Product Viewed", "2026-03-02T02:00:00Z", null),
                event(id, 2, "Product Viewed", "2026-03-03T02:00:00Z", null),
                event(id, 2, "Product Added", "2026-03-03T03:00:00Z", null),
                event(id, 3, "Product Viewed", "2026-03-03T05:00:00Z", null),
                event(id, 3, "Order Completed", "2026-03-03T06:00:00Z", 40.0),
                event(id, 4, "签到", "2026-03-02T01:00:00Z", null),
                event(id, 4, "签到", "2026-03-03T01:00:00Z", null)));
    }

    private static RequestPostProcessor admin() {
        return user("admin").roles("ADMIN");
    }

    private String url(String report, String query) {
        return "/p/" + project.id() + "/reports/" + report + "?" + query;
    }

    private Document page(MockHttpServletRequestBuilder request) throws Exception {
        MockHttpServletResponse response = mvc.perform(request.with(admin())).andExpect(status().isOk()).andReturn().getResponse();
        return Jsoup.parse(response.getContentAsString(StandardCharsets.UTF_8));
    }

    private Document page(String report, String query) throws Exception {
        return page(get(url(report, query)));
    }

    private static List<String> row(Element table, int index) {
        return table.select("tbody tr").get(index).select("td").eachText();
    }

    // ------------------------------------------------------------ trends

    @Test
    void trendsShowsOneColumnPerSeriesAndATotal() throws Exception {
        Document page = page("trends", RANGE);

        Element table = page.selectFirst("table[data-report-table=trend]");
        assertThat(table.select("thead th").eachText()).containsExactly("Period starting", "All events");
        assertThat(row(table, 0)).containsExactly("2026-03-02", "5");
        assertThat(row(table, 1)).containsExactly("2026-03-03", "5");
        assertThat(table.select("tfoot th").eachText()).containsExactly("Total", "10");
        assertThat(page.selectFirst("#report-chart").attr("data-report-chart")).isEqualTo("trend");
        assertThat(page.selectFirst("#report-chart").attr("data-chart")).contains("\"type\":\"line\"").contains("\"buckets\":[\"2026-03-02\",\"2026-03-03\"]");
        assertThat(page.select("nav a.active").eachText()).containsExactly("Trends");
        assertThat(page.select("nav a").eachText()).containsSubsequence("Overview", "Trends", "Funnels", "Retention");
    }

    @Test
    void trendsBreaksDownByChannelAndComparesWithThePreviousPeriod() throws Exception {
        Document page = page("trends", "event=Order Completed&measure=sum&property=$revenue&breakdown=channel&compare=true&" + RANGE);

        Element table = page.selectFirst("table[data-report-table=trend]");
        assertThat(table.select("thead th").eachText())
                .containsExactly("Period starting", "WeChat", "WeChat (previous period)");
        assertThat(row(table, 0)).containsExactly("2026-03-02", "100", "0");
        assertThat(row(table, 1)).containsExactly("2026-03-03", "40", "0");
        assertThat(table.select("tfoot th").eachText()).containsExactly("Total", "140", "0");
        assertThat(page.selectFirst("#report-chart").attr("data-chart")).contains("\"previousOf\":0");
        assertThat(page.selectFirst("input[name=compare]").hasAttr("checked")).isTrue();
        assertThat(page.selectFirst("select[name=event] option[selected]").text()).isEqualTo("Order Completed");
    }

    @Test
    void aSingleBucketIsDrawnAsBarsAndAFilterNarrowsTheEvents() throws Exception {
        Document page = page("trends", "event=$any&measure=uniques&filterProperty=$channel&filterOperator=in&filterValue=WeChat&"
                + "from=2026-03-02&to=2026-03-02");

        Element table = page.selectFirst("table[data-report-table=trend]");
        assertThat(row(table, 0)).containsExactly("2026-03-02", "1");
        assertThat(table.select("tfoot")).isEmpty();
        assertThat(page.selectFirst("#report-chart").attr("data-chart")).contains("\"type\":\"bar\"");
    }

    @Test
    void aPeriodWithoutEventsShowsAnEmptyState() throws Exception {
        Document page = page("trends", "from=2025-01-01&to=2025-01-31");

        assertThat(page.selectFirst("[data-empty]").text()).contains("Nothing to show").contains("2025-01-01");
        assertThat(page.select("#report-chart")).isEmpty();
        assertThat(page.select("[data-report-error]")).isEmpty();
    }

    @Test
    void aBadParameterIsShownNextToTheForm() throws Exception {
        MockHttpServletResponse response = mvc.perform(get(url("trends", "from=2026-03-05&to=2026-03-01")).with(admin()))
                .andExpect(status().isBadRequest()).andReturn().getResponse();
        Document page = Jsoup.parse(response.getContentAsString(StandardCharsets.UTF_8));

        assertThat(page.selectFirst("form[data-report-form] [data-report-error]").text())
                .startsWith("Please check To:").contains("before");
        assertThat(page.selectFirst("label.field.invalid input").attr("name")).isEqualTo("to");
        assertThat(page.selectFirst("input[name=from]").val()).isEqualTo("2026-03-05");
        assertThat(page.select("table")).isEmpty();
        assertThat(page.text()).doesNotContain("Something went wrong").doesNotContain("Exception");

        Document sum = Jsoup.parse(mvc.perform(get(url("trends", "measure=sum")).with(admin()))
                .andExpect(status().isBadRequest()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8));
        assertThat(sum.selectFirst("[data-report-error]").text()).startsWith("Please check Numeric property:");

        Document filter = Jsoup.parse(mvc.perform(get(url("trends", "filterProperty=amount&filterOperator=gt&filterValue=many")).with(admin()))
                .andExpect(status().isBadRequest()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8));
        assertThat(filter.selectFirst("[data-report-error]").text()).startsWith("Please check Filter value:");
        assertThat(filter.selectFirst("input.invalid").attr("name")).isEqualTo("filterValue");
        assertThat(filter.selectFirst("[data-report-error]").text()).contains("'many' is not a number");
    }

    @Test
    void errorsAreInTheLanguageOfThePage() throws Exception {
        Document sum = Jsoup.parse(mvc.perform(get(url("trends", "measure=sum&lang=zh-CN")).with(admin()))
                .andExpect(status().isBadRequest()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8));
        assertThat(sum.selectFirst("[data-report-error]").text()).startsWith("请检查").contains("该度量需要一个数值属性");

        Document filter = Jsoup.parse(mvc.perform(get(url("trends", "filterProperty=amount&filterOperator=gt&filterValue=many&lang=zh-CN"))
                .with(admin())).andExpect(status().isBadRequest()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8));
        assertThat(filter.selectFirst("[data-report-error]").text()).contains("“many”不是数字");

        Document builtIn = Jsoup.parse(mvc.perform(get(url("trends", "filterProperty=$nope&filterOperator=equals&filterValue=x&lang=zh-CN"))
                .with(admin())).andExpect(status().isBadRequest()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8));
        assertThat(builtIn.selectFirst("[data-report-error]").text()).contains("“$nope”不是内置属性").doesNotContain("unknown");
    }

    @Test
    void answersComeFromTheCacheUntilRefreshed() throws Exception {
        String query = "event=Product Viewed&" + RANGE;
        assertThat(page("trends", query).selectFirst("[data-freshness]").text()).startsWith("Computed at").doesNotContain("from cache");
        Document cached = page("trends", query);
        assertThat(cached.selectFirst("[data-freshness]").text()).matches("Computed at \\d\\d:\\d\\d:\\d\\d \\(from cache\\)");
        String refresh = cached.selectFirst("a[data-refresh]").attr("href");
        assertThat(refresh).contains("refresh=true").contains("event=Product%20Viewed");

        assertThat(page(get(URI.create(refresh))).selectFirst("[data-freshness]").text()).doesNotContain("from cache");
    }

    // ------------------------------------------------------------ funnels

    @Test
    void funnelsShowsPersonsPerStepWithRatesAndTimeToConvert() throws Exception {
        Document page = page("funnels", "steps=Product Viewed&steps=Product Added&steps=Order Completed&window=P1D&" + RANGE);

        Element table = page.selectFirst("table[data-report-table=funnel]");
        assertThat(row(table, 0)).containsExactly("1", "Product Viewed", "3", "100.0%", "–", "–", "–", "Stopped after this step");
        assertThat(row(table, 1).subList(0, 6)).containsExactly("2", "Product Added", "2", "66.7%", "66.7%", "1");
        assertThat(row(table, 2)).containsExactly("3", "Order Completed", "1", "33.3%", "50.0%", "1", "2 h 5 min", "Converted");
        assertThat(page.selectFirst(".card-head h2").text()).isEqualTo("Overall conversion 33.3% (1 of 3 persons)");
        assertThat(page.selectFirst("#report-chart").attr("data-chart")).contains("\"counts\":[3,2,1]").contains("\"rates\":[100.0,66.7,33.3]");
        assertThat(page.select("table[data-report-table=funnel-breakdown]")).isEmpty();
        assertThat(page.selectFirst("select[name=window] option[selected]").val()).isEqualTo("P1D");
    }

    @Test
    void funnelsBreaksDownByFirstTouchChannel() throws Exception {
        Document page = page("funnels", "steps=Product Viewed&steps=Product Added&steps=Order Completed&window=P1D&breakdown=channel&" + RANGE);

        Element table = page.selectFirst("table[data-report-table=funnel-breakdown]");
        assertThat(table.select("thead th").eachText())
                .containsExactly("Group", "1. Product Viewed", "2. Product Added", "3. Order Completed", "Overall conversion");
        assertThat(row(table, 0)).containsExactly("WeChat", "2", "1", "1", "50.0%");
        assertThat(row(table, 1)).containsExactly("SEO", "1", "1", "0", "0.0%");
        assertThat(page.selectFirst("[data-csv-breakdown]").attr("href")).contains("table=breakdown").contains("format=csv");
    }

    /** The rule and the name of a link to the segment editor. */
    private static List<String> segmentLink(String href) {
        String query = URI.create(href).getRawQuery();
        List<String> parameters = new java.util.ArrayList<>();
        for (String pair : query.split("&")) {
            parameters.add(java.net.URLDecoder.decode(pair.substring(pair.indexOf('=') + 1), StandardCharsets.UTF_8));
        }
        return parameters;
    }

    private long liveCount(String rule) throws Exception {
        Document answer = Jsoup.parse(mvc.perform(post("/p/" + project.id() + "/segments/count").param("rule", rule).with(admin()).with(csrf()))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8));
        return Long.parseLong(answer.selectFirst("[data-count]").text());
    }

    @Test
    void eachStepOfTheTotalLinksToASegmentOfWhoStoppedThereAndTheLastToWhoConverted() throws Exception {
        Document page = page("funnels", "steps=Product Viewed&steps=Product Added&steps=Order Completed&window=P1D&breakdown=channel&" + RANGE);

        org.jsoup.select.Elements links = page.select("table[data-report-table=funnel] a[data-create-segment]");
        assertThat(links.eachText()).containsExactly("Stopped after this step", "Stopped after this step", "Converted");
        assertThat(links.get(1).attr("title")).isEqualTo("The 1 persons who reached step 2 and not step 3, as a new segment");
        assertThat(page.select("table[data-report-table=funnel-breakdown] a")).as("no links for breakdown groups").isEmpty();
        List<Step> steps = List.of(new Step("Product Viewed", List.of()), new Step("Product Added", List.of()), new Step("Order Completed", List.of()));
        Window days = new Window(null, LocalDate.of(2026, 3, 2), LocalDate.of(2026, 3, 3));
        for (int i = 0; i < 3; i++) {
            String href = links.get(i).attr("href");
            assertThat(href).startsWith("/p/" + project.id() + "/segments/new?name=");
            List<String> link = segmentLink(href);
            assertThat(RuleJson.parse(JsonMapper.builder().build().readTree(link.get(1))))
                    .isEqualTo(new Funnel(steps, Duration.ofDays(1), days, i + 1, i < 2));
            assertThat(liveCount(link.get(1))).as("the rule counts whom the report counts: persons 3, 2 and 1").isEqualTo(1);
        }
        assertThat(segmentLink(links.get(0).attr("href")).get(0)).isEqualTo("Funnel: stopped after step 1 (Product Viewed), 2026-03-02 to 2026-03-03");
        assertThat(segmentLink(links.get(2).attr("href")).get(0))
                .isEqualTo("Funnel: converted (Product Viewed → Product Added → Order Completed), 2026-03-02 to 2026-03-03");
        String editor = mvc.perform(get(URI.create(links.get(0).attr("href"))).with(admin())).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(editor).contains("&quot;funnel&quot;").contains("&quot;exactly&quot; : true");

        Document repeated = page("funnels", "steps=Product Viewed&steps=Product Viewed&window=P1D&" + RANGE);
        assertThat(repeated.select("table[data-report-table=funnel] a[data-create-segment]").eachText()).as("nobody stopped after step 1")
                .containsExactly("Converted");
    }

    @Test
    void funnelsStartWithThreeStepsFromTheEventNamesAndStepsCanBeAddedAndRemoved() throws Exception {
        Document page = page("funnels", RANGE);
        assertThat(page.select("select[name=steps] option[selected]").eachText())
                .containsExactly("Product Viewed", "Product Added", "Order Completed");
        assertThat(page.select("button[name=removeStep]")).hasSize(3);

        String added = mvc.perform(get(url("funnels", "steps=Product Viewed&steps=Order Completed&addStep=true&window=P1D")).with(admin()))
                .andExpect(status().is3xxRedirection()).andReturn().getResponse().getRedirectedUrl();
        assertThat(added).isEqualTo("/p/" + project.id() + "/reports/funnels?steps=Product%20Viewed&steps=Order%20Completed&steps=Product%20Added&window=P1D");

        String removed = mvc.perform(get(url("funnels", "steps=Product Viewed&steps=Product Added&steps=Order Completed&removeStep=1")).with(admin()))
                .andExpect(status().is3xxRedirection()).andReturn().getResponse().getRedirectedUrl();
        assertThat(removed).isEqualTo("/p/" + project.id() + "/reports/funnels?steps=Product%20Viewed&steps=Order%20Completed&window=P7D");

        Document two = page("funnels", "steps=Product Viewed&steps=Order Completed&" + RANGE);
        assertThat(two.select("button[name=removeStep]")).as("a funnel keeps two steps").isEmpty();
    }

    @Test
    void aFunnelWithABadStepNamesTheStep() throws Exception {
        Document page = Jsoup.parse(mvc.perform(get(url("funnels", "steps=Product Viewed&steps= &" + RANGE)).with(admin()))
                .andExpect(status().isBadRequest()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8));
        assertThat(page.selectFirst("[data-report-error]").text()).startsWith("Please check Step 2:");
        assertThat(page.select("li.step.invalid")).hasSize(1);
    }

    // ------------------------------------------------------------ retention

    @Test
    void retentionShowsAHeatMapOfCohortsWithAnAverage() throws Exception {
        Document page = page("retention", "cohortEvent=Product Viewed&returnEvent=Product Viewed&period=day&periods=3&" + RANGE);

        Element table = page.selectFirst("table[data-report-table=retention]");
        assertThat(table.select("thead th").eachText()).containsExactly("Cohort", "Persons", "Day 0", "Day 1", "Day 2");
        assertThat(row(table, 0)).containsExactly("Average", "3", "100.0%", "33.3%", "0.0%");
        assertThat(row(table, 1)).containsExactly("2026-03-02", "2", "100.0%", "50.0%", "0.0%");
        assertThat(row(table, 2)).containsExactly("2026-03-03", "1", "100.0%", "0.0%", "0.0%");
        Element half = table.select("tbody tr").get(1).select("td").get(3);
        assertThat(half.attr("title")).isEqualTo("1 of 2 persons");
        assertThat(half.attr("style")).contains("rgba(37, 99, 235, 0.48)");
        assertThat(page.selectFirst("#report-chart").attr("data-chart")).contains("\"average\":[100.0,33.33,0.0]");
    }

    @Test
    void retentionDefaultsToTheMostFrequentEventAndNamesABadPeriodCount() throws Exception {
        Document page = page("retention", RANGE);
        assertThat(page.selectFirst("select[name=cohortEvent] option[selected]").text()).isEqualTo("Product Viewed");
        assertThat(page.selectFirst("select[name=returnEvent] option[selected]").val()).isEqualTo("$any");

        Document bad = Jsoup.parse(mvc.perform(get(url("retention", "periods=lots")).with(admin()))
                .andExpect(status().isBadRequest()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8));
        assertThat(bad.selectFirst("[data-report-error]").text()).startsWith("Please check Periods:").contains("whole number");
        assertThat(bad.selectFirst("label.field.invalid input").attr("name")).isEqualTo("periods");
    }

    // ------------------------------------------------------------ CSV

    @Test
    void everyTableDownloadsAsCsvWithAByteOrderMark() throws Exception {
        assertThat(csv(url("trends", "event=签到&format=csv&" + RANGE), "flywheel-trends-2026-03-02-to-2026-03-03.csv"))
                .isEqualTo("Period starting,签到\r\n2026-03-02,1\r\n2026-03-03,1\r\nTotal,2\r\n");
        assertThat(csv(url("funnels", "steps=Product Viewed&steps=Product Added&steps=Order Completed&window=P1D&format=csv&" + RANGE),
                "flywheel-funnel-2026-03-02-to-2026-03-03.csv"))
                .startsWith("#,Step,Persons,Conversion from step 1 (%),From the previous step (%),Drop-off,Median time to convert (seconds)\r\n"
                        + "1,Product Viewed,3,100,,,\r\n")
                .endsWith("3,Order Completed,1,33.33,50,1,7500\r\n");
        assertThat(csv(url("funnels", "steps=Product Viewed&steps=Product Added&steps=Order Completed&window=P1D&breakdown=channel&table=breakdown&format=csv&"
                + RANGE), "flywheel-funnel-breakdown-2026-03-02-to-2026-03-03.csv"))
                .isEqualTo("Group,1. Product Viewed,2. Product Added,3. Order Completed,Overall conversion (%)\r\nWeChat,2,1,1,50\r\nSEO,1,1,0,0\r\n");
        assertThat(csv(url("retention", "cohortEvent=Product Viewed&returnEvent=Product Viewed&periods=2&format=csv&" + RANGE),
                "flywheel-retention-2026-03-02-to-2026-03-03.csv"))
                .isEqualTo("Cohort,Persons,Day 0,Day 0 (%),Day 1,Day 1 (%)\r\n2026-03-02,2,2,100,1,50\r\n2026-03-03,1,1,100,0,0\r\n"
                        + "Average,3,,100,,33.33\r\n");
    }

    @Test
    void csvIsInTheReadersLanguageAndABadCsvLinkGoesBackToThePage() throws Exception {
        MockHttpServletResponse response = mvc.perform(get(url("retention", "cohortEvent=Product Viewed&periods=1&format=csv&lang=zh-CN&" + RANGE))
                .with(admin())).andExpect(status().isOk()).andReturn().getResponse();
        assertThat(response.getContentAsString(StandardCharsets.UTF_8)).startsWith("\uFEFF同期群,用户数,第 0 天,第 0 天（%）\r\n");

        mvc.perform(get(url("trends", "from=2026-03-05&to=2026-03-01&format=csv")).with(admin()))
                .andExpect(status().isSeeOther())
                .andExpect(header().string("Location", "/p/" + project.id() + "/reports/trends?event=%24any&measure=total&interval=day&from=2026-03-05&to=2026-03-01"));
    }

    private String csv(String url, String filename) throws Exception {
        MockHttpServletResponse response = mvc.perform(get(url).with(admin()))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Type", "text/csv;charset=UTF-8"))
                .andExpect(header().string("Content-Disposition", "attachment; filename=\"" + filename + "\""))
                .andReturn().getResponse();
        byte[] body = response.getContentAsByteArray();
        assertThat(body).startsWith(0xEF, 0xBB, 0xBF);
        return new String(body, 3, body.length - 3, StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------ access and language

    @Test
    void aViewerSeesReportsButNotAnotherProjectsReports() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        users.create("viewer-" + suffix, "Viewer", "correct-horse-battery", Role.VIEWER, Set.of(project.id()), "test");
        Project other = projects.create("Other " + suffix, ZoneId.of("UTC"), "test").project();

        for (String report : List.of("trends", "funnels", "retention")) {
            mvc.perform(get("/p/" + project.id() + "/reports/" + report + "?" + RANGE).with(user("viewer-" + suffix)))
                    .andExpect(status().isOk());
            mvc.perform(get("/p/" + other.id() + "/reports/" + report).with(user("viewer-" + suffix)))
                    .andExpect(status().isNotFound());
            mvc.perform(get("/p/" + other.id() + "/reports/" + report + "?format=csv").with(user("viewer-" + suffix)))
                    .andExpect(status().isNotFound());
        }
    }

    @Test
    void aProjectWithoutEventsExplainsHowToGetThem() throws Exception {
        Project empty = projects.create("Empty " + UUID.randomUUID(), ZoneId.of("UTC"), "test").project();
        for (String report : List.of("funnels", "retention")) {
            Document page = page(get("/p/" + empty.id() + "/reports/" + report));
            assertThat(page.selectFirst("[data-empty]").text()).contains("No events yet");
            assertThat(page.select("form[data-report-form]")).isEmpty();
        }
        assertThat(page(get("/p/" + empty.id() + "/reports/trends")).selectFirst("[data-empty]").text()).contains("Nothing to show");
    }

    @Test
    void reportsRenderInChineseAndTheLanguageSwitchKeepsTheReport() throws Exception {
        Document page = page("funnels", "steps=Product Viewed&steps=Order Completed&window=P1D&lang=zh-CN&" + RANGE);
        assertThat(page.selectFirst("h1").text()).isEqualTo("漏斗分析");
        assertThat(page.select("table[data-report-table=funnel] thead th").eachText())
                .containsExactly("#", "步骤", "用户数", "总体转化率", "相对上一步转化率", "流失人数", "转化时间中位数", "创建分群");
        assertThat(page.select("a[data-create-segment]").eachText()).containsExactly("此步后流失", "已转化");
        assertThat(page.select("nav a").eachText()).contains("趋势分析", "漏斗分析", "留存分析");
        assertThat(page.selectFirst("[data-freshness]").text()).startsWith("计算于");

        String english = page.selectFirst("a[data-lang=en]").attr("href");
        assertThat(english).isEqualTo("/p/" + project.id() + "/reports/funnels?steps=Product%20Viewed&steps=Order%20Completed&window=P1D"
                + "&from=2026-03-02&to=2026-03-03&lang=en");

        Document trends = page(get(url("trends", "measure=uniques&" + RANGE)).header("Accept-Language", "en").param("lang", "zh-CN"));
        assertThat(trends.selectFirst("table[data-report-table=trend] thead th").text()).isEqualTo("时段起始");
        assertThat(trends.selectFirst(".card-head h2").text()).isEqualTo("用户数 · 全部事件 · 每天");

        Document retention = page("retention", "cohortEvent=Product Viewed&periods=2&lang=zh-CN&" + RANGE);
        assertThat(retention.select("table[data-report-table=retention] thead th").eachText())
                .containsExactly("同期群", "用户数", "第 0 天", "第 1 天");
    }
}
