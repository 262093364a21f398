package io.flywheel.platform;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.flywheel.TestApplication;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/** Health, metrics and API documentation. */
@SpringBootTest
@AutoConfigureMockMvc
class OperationsEndpointsTests {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestApplication.embedded(registry);
    }

    @Autowired
    MockMvc mvc;

    @Test
    void healthIsPublicAndUp() throws Exception {
        mvc.perform(get("/actuator/health")).andExpect(status().isOk()).andExpect(jsonPath("$.status").value("UP"));
        mvc.perform(get("/actuator/health/readiness")).andExpect(status().isOk());
    }

    @Test
    void bothProbesAskTheEventStore() throws Exception {
        for (String probe : new String[] {"liveness", "readiness"}) {
            mvc.perform(get("/actuator/health/" + probe).with(httpBasic("admin", TestApplication.ADMIN_PASSWORD)))
                    .andExpect(status().isOk()).andExpect(jsonPath("$.components.eventStore.status").value("UP"));
        }
    }

    @Test
    void metricsNeedAnAdmin() throws Exception {
        mvc.perform(get("/actuator/prometheus")).andExpect(status().isUnauthorized());
        mvc.perform(get("/actuator/metrics").with(httpBasic("admin", TestApplication.ADMIN_PASSWORD))).andExpect(status().isOk());
    }

    @Test
    void theApiIsDocumented() throws Exception {
        mvc.perform(get("/api/docs"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.info.title").value("Flywheel management API"))
                .andExpect(jsonPath("$.paths['/api/v1/projects'].post").exists())
                .andExpect(jsonPath("$.paths['/api/v1/projects/{id}/keys'].post").exists());
    }
}
