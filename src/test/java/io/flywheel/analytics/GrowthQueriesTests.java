package io.flywheel.analytics;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.flywheel.TestApplication;
import io.flywheel.events.Event;
import io.flywheel.events.EventStore;
import io.flywheel.platform.Project;
import io.flywheel.platform.Projects;
import io.flywheel.platform.Role;
import io.flywheel.platform.Users;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
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

/** metrics, channels (with spend), rfm and aarrr through the query API, on a shop worked out by hand. */
@SpringBootTest
@AutoConfigureMockMvc
class GrowthQueriesTests {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

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

    private Project project;

    private static RequestPostProcessor admin() {
        return httpBasic("admin", TestApplication.ADMIN_PASSWORD);
    }

    private Event event(long person, String type, String name, String local, String channel, String orderId, Double revenue) {
        var at = LocalDateTime.parse(local).atZone(SHANGHAI).toInstant();
        return new Event(project.id(), UUID.randomUUID().toString(), type, name, person, "a" + person, null, at, at,
                null, null, null, null, null, channel, orderId, revenue, "CNY", "{}", null);
    }

    @BeforeEach
    void shop() {
        project = projects.create("Growth Shop " + UUID.randomUUID(), SHANGHAI, "test").project();
        events.append(List.of(
                // March: person 1 arrives from SEM, signs up, adds to cart, buys twice (one refunded), shares
                event(1, "page", "Page Viewed", "2026-03-02T10:00", "SEM", null, null),
                event(1, "track", "Signed Up", "2026-03-02T10:05", null, null, null),
                event(1, "track", "Product Added", "2026-03-02T10:06", null, null, null),
                event(1, "track", "Order Completed", "2026-03-02T10:10", null, "o1", 300.0),
                event(1, "track", "Order Completed", "2026-03-05T10:10", null, "o2", 100.0),
                event(1, "track", "Order Refunded", "2026-03-06T10:10", null, "o2", 100.0),
                event(1, "track", "Product Shared", "2026-03-09T09:00", null, null, null),
                // person 2 arrives from SEO, never buys
                event(2, "page", "Page Viewed", "2026-03-03T10:00", "SEO", null, null),
                // person 3 from SEO buys once
                event(3, "page", "Page Viewed", "2026-03-04T10:00", "SEO", null, null),
                event(3, "track", "Order Completed", "2026-03-04T10:30", null, "o3", 50.0),
                // February: person 4 from SEO, one page view
                event(4, "page", "Page Viewed", "2026-02-10T10:00", "SEO", null, null)));
    }

    private ResultActions query(String kind, String extra) throws Exception {
        return mvc.perform(post("/api/v1/query").with(admin()).contentType(MediaType.APPLICATION_JSON)
                .content("{\"projectId\":" + project.id() + ",\"kind\":\"" + kind + "\",\"from\":\"2026-03-01\",\"to\":\"2026-03-31\"" + extra + "}"));
    }

    @Test
    void metricsWithTheChangeAgainstThePreviousRange() throws Exception {
        query("metrics", "")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.previousFrom").value("2026-01-29"))
                .andExpect(jsonPath("$.metrics[?(@.key=='pv')].value").value(3.0))
                .andExpect(jsonPath("$.metrics[?(@.key=='pv')].previous").value(1.0))
                .andExpect(jsonPath("$.metrics[?(@.key=='pv')].change").value(2.0))
                .andExpect(jsonPath("$.metrics[?(@.key=='gmv')].value").value(350.0))
                .andExpect(jsonPath("$.metrics[?(@.key=='orders')].value").value(3.0))
                .andExpect(jsonPath("$.metrics[?(@.key=='refundedOrders')].value").value(1.0))
                .andExpect(jsonPath("$.metrics[?(@.key=='payingPersons')].value").value(2.0))
                .andExpect(jsonPath("$.metrics[?(@.key=='newPersons')].value").value(3.0))
                .andExpect(jsonPath("$.metrics[?(@.key=='arppu')].value").value(175.0))
                .andExpect(jsonPath("$.metrics[13].key").value("gmv"))
                .andExpect(jsonPath("$.metrics[13].change").doesNotExist());
    }

