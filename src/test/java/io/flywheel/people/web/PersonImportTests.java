package io.flywheel.people.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.flywheel.TestApplication;
import io.flywheel.collect.IdentifyCommand;
import io.flywheel.collect.Tracking;
import io.flywheel.events.DailyActivity;
import io.flywheel.events.EventStore;
import io.flywheel.events.LifecycleThresholds;
import io.flywheel.events.Lifecycles;
import io.flywheel.events.PersonProfile;
import io.flywheel.events.PersonQuery;
import io.flywheel.events.PersonSummary;
import io.flywheel.platform.AuditEntry;
import io.flywheel.platform.AuditLog;
import io.flywheel.platform.Project;
import io.flywheel.platform.Projects;
import io.flywheel.platform.Role;
import io.flywheel.platform.Users;
import io.flywheel.shared.PageRequest;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultMatcher;
import org.springframework.test.web.servlet.request.AbstractMockHttpServletRequestBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The CSV import end to end: the console wizard and the API, through ingestion into the event
 * store, with every row validated first and nothing stored when one row is bad.
 */
@SpringBootTest
@AutoConfigureMockMvc
class PersonImportTests {

    private static final String PASSWORD = "import-tests-password";
    private static final int MAX_ROWS = 30;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestApplication.embedded(registry);
        registry.add("flywheel.people.imports.max-rows", () -> Integer.toString(MAX_ROWS));
        registry.add("flywheel.people.imports.chunk-rows", () -> "7");
        registry.add("flywheel.people.imports.max-file-size", () -> "1MB");
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
    Tracking tracking;

    @Autowired
    AuditLog audit;

    @Autowired
    Lifecycles lifecycles;

    @Autowired
    JsonMapper json;

    private Project project;
    private String operator;
    private String viewer;
    private String console;
    private String api;

