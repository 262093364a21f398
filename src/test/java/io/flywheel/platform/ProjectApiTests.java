package io.flywheel.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.flywheel.TestApplication;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest
@AutoConfigureMockMvc
class ProjectApiTests {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestApplication.embedded(registry);
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    JsonMapper json;

    private static RequestPostProcessor admin() {
        return httpBasic("admin", TestApplication.ADMIN_PASSWORD);
    }

    private JsonNode createProject(String name) throws Exception {
        String body = mvc.perform(post("/api/v1/projects").with(admin())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"" + name + "\",\"timeZone\":\"Asia/Shanghai\"}"))
                .andExpect(status().isCreated())
                .andExpect(header().exists("Location"))
                .andReturn().getResponse().getContentAsString();
        return json.readTree(body);
    }

    @Test
    void adminCreatesProjectAndGetsKeys() throws Exception {
        JsonNode project = createProject("Shop " + UUID.randomUUID());
        assertThat(project.get("id").asLong()).isPositive();
        assertThat(project.get("writeKey").asString()).startsWith("wk_").hasSize(35);
        assertThat(project.get("secretKey").asString()).startsWith("sk_").hasSize(43);
        assertThat(project.get("timeZone").asString()).isEqualTo("Asia/Shanghai");

        mvc.perform(get("/api/v1/projects/" + project.get("id").asLong()).with(admin()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.secretKey").doesNotExist())
                .andExpect(jsonPath("$.writeKey").value(project.get("writeKey").asString()));
    }

    @Test
    void badProjectInputIsAProblemNamingTheField() throws Exception {
        mvc.perform(post("/api/v1/projects").with(admin()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"x\",\"timeZone\":\"Mars/Olympus\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:flywheel:problem:validation"))
                .andExpect(jsonPath("$.errors[0].field").value("timeZone"));
        mvc.perform(post("/api/v1/projects").with(admin()).contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"  \"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("name"));
        mvc.perform(post("/api/v1/projects").with(admin()).contentType(MediaType.APPLICATION_JSON).content("{\"name\":"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:flywheel:problem:malformed-request"));
        mvc.perform(post("/api/v1/projects").with(admin()).contentType(MediaType.TEXT_PLAIN).content("name"))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Test
    void unauthenticatedAndBadKeysAreRejected() throws Exception {
        mvc.perform(get("/api/v1/projects"))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        mvc.perform(get("/api/v1/projects").header("Authorization", "Bearer sk_not-a-key"))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.type").value("urn:flywheel:problem:unauthenticated"));
        mvc.perform(get("/api/v1/projects").with(httpBasic("admin", "wrong-password")))
                .andExpect(status().isUnauthorized());
    }

    @Test
    void aProjectKeySeesOnlyItsOwnProject() throws Exception {
        JsonNode a = createProject("Isolation A " + UUID.randomUUID());
        JsonNode b = createProject("Isolation B " + UUID.randomUUID());
        String keyA = "Bearer " + a.get("secretKey").asString();
        long idB = b.get("id").asLong();

        mvc.perform(get("/api/v1/projects").header("Authorization", keyA))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(1))
                .andExpect(jsonPath("$[0].id").value(a.get("id").asLong()));
        mvc.perform(get("/api/v1/projects/" + a.get("id").asLong() + "/activity").header("Authorization", keyA))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.days.length()").value(30));
        mvc.perform(get("/api/v1/projects/" + idB).header("Authorization", keyA))
                .andExpect(status().isNotFound());
        mvc.perform(get("/api/v1/projects/" + idB + "/activity").header("Authorization", keyA))
                .andExpect(status().isNotFound());
        mvc.perform(patch("/api/v1/projects/" + idB).header("Authorization", keyA)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"taken over\"}"))
                .andExpect(status().isNotFound());
        mvc.perform(post("/api/v1/projects/" + idB + "/keys").header("Authorization", keyA))
                .andExpect(status().isNotFound());
        mvc.perform(post("/api/v1/projects").header("Authorization", keyA)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"by a key\"}"))
                .andExpect(status().isForbidden());
        mvc.perform(get("/api/v1/users").header("Authorization", keyA))
                .andExpect(status().isForbidden());

        mvc.perform(get("/api/v1/projects/" + idB).with(admin()))
                .andExpect(jsonPath("$.name").value(b.get("name").asString()));
    }

    @Test
    void rotatingKeysRevokesTheOldOnes() throws Exception {
        JsonNode project = createProject("Rotate " + UUID.randomUUID());
        long id = project.get("id").asLong();
        String oldKey = "Bearer " + project.get("secretKey").asString();
        mvc.perform(get("/api/v1/projects/" + id).header("Authorization", oldKey)).andExpect(status().isOk());

        String body = mvc.perform(post("/api/v1/projects/" + id + "/keys").with(admin()))
                .andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        JsonNode rotated = json.readTree(body);

        assertThat(rotated.get("writeKey").asString()).isNotEqualTo(project.get("writeKey").asString());
        mvc.perform(get("/api/v1/projects/" + id).header("Authorization", oldKey)).andExpect(status().isUnauthorized());
        mvc.perform(get("/api/v1/projects/" + id).header("Authorization", "Bearer " + rotated.get("secretKey").asString()))
                .andExpect(status().isOk());
        mvc.perform(get("/admin/audit").with(admin()))
                .andExpect(status().isOk())
                .andExpect(content().string(org.hamcrest.Matchers.containsString("project.keys-rotated")));
    }

    @Test
    void adminRenamesProjectAndChangesTimeZone() throws Exception {
        long id = createProject("Rename " + UUID.randomUUID()).get("id").asLong();
        mvc.perform(patch("/api/v1/projects/" + id).with(admin()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"Renamed\",\"timeZone\":\"Europe/Berlin\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.name").value("Renamed"))
                .andExpect(jsonPath("$.timeZone").value("Europe/Berlin"));
    }
}