    @Test
    void channelsWithSpendGiveCacAndRoi() throws Exception {
        mvc.perform(put("/api/v1/projects/" + project.id() + "/channel-spend").with(admin()).contentType(MediaType.APPLICATION_JSON)
                        .content("[{\"channel\":\"SEM\",\"month\":\"2026-03\",\"amount\":200},{\"channel\":\"SEO\",\"month\":\"2026-03\",\"amount\":100}]"))
                .andExpect(status().isNoContent());
        mvc.perform(get("/api/v1/projects/" + project.id() + "/channel-spend?from=2026-01&to=2026-12").with(admin()))
                .andExpect(jsonPath("$[0].channel").value("SEM"))
                .andExpect(jsonPath("$[0].month").value("2026-03"));

        query("channels", "")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.channels[0].channel").value("SEO"))
                .andExpect(jsonPath("$.channels[0].visitors").value(2))
                .andExpect(jsonPath("$.channels[0].payingPersons").value(1))
                .andExpect(jsonPath("$.channels[0].revenue").value(50.0))
                .andExpect(jsonPath("$.channels[0].spend").value(100.0))
                .andExpect(jsonPath("$.channels[0].cac").value(100.0))
                .andExpect(jsonPath("$.channels[0].roi").value(-0.5))
                .andExpect(jsonPath("$.channels[1].channel").value("SEM"))
                .andExpect(jsonPath("$.channels[1].signUps").value(1))
                .andExpect(jsonPath("$.channels[1].activated").value(1))
                .andExpect(jsonPath("$.channels[1].revenue").value(300.0))
                .andExpect(jsonPath("$.channels[1].roi").value(0.5))
                .andExpect(jsonPath("$.total.visitors").value(3))
                .andExpect(jsonPath("$.total.spend").value(300.0));
    }

    @Test
    void badSpendIsRefusedWhole() throws Exception {
        mvc.perform(put("/api/v1/projects/" + project.id() + "/channel-spend").with(admin()).contentType(MediaType.APPLICATION_JSON)
                        .content("[{\"channel\":\"SEM\",\"month\":\"2026-03\",\"amount\":200},{\"channel\":\"SEO\",\"month\":\"March\",\"amount\":1}]"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("spend[1].month"));
        mvc.perform(put("/api/v1/projects/" + project.id() + "/channel-spend").with(admin()).contentType(MediaType.APPLICATION_JSON)
                        .content("[{\"channel\":\"SEM\",\"month\":\"2026-03\",\"amount\":200},{\"channel\":\"SEO\",\"month\":\"2026-03\",\"amount\":-1}]"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("spend[1].amount"));
        mvc.perform(get("/api/v1/projects/" + project.id() + "/channel-spend?from=2026-01&to=2026-12").with(admin()))
                .andExpect(jsonPath("$.length()").value(0));
    }

    @Test
    void aViewerMayReadButNotChangeGrowthSettings() throws Exception {
        String name = "viewer-" + UUID.randomUUID().toString().substring(0, 8);
        users.create(name, "Viewer", "viewer-password-1", Role.VIEWER, Set.of(project.id()), "test");
        mvc.perform(get("/api/v1/projects/" + project.id() + "/growth-settings").with(httpBasic(name, "viewer-password-1")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.activationEvent").value("Product Added"));
        mvc.perform(put("/api/v1/projects/" + project.id() + "/growth-settings").with(httpBasic(name, "viewer-password-1"))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"signUpEvent\":\"Signed Up\",\"activationEvent\":\"Order Completed\",\"referralEvent\":\"Product Shared\"}"))
                .andExpect(status().isForbidden());
    }

    @Test
    void aarrrUsesTheProjectsGrowthEvents() throws Exception {
        query("aarrr", "")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.acquisition.newPersons").value(3))
                .andExpect(jsonPath("$.activation.event").value("Product Added"))
                .andExpect(jsonPath("$.activation.activated").value(1))
                .andExpect(jsonPath("$.revenue.gmv").value(350.0))
                .andExpect(jsonPath("$.referral.persons").value(1));
        mvc.perform(put("/api/v1/projects/" + project.id() + "/growth-settings").with(admin()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"signUpEvent\":\"Signed Up\",\"activationEvent\":\"Order Completed\",\"referralEvent\":\"Product Shared\"}"))
                .andExpect(status().isOk());
        query("aarrr", "")
                .andExpect(jsonPath("$.activation.event").value("Order Completed"))
                .andExpect(jsonPath("$.activation.activated").value(2));
    }

    @Test
    void rfmSegmentsAndTheirPersons() throws Exception {
        // buyers: person 1 (one order of 300 kept, last on March 2nd: 29 days), person 3 (50, March 4th: 27 days);
        // averages 28 days, 1 order, 175: person 1 is important win-back (R below, M above), person 3 general develop
        query("rfm", ",\"segment\":\"general_develop\"")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.buyers").value(2))
                .andExpect(jsonPath("$.averages.monetary").value(175.0))
                .andExpect(jsonPath("$.segments[?(@.key=='important_win_back')].persons").value(1))
                .andExpect(jsonPath("$.averages.recencyDays").value(28.0))
                .andExpect(jsonPath("$.segments[?(@.key=='general_develop')].persons").value(1))
                .andExpect(jsonPath("$.persons.total").value(1))
                .andExpect(jsonPath("$.persons.items[0].personId").value(3));
        query("rfm", ",\"segment\":\"best\"").andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("segment"));
    }
}
