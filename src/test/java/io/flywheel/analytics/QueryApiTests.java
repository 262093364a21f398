package io.flywheel.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.flywheel.TestApplication;
import io.flywheel.events.Event;
import io.flywheel.events.EventStore;
import io.flywheel.platform.Project;
import io.flywheel.platform.Projects;
import java.time.Instant;
import java.time.ZoneId;
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
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest
@AutoConfigureMockMvc
class QueryApiTests {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestApplication.embedded(registry);
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    JsonMapper json;

    @Autowired
    Projects projects;

    @Autowired
    EventStore events;

    private Project project;
    private String secretKey;

    private static RequestPostProcessor admin() {
        return httpBasic("admin", TestApplication.ADMIN_PASSWORD);
    }

    private static Event event(long project, long person, String name, String at, Double revenue) {
        Instant time = Instant.parse(at);
        return new Event(project, UUID.randomUUID().toString(), "track", name, person, "a" + person, null, time, time,
                null, null, null, null, null, person % 2 == 0 ? "SEO" : "WeChat", null, revenue, "CNY", "{\"plan\":\"p" + person + "\"}", null);
    }

    @BeforeEach
    void data() {
        var created = projects.create("Query Shop " + UUID.randomUUID(), ZoneId.of("Asia/Shanghai"), "test");
        project = created.project();
        secretKey = created.secretKey();
        long id = project.id();
        // Shanghai days: 2026-03-02 and 2026-03-03
        events.append(List.of(
                event(id, 1, "Product Viewed", "2026-03-02T02:00:00Z", null),
                event(id, 1, "Order Completed", "2026-03-02T03:00:00Z", 100.0),
                event(id, 2, "Product Viewed", "2026-03-02T02:00:00Z", null),
                event(id, 2, "Product Viewed", "2026-03-03T02:00:00Z", null),
                event(id, 3, "Product Viewed", "2026-03-03T05:00:00Z", null),
                event(id, 3, "Order Completed", "2026-03-03T06:00:00Z", 40.0)));
    }

    private ResultActions query(String body) throws Exception {
        return mvc.perform(post("/api/v1/query").with(admin()).contentType(MediaType.APPLICATION_JSON).content(body));
    }

