package io.flywheel.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.platform.AuditEntry;
import io.flywheel.platform.Project;
import io.flywheel.platform.Role;
import io.flywheel.platform.UserAccount;
import io.flywheel.shared.PageRequest;
import io.flywheel.support.Databases;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.dao.DataIntegrityViolationException;

/** The platform's stores and migrations, on H2 and on PostgreSQL, from one test body. */
class PlatformStoresTests {

    private static final Instant NOW = Instant.parse("2026-06-01T08:30:00.123456Z");

    @ParameterizedTest
    @EnumSource(Databases.class)
    void projectsAreStoredFoundUpdatedAndKeyedUniquely(Databases engine) {
        ProjectStore projects = new ProjectStore(engine.migrated().jdbc());

        long shop = projects.insert("Shop 商城", ZoneId.of("Asia/Shanghai"), "wk_shop", "hash-shop", NOW);
        long blog = projects.insert("Blog", ZoneId.of("UTC"), "wk_blog", "hash-blog", NOW);

        Project found = projects.find(shop).orElseThrow();
        assertThat(found).isEqualTo(new Project(shop, "Shop 商城", ZoneId.of("Asia/Shanghai"), "wk_shop", NOW.truncatedTo(ChronoUnit.MICROS)));
        assertThat(projects.findByWriteKey("wk_blog").map(Project::id)).contains(blog);
        assertThat(projects.findBySecretKeyHash("hash-shop").map(Project::id)).contains(shop);
        assertThat(projects.findByWriteKey("wk_none")).isEmpty();
        assertThat(projects.all()).extracting(Project::name).containsExactly("Blog", "Shop 商城");

        assertThat(projects.update(shop, "Shop", ZoneId.of("Europe/Berlin"), NOW.plusSeconds(5))).isTrue();
        assertThat(projects.find(shop).orElseThrow().timeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(projects.replaceKeys(shop, "wk_new", "hash-new", NOW)).isTrue();
        assertThat(projects.findByWriteKey("wk_shop")).isEmpty();
        assertThat(projects.findBySecretKeyHash("hash-new").map(Project::id)).contains(shop);
        assertThat(projects.update(9_999, "x", ZoneId.of("UTC"), NOW)).isFalse();

        assertThatThrownBy(() -> projects.insert("Copy", ZoneId.of("UTC"), "wk_blog", "other-hash", NOW))
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    @ParameterizedTest
    @EnumSource(Databases.class)
    void usersKeepRolesMembershipAndCredentials(Databases engine) {
        Databases.Migrated database = engine.migrated();
        ProjectStore projects = new ProjectStore(database.jdbc());
        UserStore users = new UserStore(database.jdbc());
        long first = projects.insert("One", ZoneId.of("UTC"), "wk_1", "h1", NOW);
        long second = projects.insert("Two", ZoneId.of("UTC"), "wk_2", "h2", NOW);

        long id = users.insert("mei", "Mei 梅", "{argon2}hash", Role.ANALYST, NOW);
        users.replaceProjects(id, Set.of(first, second));
        assertThat(users.find(id).orElseThrow()).isEqualTo(
                new UserAccount(id, "mei", "Mei 梅", Role.ANALYST, true, Set.of(first, second), NOW.truncatedTo(ChronoUnit.MICROS)));
        assertThat(users.credentials("mei").orElseThrow().passwordHash()).isEqualTo("{argon2}hash");

        users.update(id, "Mei", Role.VIEWER, false, NOW);
        users.replaceProjects(id, Set.of(second));
        users.updatePassword(id, "{argon2}other", NOW);
        UserAccount changed = users.findByUsername("mei").orElseThrow();
        assertThat(changed.role()).isEqualTo(Role.VIEWER);
        assertThat(changed.enabled()).isFalse();
        assertThat(changed.projects()).containsExactly(second);
        assertThat(users.credentials("mei").orElseThrow().passwordHash()).isEqualTo("{argon2}other");
        assertThat(users.count()).isEqualTo(1);

        assertThatThrownBy(() -> users.insert("mei", "again", "x", Role.VIEWER, NOW)).isInstanceOf(DataIntegrityViolationException.class);
        database.jdbc().sql("DELETE FROM projects WHERE id = :id").param("id", second).update();
        assertThat(users.projects(id)).as("membership goes with the project").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Databases.class)
    void theAuditLogPagesNewestFirstAndFiltersByProject(Databases engine) {
        AuditStore audit = new AuditStore(engine.migrated().jdbc());
        for (int i = 0; i < 7; i++) {
            audit.insert(NOW.plusSeconds(i), "admin", i % 2 == 0 ? 1L : null, "thing.changed", "target " + i, "detail " + i);
        }
        List<AuditEntry> first = audit.page(null, new PageRequest(0, 3));
        assertThat(first).extracting(AuditEntry::target).containsExactly("target 6", "target 5", "target 4");
        assertThat(audit.page(null, new PageRequest(2, 3))).extracting(AuditEntry::target).containsExactly("target 0");
        assertThat(audit.page(1L, new PageRequest(0, 10))).extracting(AuditEntry::target)
                .containsExactly("target 6", "target 4", "target 2", "target 0");
        assertThat(audit.count(null)).isEqualTo(7);
        assertThat(audit.count(1L)).isEqualTo(4);
        assertThat(first.get(1).projectId()).isNull();
        assertThat(first.get(0).at()).isEqualTo(NOW.plusSeconds(6).truncatedTo(ChronoUnit.MICROS));
    }
}
