package io.flywheel.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.flywheel.TestApplication;
import java.time.ZoneId;
import java.util.Set;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/** Roles, project membership in the console, sign-in and CSRF. */
@SpringBootTest
@AutoConfigureMockMvc
class AccessControlTests {

    private static final String PASSWORD = "correct-horse-battery";

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

    private Project mine;
    private Project theirs;
    private String viewer;
    private String operator;

    @BeforeEach
    void setUp() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        mine = projects.create("Mine " + suffix, ZoneId.of("Asia/Shanghai"), "test").project();
        theirs = projects.create("Theirs " + suffix, ZoneId.of("UTC"), "test").project();
        viewer = "viewer-" + suffix;
        operator = "operator-" + suffix;
        users.create(viewer, "Viewer", PASSWORD, Role.VIEWER, Set.of(mine.id()), "test");
        users.create(operator, "Operator", PASSWORD, Role.OPERATOR, Set.of(mine.id()), "test");
    }

    @Test
    void viewerCanLookButNotChangeAnything() throws Exception {
        mvc.perform(get("/p/" + mine.id() + "/overview").with(user(viewer))).andExpect(status().isOk());
        mvc.perform(get("/p/" + mine.id() + "/settings").with(user(viewer)))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.not(Matchers.containsString("settings/keys"))));
        mvc.perform(post("/p/" + mine.id() + "/settings").with(user(viewer)).with(csrf())
                        .param("name", "changed").param("timeZone", "UTC"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/p/" + mine.id() + "/settings/keys").with(user(viewer)).with(csrf()))
                .andExpect(status().isForbidden());
        mvc.perform(get("/admin/users").with(user(viewer))).andExpect(status().isForbidden());
        mvc.perform(post("/admin/projects").with(user(viewer)).with(csrf()).param("name", "nope"))
                .andExpect(status().isForbidden());

        mvc.perform(post("/api/v1/projects").with(httpBasic(viewer, PASSWORD))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"nope\"}"))
                .andExpect(status().isForbidden());
        mvc.perform(patch("/api/v1/projects/" + mine.id()).with(httpBasic(viewer, PASSWORD))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"nope\"}"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/api/v1/projects/" + mine.id() + "/keys").with(httpBasic(viewer, PASSWORD)))
                .andExpect(status().isForbidden());
        mvc.perform(get("/api/v1/users").with(httpBasic(viewer, PASSWORD))).andExpect(status().isForbidden());

        assertThat(projects.find(mine.id()).orElseThrow().name()).isEqualTo(mine.name());
        assertThat(projects.find(mine.id()).orElseThrow().writeKey()).isEqualTo(mine.writeKey());
    }

    @Test
    void nonAdminsSeeOnlyTheirProjectsInTheConsoleAndApi() throws Exception {
        mvc.perform(get("/p/" + theirs.id() + "/overview").with(user(operator))).andExpect(status().isNotFound());
        mvc.perform(get("/p/" + theirs.id() + "/settings").with(user(operator))).andExpect(status().isNotFound());
        mvc.perform(get("/api/v1/projects/" + theirs.id() + "/activity").with(httpBasic(operator, PASSWORD)))
                .andExpect(status().isNotFound());
        mvc.perform(get("/api/v1/projects").with(httpBasic(operator, PASSWORD)))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString(mine.name())))
                .andExpect(content().string(Matchers.not(Matchers.containsString(theirs.name()))));
        mvc.perform(get("/p/" + mine.id() + "/overview").with(user(operator)))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.not(Matchers.containsString(theirs.name()))));
        mvc.perform(get("/").with(user(operator))).andExpect(redirectedUrl("/p/" + mine.id() + "/overview"));
    }

    @Test
    void adminChangesProjectSettingsInTheConsole() throws Exception {
        mvc.perform(post("/p/" + mine.id() + "/settings").with(user("admin").roles("ADMIN")).with(csrf())
                        .param("name", "Renamed in console").param("timeZone", "Europe/Paris"))
                .andExpect(status().is3xxRedirection());
        Project changed = projects.find(mine.id()).orElseThrow();
        assertThat(changed.name()).isEqualTo("Renamed in console");
        assertThat(changed.timeZone()).isEqualTo(ZoneId.of("Europe/Paris"));
    }

    @Test
    void signInFailsWithAWrongPasswordAndSucceedsWithTheRightOne() throws Exception {
        mvc.perform(formLogin("/login").user(viewer).password("wrong-password"))
                .andExpect(redirectedUrl("/login?error"));
        mvc.perform(formLogin("/login").user("nobody-" + UUID.randomUUID()).password(PASSWORD))
                .andExpect(redirectedUrl("/login?error"));
        mvc.perform(formLogin("/login").user(viewer).password(PASSWORD))
                .andExpect(redirectedUrl("/"));
        mvc.perform(get("/login").param("error", ""))
                .andExpect(content().string(Matchers.containsString("Wrong user name or password")));
    }

    @Test
    void disabledUsersCannotSignIn() throws Exception {
        UserAccount account = users.findByUsername(viewer).orElseThrow();
        users.update(account.id(), account.displayName(), account.role(), false, account.projects(), "test");
        mvc.perform(formLogin("/login").user(viewer).password(PASSWORD)).andExpect(redirectedUrl("/login?error"));
        mvc.perform(get("/api/v1/projects").with(httpBasic(viewer, PASSWORD))).andExpect(status().isUnauthorized());
    }

    @Test
    void consoleFormsNeedACsrfToken() throws Exception {
        mvc.perform(post("/p/" + mine.id() + "/settings").with(user("admin").roles("ADMIN"))
                        .param("name", "no token").param("timeZone", "UTC"))
                .andExpect(status().isForbidden());
        assertThat(projects.find(mine.id()).orElseThrow().name()).isEqualTo(mine.name());
    }

    @Test
    void anonymousVisitorsAreSentToSignIn() throws Exception {
        mvc.perform(get("/p/" + mine.id() + "/overview").accept(MediaType.TEXT_HTML))
                .andExpect(status().is3xxRedirection())
                .andExpect(redirectedUrl("/login"));
    }

    @Test
    void theLastAdminCannotBeDemoted() throws Exception {
        UserAccount admin = users.findByUsername("admin").orElseThrow();
        mvc.perform(patch("/api/v1/users/" + admin.id()).with(httpBasic("admin", TestApplication.ADMIN_PASSWORD))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"role\":\"viewer\"}"))
                .andExpect(status().isConflict());
    }

    @Test
    void consolePagesRenderInChinese() throws Exception {
        mvc.perform(get("/p/" + mine.id() + "/overview").param("lang", "zh-CN").with(user("admin").roles("ADMIN")))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("今日事件数")));
        for (String page : new String[] {"/admin/projects", "/admin/users", "/admin/audit", "/p/" + mine.id() + "/settings"}) {
            mvc.perform(get(page).param("lang", "zh-CN").with(user("admin").roles("ADMIN"))).andExpect(status().isOk());
        }
    }
}
