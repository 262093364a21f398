package io.flywheel.people.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.events.EventFilter;
import io.flywheel.events.PersonCondition;
import io.flywheel.events.PersonCondition.All;
import io.flywheel.events.PersonCondition.Count;
import io.flywheel.events.PersonCondition.Did;
import io.flywheel.events.PersonCondition.InSet;
import io.flywheel.events.PersonCondition.Trait;
import io.flywheel.events.PersonCondition.Window;
import io.flywheel.people.Segment;
import io.flywheel.people.SetSize;
import io.flywheel.people.Tag;
import io.flywheel.support.Databases;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The segment, tag and size-history stores and the V5 migration, on H2 and on PostgreSQL. */
class SegmentStoresTests {

    private static final Instant NOW = Instant.parse("2026-11-20T08:30:00Z");
    private static final PersonCondition RULE = new All(List.of(
            new Did("Order Completed", List.of(), Count.atLeast(3), Window.lastDays(30)),
            new Trait("city", EventFilter.Operator.EQUALS, List.of("上海"))));

    private static long project(JdbcClient jdbc, String name) {
        jdbc.sql("""
                        INSERT INTO projects (name, time_zone, write_key, secret_key_hash, created_at, updated_at)
                        VALUES (:name, 'Asia/Shanghai', :name, :name, :now, :now)""")
                .param("name", name)
                .param("now", Timestamp.from(NOW))
                .update();
        return jdbc.sql("SELECT id FROM projects WHERE name = :name").param("name", name).query(Long.class).single();
    }

    @ParameterizedTest
    @EnumSource(Databases.class)
    void segmentsAreInsertedChangedListedAndDeletedPerProject(Databases engine) {
        JdbcClient jdbc = engine.migrated().jdbc();
        long shop = project(jdbc, "shop");
        long other = project(jdbc, "other");
        SegmentStore store = new SegmentStore(jdbc);

        long buyers = store.insert(shop, new Segment.Draft("上海 buyers", "3+ orders", RULE), "ana", NOW);
        long all = store.insert(shop, new Segment.Draft("All buyers", "", new InSet("segment:" + buyers)), "ana", NOW);
        store.insert(other, new Segment.Draft("上海 buyers", "", RULE), "bo", NOW);

        assertThat(store.all(shop)).extracting(Segment::name).containsExactly("All buyers", "上海 buyers");
        Segment found = store.find(shop, buyers).orElseThrow();
        assertThat(found.rule()).isEqualTo(RULE);
        assertThat(found.description()).isEqualTo("3+ orders");
        assertThat(found.createdBy()).isEqualTo("ana");
        assertThat(found.createdAt()).isEqualTo(NOW);
        assertThat(store.find(other, buyers)).isEmpty();
        assertThat(store.findByName(shop, "All buyers")).map(Segment::id).contains(all);
        assertThatThrownBy(() -> store.insert(shop, new Segment.Draft("All buyers", "", RULE), "ana", NOW))
                .isInstanceOf(DataIntegrityViolationException.class);

        assertThat(store.update(shop, all, new Segment.Draft("Everyone", "d", RULE), "bo", NOW.plusSeconds(60))).isTrue();
        assertThat(store.update(other, all, new Segment.Draft("Stolen", "", RULE), "bo", NOW)).isFalse();
        Segment changed = store.find(shop, all).orElseThrow();
        assertThat(changed.name()).isEqualTo("Everyone");
        assertThat(changed.rule()).isEqualTo(RULE);
        assertThat(changed.updatedBy()).isEqualTo("bo");
        assertThat(changed.updatedAt()).isEqualTo(NOW.plusSeconds(60));
        assertThat(changed.createdBy()).isEqualTo("ana");

        assertThat(store.projectsWithRules()).containsExactly(shop, other);
        assertThat(store.delete(other, all)).isFalse();
        assertThat(store.delete(shop, all)).isTrue();
        assertThat(store.all(shop)).extracting(Segment::id).containsExactly(buyers);
    }

    @ParameterizedTest
    @EnumSource(Databases.class)
    void tagsKeepTheirGroupAndRuleAndLoseTheGroupWhenItGoes(Databases engine) {
        JdbcClient jdbc = engine.migrated().jdbc();
        long shop = project(jdbc, "shop");
        TagStore store = new TagStore(jdbc);

        long interests = store.insertGroup(shop, "兴趣", "ana", NOW);
        long value = store.insertGroup(shop, "价值", "ana", NOW);
        long sport = store.insert(shop, new Tag.Draft("运动", "", interests, null), "ana", NOW);
        long whale = store.insert(shop, new Tag.Draft("高价值", "big spenders", value, RULE), "ana", NOW);

        assertThat(store.groups(shop)).extracting(Tag.Group::name).containsExactly("价值", "兴趣");
        assertThat(store.find(shop, sport).orElseThrow().manual()).isTrue();
        Tag rule = store.find(shop, whale).orElseThrow();
        assertThat(rule.rule()).isEqualTo(RULE);
        assertThat(rule.groupId()).isEqualTo(value);
        assertThat(new SegmentStore(jdbc).projectsWithRules()).containsExactly(shop);

        assertThat(store.renameGroup(shop, interests, "Interests")).isTrue();
        assertThat(store.update(shop, whale, new Tag.Draft("VIP", "", null, null), "bo", NOW)).isTrue();
        assertThat(store.find(shop, whale).orElseThrow().manual()).isTrue();
        assertThat(new SegmentStore(jdbc).projectsWithRules()).isEmpty();

        assertThat(store.deleteGroup(shop, interests)).isTrue();
        assertThat(store.find(shop, sport).orElseThrow().groupId()).isNull();
        assertThat(store.all(shop)).extracting(Tag::name).containsExactly("VIP", "运动");
        assertThat(store.delete(shop, sport)).isTrue();
        assertThat(store.all(shop)).extracting(Tag::name).containsExactly("VIP");
    }

    @ParameterizedTest
    @EnumSource(Databases.class)
    void sizesKeepOneSamplePerHour(Databases engine) {
        JdbcClient jdbc = engine.migrated().jdbc();
        long shop = project(jdbc, "shop");
        SetSizeStore store = new SetSizeStore(jdbc);
        Instant hour = Instant.parse("2026-11-20T08:00:00Z");

        store.record(shop, "segment:1", hour.plusSeconds(60), 10);
        store.record(shop, "segment:1", hour.plusSeconds(1800), 12);
        store.record(shop, "segment:1", hour.plusSeconds(3600), 15);
        store.record(shop, "segment:2", hour, 99);

        assertThat(store.between(shop, "segment:1", hour, hour.plusSeconds(7200)))
                .containsExactly(new SetSize(hour, 12), new SetSize(hour.plusSeconds(3600), 15));
        assertThat(store.between(shop, "segment:1", hour, hour.plusSeconds(3600))).containsExactly(new SetSize(hour, 12));
        assertThat(store.latestBefore(shop, hour.plusSeconds(3600))).containsOnlyKeys("segment:1", "segment:2")
                .containsEntry("segment:1", new SetSize(hour, 12));

        store.delete(shop, "segment:1");
        assertThat(store.between(shop, "segment:1", hour, hour.plusSeconds(7200))).isEmpty();
    }
}