    @BeforeEach
    void project() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        project = projects.create("Import " + suffix, ZoneId.of("Asia/Shanghai"), "test").project();
        operator = "io-" + suffix;
        viewer = "iv-" + suffix;
        users.create(operator, "Operator", PASSWORD, Role.OPERATOR, Set.of(project.id()), "test");
        users.create(viewer, "Viewer", PASSWORD, Role.VIEWER, Set.of(project.id()), "test");
        console = "/p/" + project.id() + "/people/imports";
        api = "/api/v1/projects/" + project.id() + "/persons/imports";
    }

    // ------------------------------------------------------------ helpers

    private String html(AbstractMockHttpServletRequestBuilder<?> request) throws Exception {
        return mvc.perform(request.with(user(operator).roles("OPERATOR"))).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
    }

    private JsonNode call(AbstractMockHttpServletRequestBuilder<?> request, ResultMatcher expected) throws Exception {
        String body = mvc.perform(request.with(httpBasic(operator, PASSWORD))).andExpect(expected).andReturn().getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        return body.isEmpty() ? null : json.readTree(body);
    }

    private JsonNode csv(String text, ResultMatcher expected) throws Exception {
        return call(post(api).contentType("text/csv").content(text.getBytes(StandardCharsets.UTF_8)), expected);
    }

    private JsonNode awaitCompleted(long jobId) {
        JsonNode[] job = new JsonNode[1];
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            job[0] = call(get(api + "/" + jobId), status().isOk());
            return job[0].get("state").asString().equals("completed");
        });
        return job[0];
    }

    private PersonProfile person(String userId) {
        List<PersonSummary> found = events.persons(project.id(), new PersonQuery(userId, null, null, "", PersonQuery.Sort.LAST_SEEN, false),
                new PageRequest(0, 50)).items();
        PersonSummary summary = found.stream().filter(item -> userId.equals(item.userId())).findFirst().orElseThrow();
        return events.person(project.id(), summary.personId()).orElseThrow();
    }

    private JsonNode traits(String userId) {
        return json.readTree(person(userId).traits());
    }

    private List<AuditEntry> audits() {
        return audit.page(project.id(), new PageRequest(0, 50)).items();
    }

    // ------------------------------------------------------------ console

    @Test
    void theWizardUploadsMapsValidatesAndImports() throws Exception {
        String people = html(get("/p/" + project.id() + "/people"));
        assertThat(people).contains("href=\"" + console + "\"").contains("data-import");
        String viewers = mvc.perform(get("/p/" + project.id() + "/people").with(user(viewer))).andReturn().getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(viewers).as("viewers get no import link").doesNotContain("data-import");
        mvc.perform(get(console).with(user(viewer))).andExpect(status().is4xxClientError());

        assertThat(html(get(console))).contains("data-empty").contains("No imports yet.");

        byte[] file = "用户ID;城市;年龄;会员\r\nw1;上海;31;是\r\nw2;\"北京;朝阳\";28;否\r\n".getBytes(Charset.forName("GBK"));
        MvcResult uploaded = mvc.perform(multipart(console).file(new MockMultipartFile("file", "会员.csv", "text/csv", file))
                        .param("encoding", "auto").param("delimiter", "auto").with(csrf()).with(user(operator)))
                .andExpect(status().is3xxRedirection()).andReturn();
        String jobPage = uploaded.getResponse().getRedirectedUrl();
        assertThat(jobPage).startsWith(console + "/");
        long jobId = Long.parseLong(jobPage.substring(jobPage.lastIndexOf('/') + 1));

        String preview = html(get(jobPage));
        assertThat(preview).contains("会员.csv").contains("gb18030").contains("semicolon").contains("data-preview")
                .contains("北京;朝阳").contains("name=\"role.0\"").contains("value=\"userId\" selected");

        mvc.perform(post(jobPage + "/validate").with(csrf()).with(user(operator))
                        .param("role.0", "userId").param("role.1", "trait").param("trait.1", "city").param("type.1", "text")
                        .param("role.2", "trait").param("trait.2", "age").param("type.2", "boolean")
                        .param("role.3", "trait").param("trait.3", "vip").param("type.3", "boolean"))
                .andExpect(status().is3xxRedirection());
        String invalid = html(get(jobPage));
        assertThat(invalid).contains("data-valid=\"false\"").contains("2 of 2 rows have problems").contains("data-line=\"2\"")
                .contains("“31” is not true or false").contains("Nothing was imported.").doesNotContain("data-start");
        String report = mvc.perform(get(jobPage + "/errors.csv").with(user(operator))).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(report).isEqualTo("\uFEFFline,column,problem\r\n2,年龄,'31' is not a boolean (true or false)\r\n"
                + "3,年龄,'28' is not a boolean (true or false)\r\n");
        mvc.perform(post(jobPage + "/start").with(csrf()).with(user(operator))).andExpect(status().is3xxRedirection());
        assertThat(events.count(project.id())).as("an invalid file imports nothing").isZero();

        mvc.perform(post(jobPage + "/validate").with(csrf()).with(user(operator))
                        .param("role.0", "userId").param("role.1", "trait").param("trait.1", "city").param("type.1", "text")
                        .param("role.2", "trait").param("trait.2", "age").param("type.2", "number")
                        .param("role.3", "trait").param("trait.3", "vip").param("type.3", "boolean"))
                .andExpect(status().is3xxRedirection());
        String valid = html(get(jobPage));
        assertThat(valid).contains("data-valid=\"true\"").contains("All 2 rows are valid.").contains("data-start");

        mvc.perform(post(jobPage + "/start").with(csrf()).with(user(operator))).andExpect(status().is3xxRedirection());
        awaitCompleted(jobId);
        assertThat(traits("w1")).isEqualTo(json.readTree("{\"city\":\"上海\",\"age\":31,\"vip\":true}"));
        assertThat(traits("w2")).isEqualTo(json.readTree("{\"city\":\"北京;朝阳\",\"age\":28,\"vip\":false}"));

        String done = html(get(jobPage));
        assertThat(done).contains("data-state=\"completed\"").contains("2 of 2 rows stored").doesNotContain("hx-trigger");
        String fragment = html(get(jobPage + "/progress"));
        assertThat(fragment).startsWith("<div").contains("data-progress").doesNotContain("<html");
        String list = html(get(console));
        assertThat(list).contains("data-import=\"" + jobId + "\"").contains("会员.csv").contains("Completed");
        assertThat(audits()).extracting(AuditEntry::action).contains("person.import.started", "person.import.completed");
        AuditEntry started = audits().stream().filter(entry -> entry.action().equals("person.import.started")).findFirst().orElseThrow();
        assertThat(started.actor()).isEqualTo(operator);
        assertThat(started.detail()).isEqualTo("file: 会员.csv; rows: 2; traits: city, age, vip").doesNotContain("上海");
        mvc.perform(post(jobPage + "/start").with(csrf()).with(user(operator))).andExpect(status().is3xxRedirection());
    }

    @Test
    void theConsoleExplainsFilesThatCannotBeRead() throws Exception {
        byte[] bad = {'u', 's', 'e', 'r', '_', 'i', 'd', '\n', 'u', '1', '\n', (byte) 0xFF, '\n'};
        String page = html(multipart(console).file(new MockMultipartFile("file", "bad.csv", "text/csv", bad))
                .param("encoding", "utf-8").with(csrf()));
        assertThat(page).contains("data-upload-error").contains("The file is not valid utf-8: invalid bytes on line 3.");
        String chinese = mvc.perform(multipart(console).file(new MockMultipartFile("file", "empty.csv", "text/csv", "user_id\n".getBytes()))
                        .param("lang", "zh_CN").with(csrf()).with(user(operator)))
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(chinese).contains("文件只有表头，没有数据行。");
        assertThat(html(get(console))).contains("data-empty");
    }

    @Test
    void anUploadOverTheLimitShowsTheWizardWithItsSizeAtTheFileField() throws Exception {
        // over the limit with the form's overhead: sent back before anything reads the body (the CSRF check would)
        byte[] body = new byte[3 * 1024 * 1024 + 200 * 1024];
        MvcResult early = mvc.perform(post(console).contentType("multipart/form-data; boundary=x").content(body).with(user(operator)))
                .andExpect(status().isSeeOther()).andReturn();
        String wizard = early.getResponse().getHeader("Location");
        assertThat(wizard).isEqualTo(console + "?tooLarge=" + body.length);
        String page = html(get(wizard));
        assertThat(page).contains("data-upload-error").contains("aria-invalid=\"true\"")
                .contains("The file has 3.2 MB, but a file may have at most 1 MB.");
        assertThat(page.indexOf("data-upload-error")).as("at the file field").isGreaterThan(page.indexOf("name=\"file\""));
        String chinese = mvc.perform(get(wizard).param("lang", "zh_CN").with(user(operator))).andReturn().getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(chinese).contains("文件大小为 3.2 MB，超过了 1 MB 的上限。");
        assertThat(html(get(console + "?tooLarge=1000"))).as("a size within the limit is no error").doesNotContain("data-upload-error");
        mvc.perform(get(wizard).with(user(viewer))).andExpect(status().is4xxClientError());

        // just over the limit, within the overhead: the controller sees the file and says the same
        byte[] file = new byte[1024 * 1024 + 1];
        java.util.Arrays.fill(file, (byte) 'a');
        String over = html(multipart(console).file(new MockMultipartFile("file", "big.csv", "text/csv", file)).with(csrf()));
        assertThat(over).contains("The file has 1.1 MB, but a file may have at most 1 MB.");
        assertThat(html(get(console))).as("nothing was uploaded").contains("data-empty");
    }

    // ------------------------------------------------------------ API

    @Test
    void theApiImportsRowsThatMergeWithExistingPersons() throws Exception {
        tracking.identify(project.id(), List.of(new IdentifyCommand("seed-1", "u_existing", null, Map.of("city", "杭州", "plan", "free"))))
                .get();
        tracking.identify(project.id(), List.of(new IdentifyCommand("seed-2", null, "device-9", Map.of("source", "ad")))).get();
        await().atMost(Duration.ofSeconds(10)).until(() -> events.count(project.id()) == 2);

        StringBuilder file = new StringBuilder("user_id,anonymous_id,city,plan\n");
        file.append("u_existing,,上海,\n");
        file.append("u_device,device-9,北京,pro\n");
        for (int i = 0; i < 20; i++) {
            file.append("u_").append(i).append(",,\"Shen, zhen\",basic\n");
        }
        MvcResult result = mvc.perform(post(api).contentType("text/csv").param("fileName", "crm.csv")
                        .content(file.toString().getBytes(StandardCharsets.UTF_8)).with(httpBasic(operator, PASSWORD)))
                .andExpect(status().isAccepted()).andReturn();
        JsonNode job = json.readTree(result.getResponse().getContentAsString(StandardCharsets.UTF_8));
        assertThat(result.getResponse().getHeader("Location")).isEqualTo(api + "/" + job.get("id").asLong());
        assertThat(job.get("fileName").asString()).isEqualTo("crm.csv");
        assertThat(job.get("rows").asLong()).isEqualTo(22);

        JsonNode done = awaitCompleted(job.get("id").asLong());
        assertThat(done.get("sentRows").asLong()).isEqualTo(22);
        assertThat(done.get("percent").asInt()).isEqualTo(100);
        assertThat(done.get("durableAt").isNull()).isFalse();

        assertThat(traits("u_existing")).as("imported traits merge into the existing ones; an empty cell keeps the old value")
                .isEqualTo(json.readTree("{\"city\":\"上海\",\"plan\":\"free\"}"));
        PersonProfile device = person("u_device");
        assertThat(device.anonymousIds()).as("identify links the anonymous id as tracking does").contains("device-9");
        assertThat(json.readTree(device.traits()).get("plan").asString()).isEqualTo("pro");
        assertThat(json.readTree(device.traits()).get("source").asString()).as("the anonymous person merged into the user").isEqualTo("ad");
        assertThat(traits("u_19").get("city").asString()).isEqualTo("Shen, zhen");
        assertThat(events.persons(project.id(), PersonQuery.everyone(), new PageRequest(0, 50)).total()).isEqualTo(22);
        JsonNode listed = call(get("/api/v1/projects/" + project.id() + "/persons").param("trait", "plan").param("value", "pro"), status().isOk());
        assertThat(listed.get("total").asLong()).as("visible through People").isEqualTo(1);
        assertThat(listed.get("items").get(0).get("userId").asString()).isEqualTo("u_device");
        assertThat(listed.get("items").get(0).get("city").asString()).isEqualTo("北京");

        JsonNode recent = call(get(api), status().isOk());
        assertThat(recent.get(0).get("state").asString()).isEqualTo("completed");

        assertThat(events.count(project.id())).as("imported rows are no events; the two tracked identify calls are").isEqualTo(2);
        PersonProfile existing = person("u_existing");
        assertThat(existing.events()).isOne();
        assertThat(existing.lastSeen()).as("the import is no visit").isEqualTo(existing.firstSeen());
        assertThat(device.events()).as("the merged device's tracked identify").isOne();
        assertThat(person("u_19").seen()).as("created by the import, never seen").isFalse();

        // an edit after the import, then the same file again: its rows are duplicates and must not overwrite the edit
        long u19 = person("u_19").personId();
        call(patch("/api/v1/projects/" + project.id() + "/persons/" + u19 + "/traits").contentType("application/json")
                .content("{\"city\":\"Edited\"}"), status().isOk());
        JsonNode again = call(post(api).contentType("text/csv").content(file.toString().getBytes(StandardCharsets.UTF_8)), status().isAccepted());
        awaitCompleted(again.get("id").asLong());
        assertThat(traits("u_19").get("city").asString()).as("the same file with the same mapping sends the same message ids: nothing new "
                + "is applied").isEqualTo("Edited");
        assertThat(events.count(project.id())).isEqualTo(2);
        assertThatThrownBy(() -> tracking.identify(project.id(), List.of(new IdentifyCommand("big", "u_big", null, Map.of("x", "y".repeat(40_000))))))
                .as("a message over 32 KB is refused, as the tracking API refuses it").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void importedRowsAreProfileDataNotActivity() throws Exception {
        tracking.identify(project.id(), List.of(new IdentifyCommand("seed-old", "u_old", null, Map.of("plan", "free")))).get();
        await().atMost(Duration.ofSeconds(10)).until(() -> events.count(project.id()) == 1);
        ZoneId zone = project.timeZone();
        LocalDate today = LocalDate.now(zone);
        List<DailyActivity> before = events.dailyActivity(project.id(), zone, today.minusDays(1), today);
        assertThat(before.get(1).activePersons()).isOne();
        lifecycles.recompute(project.id(), LifecycleThresholds.DEFAULTS, Instant.now());
        var stageBefore = lifecycles.stage(project.id(), person("u_old").personId()).orElseThrow();

        JsonNode job = csv("user_id,plan\nu_old,gold\nu_new,silver\n", status().isAccepted());
        awaitCompleted(job.get("id").asLong());

        assertThat(events.count(project.id())).isOne();
        assertThat(events.dailyActivity(project.id(), zone, today.minusDays(1), today)).as("DAU and events per day").isEqualTo(before);
        PersonProfile old = person("u_old");
        assertThat(old.events()).isOne();
        assertThat(old.lastSeen()).isEqualTo(old.firstSeen());
        assertThat(json.readTree(old.traits()).get("plan").asString()).isEqualTo("gold");
        PersonProfile created = person("u_new");
        assertThat(created.seen()).isFalse();
        assertThat(created.events()).isZero();
        assertThat(created.userIds()).containsExactly("u_new");
        lifecycles.recompute(project.id(), LifecycleThresholds.DEFAULTS, Instant.now());
        assertThat(lifecycles.stage(project.id(), old.personId())).as("the stage is unchanged").contains(stageBefore);
        assertThat(lifecycles.stage(project.id(), created.personId())).as("no stage before the first event").isEmpty();

        String base = "/api/v1/projects/" + project.id() + "/persons/" + created.personId();
        JsonNode shown = call(get(base), status().isOk());
        assertThat(shown.get("events").asLong()).isZero();
        assertThat(shown.has("firstSeen") && !shown.get("firstSeen").isNull()).isFalse();
        String page = html(get("/p/" + project.id() + "/people/" + created.personId()));
        assertThat(page).contains("data-not-seen").contains("Not yet: imported, no activity so far");
        JsonNode export = call(get(base + "/export"), status().isOk());
        assertThat(export.get("traits").get("plan").asString()).as("the data-subject export holds the imported traits").isEqualTo("silver");
        assertThat(export.get("userIds").get(0).asString()).isEqualTo("u_new");
        assertThat(export.get("events")).isEmpty();

        call(delete(base), status().isNoContent());
        call(get(base), status().isNotFound());
        List<String> links = new java.util.ArrayList<>();
        events.identityLinks(link -> {
            if (link.projectId() == project.id()) {
                links.add(link.distinctId());
            }
        });
        assertThat(links).containsExactly("u_old");
        assertThat(events.persons(project.id(), new PersonQuery("silver", null, null, "", PersonQuery.Sort.LAST_SEEN, false),
                new PageRequest(0, 10)).total()).as("nothing of the imported person remains").isZero();
    }

    @Test
    void oneBadRowImportsNothing() throws Exception {
        JsonNode problem = csv("""
                user_id,age
                a1,1
                a2,2
                a1,3
                ,4
                a5,5,6
                """, status().isUnprocessableContent());
        assertThat(problem.get("type").asString()).isEqualTo("urn:flywheel:problem:invalid-import");
        assertThat(problem.get("detail").asString()).isEqualTo("3 of 5 rows have problems; nothing was imported");
        assertThat(problem.get("errors").toString()).isEqualTo("[{\"line\":4,\"column\":\"user_id\",\"code\":\"duplicate_id\",\"detail\":\"'a1' is on line 2 already\"},"
                + "{\"line\":5,\"code\":\"missing_id\",\"detail\":\"the row has no userId\"},"
                + "{\"line\":6,\"code\":\"column_count\",\"detail\":\"the row has 3 columns, the header 2\"}]");
        JsonNode job = call(get(api + "/" + problem.get("jobId").asLong()), status().isOk());
        assertThat(job.get("state").asString()).isEqualTo("expired");
        assertThat(job.get("sentRows").asLong()).isZero();
        assertThat(events.count(project.id())).isZero();
        assertThat(audits()).extracting(AuditEntry::action).doesNotContain("person.import.started");
    }

    @Test
    void typedTraitsFromAMultipartUploadWithAMapping() throws Exception {
        String mapping = """
                {"userId":"ID","traits":[{"column":"Age","name":"age","type":"number"},{"column":"VIP","name":"vip","type":"boolean"},
                 {"column":"Birthday","name":"birthday","type":"date"}]}""";
        MockMultipartFile file = new MockMultipartFile("file", "typed.tsv", "text/csv",
                "\uFEFFID\tAge\tVIP\tBirthday\tSecret\nt1\t42\ttrue\t1984/2/29\tx\n".getBytes(StandardCharsets.UTF_8));
        MockMultipartFile part = new MockMultipartFile("mapping", "", "application/json", mapping.getBytes(StandardCharsets.UTF_8));
        JsonNode job = call(multipart(api).file(file).file(part), status().isAccepted());
        assertThat(job.get("encoding").asString()).isEqualTo("utf-8");
        assertThat(job.get("delimiter").asString()).isEqualTo("tab");
        awaitCompleted(job.get("id").asLong());
        assertThat(traits("t1")).as("unmapped columns are ignored").isEqualTo(json.readTree("{\"age\":42,\"vip\":true,\"birthday\":\"1984-02-29\"}"));

        JsonNode unknown = call(multipart(api).file(file).file(new MockMultipartFile("mapping", "", "application/json",
                "{\"userId\":\"ID\",\"traits\":[{\"column\":\"Town\"}]}".getBytes(StandardCharsets.UTF_8))), status().isBadRequest());
        assertThat(unknown.get("errors").get(0).get("field").asString()).isEqualTo("mapping.traits[0].column");
        assertThat(unknown.get("detail").asString()).contains("no column 'Town'");
        JsonNode noId = call(multipart(api).file(file).file(new MockMultipartFile("mapping", "", "application/json",
                "{\"traits\":[{\"column\":\"Age\"}]}".getBytes(StandardCharsets.UTF_8))), status().isUnprocessableContent());
        assertThat(noId.get("errors").get(0).get("code").asString()).isEqualTo("no_id_column");
        assertThat(noId.get("detail").asString()).isEqualTo("the mapping cannot be used; nothing was imported");
        JsonNode badType = call(multipart(api).file(file).file(new MockMultipartFile("mapping", "", "application/json",
                "{\"userId\":\"ID\",\"traits\":[{\"column\":\"Age\",\"type\":\"money\"}]}".getBytes(StandardCharsets.UTF_8))), status().isBadRequest());
        assertThat(badType.get("errors").get(0).get("field").asString()).isEqualTo("mapping.traits[0].type");
        assertThat(call(multipart(api).file(file).file(new MockMultipartFile("mapping", "", "application/json", "{".getBytes())),
                status().isBadRequest()).get("errors").get(0).get("field").asString()).isEqualTo("mapping");
    }

    @Test
    void filesThatCannotBeReadAreProblems() throws Exception {
        assertThat(csv("", status().isBadRequest()).get("detail").asString()).isEqualTo("the file is empty");
        assertThat(csv("user_id,city\n", status().isBadRequest()).get("detail").asString()).isEqualTo("the file has a header but no rows");
        JsonNode encoding = call(post(api).contentType("text/csv").content(new byte[] {'u', '\n', 'a', '\n', 'b', (byte) 0xC3, '\n'}),
                status().isBadRequest());
        assertThat(encoding.get("detail").asString()).startsWith("the file is not valid utf-8: invalid bytes on line 3");
        assertThat(encoding.get("errors").get(0).get("field").asString()).isEqualTo("file");
        assertThat(call(post(api).contentType("text/csv").param("encoding", "latin1").content("a\n1\n"), status().isBadRequest())
                .get("errors").get(0).get("field").asString()).isEqualTo("encoding");
        JsonNode gbk = call(post(api).contentType("text/csv;charset=GBK").content("user_id,城市\ng1,上海\n".getBytes(Charset.forName("GBK"))),
                status().isAccepted());
        assertThat(gbk.get("encoding").asString()).as("the body's charset is the encoding").isEqualTo("gb18030");
        awaitCompleted(gbk.get("id").asLong());
        assertThat(traits("g1").get("城市").asString()).isEqualTo("上海");

        StringBuilder tooMany = new StringBuilder("user_id\n");
        for (int i = 0; i <= MAX_ROWS; i++) {
            tooMany.append("r").append(i).append('\n');
        }
        long stored = events.count(project.id());
        JsonNode problem = csv(tooMany.toString(), status().isUnprocessableContent());
        assertThat(problem.get("errors").get(0).get("code").asString()).isEqualTo("too_many_rows");
        assertThat(problem.get("errors").get(0).get("line").asLong()).isEqualTo(MAX_ROWS + 2);
        assertThat(events.count(project.id())).isEqualTo(stored);

        mvc.perform(post(api).contentType("text/csv").content("user_id\nx\n").with(httpBasic(viewer, PASSWORD)))
                .andExpect(status().isForbidden());
        call(get(api + "/999999"), status().isNotFound());
    }
}
