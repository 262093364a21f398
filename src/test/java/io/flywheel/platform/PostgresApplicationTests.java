package io.flywheel.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.flywheel.TestApplication;
import io.flywheel.support.Databases;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/** The whole application on PostgreSQL, the production shape of operational data. */
@SpringBootTest
@AutoConfigureMockMvc
class PostgresApplicationTests {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestApplication.embedded(registry);
        Databases.postgresFor(registry);
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    DataSource dataSource;

    @Test
    void runsOnPostgresql() throws Exception {
        try (var connection = dataSource.getConnection()) {
            assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
        }
        mvc.perform(post("/api/v1/projects").with(httpBasic("admin", TestApplication.ADMIN_PASSWORD))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"On Postgres\",\"timeZone\":\"Asia/Shanghai\"}"))
                .andExpect(status().isCreated());
        mvc.perform(post("/api/v1/users").with(httpBasic("admin", TestApplication.ADMIN_PASSWORD))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"username\":\"pg-viewer\",\"password\":\"long-enough-password\",\"role\":\"viewer\"}"))
                .andExpect(status().isCreated());
        mvc.perform(get("/api/v1/projects").with(httpBasic("pg-viewer", "long-enough-password")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(0));
        mvc.perform(get("/admin/audit").with(httpBasic("admin", TestApplication.ADMIN_PASSWORD)))
                .andExpect(status().isOk());
    }
}
