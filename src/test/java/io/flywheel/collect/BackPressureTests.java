package io.flywheel.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.flywheel.TestApplication;
import io.flywheel.events.EventStore;
import io.flywheel.platform.Project;
import io.flywheel.platform.Projects;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/** With ingestion behind its lag bound, the tracking API refuses with 503 and Retry-After and stores nothing. */
@SpringBootTest
@AutoConfigureMockMvc
class BackPressureTests {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestApplication.embedded(registry);
        // a lag bound below zero: the pipeline counts as behind all the time
        registry.add("flywheel.collect.max-lag", () -> "-1");
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    Projects projects;

    @Autowired
    EventStore events;

    @Test
    void aBusyPipelineAnswers503WithRetryAfterAndStoresNothing() throws Exception {
        Project project = projects.create("Busy Shop", ZoneId.of("UTC"), "test").project();
        String auth = "Basic " + Base64.getEncoder().encodeToString((project.writeKey() + ":").getBytes(StandardCharsets.UTF_8));
        mvc.perform(post("/v1/batch").header("Authorization", auth).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"batch\":[{\"type\":\"track\",\"event\":\"A\",\"userId\":\"u1\"}]}"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "1"))
                .andExpect(jsonPath("$.type").value("urn:flywheel:problem:unavailable"));
        mvc.perform(post("/v1/track").header("Authorization", auth).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"event\":\"A\",\"userId\":\"u1\"}"))
                .andExpect(status().isServiceUnavailable());
        assertThat(events.count(project.id())).isZero();
    }
}