    @Test
    void trendAnswersTheContractShapeWithAComparison() throws Exception {
        query("""
                {"projectId": %d, "kind": "trend", "event": "Product Viewed", "measure": "uniques", "interval": "day",
                 "from": "2026-03-02", "to": "2026-03-03", "compare": true}""".formatted(project.id()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.series[0].points[0].t").value("2026-03-02"))
                .andExpect(jsonPath("$.series[0].points[0].v").value(2.0))
                .andExpect(jsonPath("$.series[0].points[1].v").value(2.0))
                .andExpect(jsonPath("$.previous.from").value("2026-02-28"))
                .andExpect(jsonPath("$.previous.series[0].points[0].v").value(0.0))
                .andExpect(jsonPath("$.meta.cached").value(false));

        query("""
                {"projectId": %d, "kind": "trend", "event": "Order Completed", "measure": "sum", "property": "$revenue",
                 "from": "2026-03-02", "to": "2026-03-03", "breakdown": "channel"}""".formatted(project.id()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.series[0].group").value("WeChat"))
                .andExpect(jsonPath("$.series[0].total").value(140.0));

        // compared with the period before, the previous series are split by the current period's groups
        query("""
                {"projectId": %d, "kind": "trend", "event": "Product Viewed", "from": "2026-03-03", "to": "2026-03-03",
                 "breakdown": {"type": "property", "property": "plan", "limit": 1}, "compare": true}""".formatted(project.id()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.series[0].group").value("p2"))
                .andExpect(jsonPath("$.previous.series[0].group").value("p2"))
                .andExpect(jsonPath("$.previous.series[0].total").value(1.0))
                .andExpect(jsonPath("$.previous.series[1].group").value("$other"))
                .andExpect(jsonPath("$.previous.series[1].total").value(1.0));
    }

    @Test
    void funnelAndRetentionAnswerWithRates() throws Exception {
        query("""
                {"projectId": %d, "kind": "funnel", "steps": [{"event": "Product Viewed"}, {"event": "Order Completed"}],
                 "window": "P1D", "from": "2026-03-02", "to": "2026-03-03"}""".formatted(project.id()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.steps[0].count").value(3))
                .andExpect(jsonPath("$.steps[1].count").value(2))
                .andExpect(jsonPath("$.steps[1].dropOff").value(1))
                .andExpect(jsonPath("$.steps[1].conversionRate").value(0.6667))
                .andExpect(jsonPath("$.steps[1].medianSecondsToConvert").value(3600.0))
                .andExpect(jsonPath("$.overallConversionRate").value(0.6667));

        query("""
                {"projectId": %d, "kind": "retention", "cohortEvent": "Product Viewed", "returnEvent": "Product Viewed",
                 "period": "day", "periods": 3, "from": "2026-03-02", "to": "2026-03-03"}""".formatted(project.id()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.cohorts[0].start").value("2026-03-02"))
                .andExpect(jsonPath("$.cohorts[0].size").value(2))
                .andExpect(jsonPath("$.cohorts[0].values[1]").value(1))
                .andExpect(jsonPath("$.cohorts[0].percentages[1]").value(50.0))
                .andExpect(jsonPath("$.cohorts[1].size").value(1));
    }

    @Test
    void answersAreCachedUntilRefreshed() throws Exception {
        String body = """
                {"projectId": %d, "kind": "trend", "event": "$any", "from": "2026-03-02", "to": "2026-03-03"}""".formatted(project.id());
        query(body).andExpect(jsonPath("$.meta.cached").value(false));
        query(body).andExpect(jsonPath("$.meta.cached").value(true)).andExpect(jsonPath("$.series[0].total").value(6.0));
        query(body.replace("}", ", \"refresh\": true}")).andExpect(jsonPath("$.meta.cached").value(false));
    }

    @Test
    void aSecretKeyQueriesItsOwnProjectWithoutNamingIt() throws Exception {
        mvc.perform(post("/api/v1/query").header("Authorization", "Bearer " + secretKey).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"kind\":\"trend\",\"event\":\"Order Completed\",\"from\":\"2026-03-02\",\"to\":\"2026-03-03\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.series[0].total").value(2.0));
        Project other = projects.create("Other " + UUID.randomUUID(), ZoneId.of("UTC"), "test").project();
        mvc.perform(post("/api/v1/query").header("Authorization", "Bearer " + secretKey).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"projectId\":" + other.id() + ",\"kind\":\"trend\",\"event\":\"$any\"}"))
                .andExpect(status().isNotFound());
    }

    @Test
    void badQueriesAreProblemsNamingTheField() throws Exception {
        long id = project.id();
        expectProblem("{\"projectId\":" + id + ",\"kind\":\"pie\"}", "kind");
        expectProblem("{\"projectId\":" + id + ",\"kind\":\"trend\",\"event\":\"A\",\"from\":\"2026-13-01\"}", "from");
        expectProblem("{\"projectId\":" + id + ",\"kind\":\"trend\",\"event\":\"A\",\"from\":\"2026-03-05\",\"to\":\"2026-03-01\"}", "to");
        expectProblem("{\"projectId\":" + id + ",\"kind\":\"trend\",\"event\":\"A\",\"from\":\"2024-01-01\",\"to\":\"2026-03-01\"}", "from");
        expectProblem("{\"projectId\":" + id + ",\"kind\":\"trend\",\"event\":\"A\",\"measure\":\"median\"}", "measure");
        expectProblem("{\"projectId\":" + id + ",\"kind\":\"trend\",\"event\":\"A\",\"measure\":\"sum\"}", "property");
        expectProblem("{\"projectId\":" + id + ",\"kind\":\"trend\",\"event\":\"A\",\"filters\":[{\"property\":\"n\",\"operator\":\"gt\",\"value\":\"many\"}]}",
                "filters[0].value");
        expectProblem("{\"projectId\":" + id + ",\"kind\":\"trend\",\"event\":\"A\",\"filters\":[{\"property\":\"$nope\",\"value\":1}]}",
                "filters[0].property");
        expectProblem("{\"projectId\":" + id + ",\"kind\":\"trend\",\"event\":\"A\",\"colour\":\"red\"}", "colour");
        StringBuilder steps = new StringBuilder();
        for (int i = 0; i < 11; i++) {
            steps.append(i == 0 ? "" : ",").append("{\"event\":\"E").append(i).append("\"}");
        }
        expectProblem("{\"projectId\":" + id + ",\"kind\":\"funnel\",\"steps\":[" + steps + "]}", "steps");
        expectProblem("{\"projectId\":" + id + ",\"kind\":\"funnel\",\"steps\":[{\"event\":\"A\"},{}]}", "steps[1].event");
        expectProblem("{\"projectId\":" + id + ",\"kind\":\"funnel\",\"steps\":[{\"event\":\"A\"},{\"event\":\"B\"}],\"window\":\"a week\"}", "window");
        expectProblem("{\"projectId\":" + id + ",\"kind\":\"retention\",\"cohortEvent\":\"A\",\"periods\":500}", "periods");
        expectProblem("{\"projectId\":" + id + ",\"kind\":\"funnel\",\"steps\":[{\"event\":\"A\"},{\"event\":\"B\"}],\"window\":\"P1M\"}", "window");
        expectProblem("{\"projectId\":" + id + ",\"kind\":\"funnel\",\"steps\":[{\"event\":\"A\"},{\"event\":\"B\"}],\"window\":\"P91D\"}", "window");
        expectProblem("{\"kind\":\"trend\",\"event\":\"A\"}", "projectId");
        mvc.perform(post("/api/v1/query").with(admin()).contentType(MediaType.APPLICATION_JSON).content("{not json"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Test
    void cancellingAnUnknownQueryIsNotFound() throws Exception {
        mvc.perform(delete("/api/v1/query/nothing-running").with(admin())).andExpect(status().isNotFound());
    }

    private void expectProblem(String body, String field) throws Exception {
        String answer = query(body)
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andReturn().getResponse().getContentAsString();
        JsonNode problem = json.readTree(answer);
        assertThat(problem.get("errors").get(0).get("field").asString()).as(body).isEqualTo(field);
        assertThat(problem.get("detail").asString()).as(body).isNotBlank();
    }
}
