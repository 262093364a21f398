package io.flywheel.events.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.TestApplication;
import io.flywheel.events.Breakdown;
import io.flywheel.events.Event;
import io.flywheel.events.IdentityLink;
import io.flywheel.events.IngestBatch;
import io.flywheel.events.PersonActivity;
import io.flywheel.events.PersonDeleted;
import io.flywheel.events.PersonMerge;
import io.flywheel.events.PersonQuery;
import io.flywheel.events.PersonSummary;
import io.flywheel.shared.Page;
import io.flywheel.shared.PageRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The person list, a person's events and activity, trait edits and deletion, against a real
 * DuckDB store with merged persons.
 *
 * <p>Project 1: person 1 (u-1, Hangzhou) with person 2 merged into it (an earlier WeChat visit,
 * an anonymous form with plan and city), person 3 (u-3, Shanghai, Direct), person 4 (anonymous, no
 * touch, no traits). Project 2 has a person 1 with the same ids.
 */
class DuckDbPersonsTests {

    private static final Instant T0 = Instant.parse("2026-04-01T08:00:00Z");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private DuckDbEventStore store;
    private long arrivals;

    @BeforeEach
    void open() {
        store = new DuckDbEventStore(new EventStoreProperties(TestApplication.freshDataDir().resolve("events.duckdb"), "256MB", 1));
        store.apply(new IngestBatch(List.of(
                        touch(1, 2, -10, "WeChat", "spring"),
                        identify(1, 2, null, -9, "{\"plan\":\"free\",\"city\":\"Suzhou\"}"),
                        touch(1, 1, 0, "SEO", null),
                        identify(1, 1, "u-1", 1, "{\"name\":\"Li Lei\",\"city\":\"Hangzhou\",\"gender\":\"male\"}"),
                        order(1, 1, 2, "Order Completed", "o1", 300.0),
                        order(1, 1, 3, "Order Completed", "o2", 100.0),
                        order(1, 1, 100, "Order Refunded", "o2", null),
                        touch(1, 3, 5, "Direct", null),
                        identify(1, 3, "u-3", 6, "{\"city\":\"Shanghai\",\"gender\":\"female\"}"),
                        page(1, 3, 7),
                        page(1, 3, 8),
                        page(1, 3, 9),
                        page(1, 4, 50),
                        identify(2, 1, "u-1", 0, "{\"city\":\"Hangzhou\"}")),
                List.of(new IdentityLink(1, "anon-1", 1, false), new IdentityLink(1, "u-1", 1, true), new IdentityLink(1, "anon-2", 2, false),
                        new IdentityLink(1, "anon-3", 3, false), new IdentityLink(1, "u-3", 3, true), new IdentityLink(1, "anon-4", 4, false),
                        new IdentityLink(2, "u-1", 1, true)),
                List.of(), "wal", 1));
        store.apply(new IngestBatch(List.of(), List.of(), List.of(new PersonMerge(1, 2, 1, minute(1))), "wal", 2));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static Instant minute(int minute) {
        return T0.plusSeconds(60L * minute);
    }

    private Event event(long projectId, long personId, String type, String name, String userId, int minute, String channel,
            String campaign, String orderId, Double revenue, String properties) {
        arrivals++;
        return new Event(projectId, UUID.randomUUID().toString(), type, name, personId, "anon-" + personId, userId, minute(minute),
                T0.plusSeconds(86_400 + arrivals), null, null, null, null, campaign, channel, orderId, revenue, "CNY", properties, null);
    }

    private Event identify(long projectId, long personId, String userId, int minute, String traits) {
        return event(projectId, personId, "identify", "Identify", userId, minute, null, null, null, null, traits);
    }

    private Event page(long projectId, long personId, int minute) {
        return event(projectId, personId, "page", "Page Viewed", null, minute, null, null, null, null, "{}");
    }

    private Event touch(long projectId, long personId, int minute, String channel, String campaign) {
        return event(projectId, personId, "page", "Page Viewed", null, minute, channel, campaign, null, null, "{}");
    }

    private Event order(long projectId, long personId, int minute, String name, String orderId, Double revenue) {
        return event(projectId, personId, "track", name, null, minute, null, null, orderId, revenue, "{\"order_id\":\"" + orderId + "\"}");
    }

    private Page<PersonSummary> search(PersonQuery query) {
        return store.persons(1, query, new PageRequest(0, 50));
    }

    private List<Long> ids(PersonQuery query) {
        return search(query).items().stream().map(PersonSummary::personId).toList();
    }

    private static PersonQuery text(String text) {
        return new PersonQuery(text, null, null, null, PersonQuery.Sort.LAST_SEEN, false);
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    @Test
    void theListHoldsEachMergedPersonOnceWithItsPersonsCombined() {
        Page<PersonSummary> page = search(PersonQuery.everyone());

        assertThat(page.total()).isEqualTo(3);
        assertThat(page.items()).extracting(PersonSummary::personId).containsExactly(1L, 4L, 3L);
        PersonSummary first = page.items().get(0);
        assertThat(first.firstSeen()).isEqualTo(minute(-10));
        assertThat(first.lastSeen()).isEqualTo(minute(100));
        assertThat(first.events()).isEqualTo(7);
        assertThat(first.userId()).isEqualTo("u-1");
        assertThat(first.firstTouchChannel()).as("the merged person's earlier touch").isEqualTo("WeChat");
        assertThat(json(first.traits())).as("the root identified later, so its city wins").isEqualTo(json(
                "{\"plan\":\"free\",\"city\":\"Hangzhou\",\"name\":\"Li Lei\",\"gender\":\"male\"}"));
        PersonSummary anonymous = page.items().get(1);
        assertThat(anonymous.userId()).isNull();
        assertThat(anonymous.firstTouchChannel()).isNull();
        assertThat(json(anonymous.traits())).isEqualTo(json("{}"));
    }

    @Test
    void textMatchesIdsAndTraitValuesOfMergedPersonsToo() {
        assertThat(ids(text("U-3"))).containsExactly(3L);
        assertThat(ids(text("anon-2"))).as("an anonymous id of the merged person").containsExactly(1L);
        assertThat(ids(text("hangzhou"))).containsExactly(1L);
        assertThat(ids(text("free"))).as("a trait only the merged person had").containsExactly(1L);
        assertThat(ids(text("2"))).as("the merged person's id and anon-2").containsExactly(1L);
        assertThat(ids(text("4"))).containsExactly(4L);
        assertThat(ids(text("city"))).as("trait names are not values").isEmpty();
        assertThat(ids(text("anon-"))).containsExactlyInAnyOrder(1L, 3L, 4L);
        assertThat(ids(text("' OR 1=1 --"))).isEmpty();
    }

    @Test
    void channelAndTraitFiltersCombine() {
        assertThat(ids(new PersonQuery(null, "WeChat", null, null, PersonQuery.Sort.LAST_SEEN, false))).containsExactly(1L);
        assertThat(ids(new PersonQuery(null, "Direct", null, null, PersonQuery.Sort.LAST_SEEN, false))).containsExactly(3L);
        assertThat(ids(new PersonQuery(null, Breakdown.NONE, null, null, PersonQuery.Sort.LAST_SEEN, false))).containsExactly(4L);
        assertThat(ids(new PersonQuery(null, "SEO", null, null, PersonQuery.Sort.LAST_SEEN, false))).as("SEO was no first touch").isEmpty();
        assertThat(ids(new PersonQuery(null, null, "city", "Shanghai", PersonQuery.Sort.LAST_SEEN, false))).containsExactly(3L);
        assertThat(ids(new PersonQuery(null, null, "city", "Suzhou", PersonQuery.Sort.LAST_SEEN, false)))
                .as("overwritten by the root").isEmpty();
        assertThat(ids(new PersonQuery(null, null, "gender", "male", PersonQuery.Sort.LAST_SEEN, false))).containsExactly(1L);
        assertThat(ids(new PersonQuery("u-", "Direct", "gender", "female", PersonQuery.Sort.LAST_SEEN, false))).containsExactly(3L);
        assertThat(ids(new PersonQuery("u-1", "Direct", null, null, PersonQuery.Sort.LAST_SEEN, false))).isEmpty();
        assertThatThrownBy(() -> new PersonQuery(null, null, "city\"", "x", PersonQuery.Sort.LAST_SEEN, false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sortsAndPages() {
        assertThat(ids(new PersonQuery(null, null, null, null, PersonQuery.Sort.EVENTS, false))).containsExactly(1L, 3L, 4L);
        assertThat(ids(new PersonQuery(null, null, null, null, PersonQuery.Sort.EVENTS, true))).containsExactly(4L, 3L, 1L);
        assertThat(ids(new PersonQuery(null, null, null, null, PersonQuery.Sort.FIRST_SEEN, true))).containsExactly(1L, 3L, 4L);
        assertThat(ids(new PersonQuery(null, null, null, null, PersonQuery.Sort.LAST_SEEN, true))).containsExactly(3L, 4L, 1L);

        Page<PersonSummary> first = store.persons(1, PersonQuery.everyone(), new PageRequest(0, 2));
        Page<PersonSummary> second = store.persons(1, PersonQuery.everyone(), new PageRequest(1, 2));
        assertThat(first.items()).extracting(PersonSummary::personId).containsExactly(1L, 4L);
        assertThat(second.items()).extracting(PersonSummary::personId).containsExactly(3L);
        assertThat(first.total()).isEqualTo(3);
        assertThat(second.total()).isEqualTo(3);
        assertThat(first.hasNext()).isTrue();
        assertThat(second.hasNext()).isFalse();
    }

    @Test
    void otherProjectsAreApart() {
        assertThat(store.persons(2, PersonQuery.everyone(), new PageRequest(0, 50)).items()).extracting(PersonSummary::personId)
                .containsExactly(1L);
        assertThat(store.persons(2, text("u-3"), new PageRequest(0, 50)).total()).isZero();
        assertThat(store.persons(3, PersonQuery.everyone(), new PageRequest(0, 50)).total()).isZero();
    }

    @Test
    void aPersonsEventsIncludeTheMergedPersonsNewestFirst() {
        Page<Event> all = store.personEvents(1, 1, null, null, null, new PageRequest(0, 50));
        assertThat(all.total()).isEqualTo(7);
        assertThat(all.items()).extracting(Event::timestamp).containsExactly(minute(100), minute(3), minute(2), minute(1), minute(0),
                minute(-9), minute(-10));
        assertThat(store.personEvents(1, 2, null, null, null, new PageRequest(0, 50)).items())
                .as("asking with the merged id").isEqualTo(all.items());

        Page<Event> orders = store.personEvents(1, 1, "Order Completed", null, null, new PageRequest(0, 1));
        assertThat(orders.total()).isEqualTo(2);
        assertThat(orders.items()).extracting(Event::orderId).containsExactly("o2");
        assertThat(store.personEvents(1, 1, "Order Completed", null, null, new PageRequest(1, 1)).items())
                .extracting(Event::orderId).containsExactly("o1");

        Page<Event> range = store.personEvents(1, 1, null, minute(0), minute(3), new PageRequest(0, 50));
        assertThat(range.items()).extracting(Event::timestamp).containsExactly(minute(2), minute(1), minute(0));
        assertThat(store.personEvents(1, 99, null, null, null, new PageRequest(0, 50)).total()).isZero();
        assertThat(store.personEvents(2, 3, null, null, null, new PageRequest(0, 50)).total()).isZero();
    }

    @Test
    void activityCountsSessionsOrdersAndRevenueWithoutRefunds() {
        PersonActivity activity = store.personActivity(1, 2);

        assertThat(activity.orders()).isEqualTo(2);
        assertThat(activity.refundedOrders()).isEqualTo(1);
        assertThat(activity.revenue()).isEqualTo(300.0);
        assertThat(activity.lastOrderAt()).isEqualTo(minute(3));
        assertThat(activity.sessions()).as("-10 .. 3 is one session, the refund at 100 another").isEqualTo(2);

        PersonActivity none = store.personActivity(1, 4);
        assertThat(none).isEqualTo(new PersonActivity(1, 0, 0, 0.0, null));
        assertThat(store.personActivity(1, 99)).isEqualTo(new PersonActivity(0, 0, 0, 0.0, null));
    }

    @Test
    void traitEditsPatchTheRootAndRemoveFromMergedPersons() {
        assertThat(store.updateTraits(1, 2, "{\"plan\":null,\"city\":\"Ningbo\",\"vip\":true,\"address\":{\"street\":\"West Lake Rd\"}}",
                minute(200))).isTrue();

        assertThat(json(store.person(1, 1).orElseThrow().traits())).isEqualTo(json(
                "{\"name\":\"Li Lei\",\"city\":\"Ningbo\",\"gender\":\"male\",\"vip\":true,\"address\":{\"street\":\"West Lake Rd\"}}"));
        assertThat(ids(new PersonQuery(null, null, "city", "Ningbo", PersonQuery.Sort.LAST_SEEN, false))).containsExactly(1L);
        assertThat(ids(text("free"))).as("removed from the merged person too").isEmpty();

        // a later identify still merges into the edited traits
        store.append(List.of(identify(1, 1, "u-1", 201, "{\"plan\":\"pro\"}")));
        assertThat(json(store.person(1, 1).orElseThrow().traits()).get("plan").asString()).isEqualTo("pro");
        assertThat(json(store.person(1, 1).orElseThrow().traits()).get("city").asString()).isEqualTo("Ningbo");

        assertThat(store.updateTraits(1, 99, "{\"city\":\"Ningbo\"}", minute(200))).isFalse();
        assertThat(store.updateTraits(2, 3, "{\"city\":\"Ningbo\"}", minute(200))).as("person 3 is another project's").isFalse();
        assertThatThrownBy(() -> store.updateTraits(1, 1, "[1]", minute(200))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.updateTraits(1, 1, "not json", minute(200))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deletingAPersonRemovesItAndEveryMergedPersonFromEveryTable() throws SQLException {
        assertThat(rows("SELECT count(*) FROM person_hours WHERE project_id = 1 AND person_id IN (1, 2)")).as("hourly activity before").isPositive();
        new DuckDbPersonSets(store).add(1, "tag:1", List.of(1L, 3L), minute(200));
        try (Connection connection = store.reader(); java.sql.Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO person_stages VALUES (1, 1, 'active', TIMESTAMP '2026-04-02 00:00:00'), "
                    + "(1, 2, 'new', TIMESTAMP '2026-04-01 00:00:00'), (1, 3, 'new', TIMESTAMP '2026-04-01 00:00:00')");
        }
        PersonDeleted deleted = store.deletePerson(1, 2).orElseThrow();

        assertThat(deleted.personId()).isEqualTo(1);
        assertThat(deleted.personIds()).containsExactly(1L, 2L);
        assertThat(deleted.distinctIds()).containsExactlyInAnyOrder("anon-1", "anon-2", "u-1");
        assertThat(deleted.events()).isEqualTo(7);
        List<String> tables = new ArrayList<>();
        try (Connection connection = store.reader(); java.sql.Statement statement = connection.createStatement();
                ResultSet table = statement.executeQuery("SELECT DISTINCT table_name FROM duckdb_columns() "
                        + "WHERE database_name = current_database() AND NOT internal AND column_name = 'person_id' ORDER BY 1")) {
            while (table.next()) {
                tables.add(table.getString(1));
            }
        }
        assertThat(tables).as("every table of persons").contains("events", "order_events", "identities", "persons", "person_merges",
                "person_hours", "person_sets", "person_stages", "person_changes", "rfm_orders", "rfm_buyers");
        for (String table : tables) {
            assertThat(rows("SELECT count(*) FROM " + table + " WHERE project_id = 1 AND person_id IN (1, 2)")).as(table).isZero();
        }
        assertThat(rows("SELECT count(*) FROM person_sets WHERE project_id = 1 AND person_id = 3")).as("others' memberships").isOne();
        assertThat(rows("SELECT count(*) FROM person_stages WHERE project_id = 1 AND person_id = 3")).as("others' stages").isOne();
        assertThat(rows("SELECT count(*) FROM person_hours WHERE project_id = 1 AND person_id IN (3, 4)")).as("others' activity").isPositive();
        assertThat(rows("SELECT count(*) FROM person_merges WHERE project_id = 1 AND root_id IN (1, 2)")).isZero();
        assertThat(rows("SELECT count(*) FROM events WHERE project_id = 1 AND (anonymous_id IN ('anon-1', 'anon-2') OR user_id = 'u-1')"))
                .isZero();
        assertThat(rows("SELECT count(*) FROM identities WHERE project_id = 1 AND distinct_id IN ('anon-1', 'anon-2', 'u-1')")).isZero();
        assertThat(store.person(1, 1)).isEmpty();
        assertThat(store.person(1, 2)).isEmpty();
        assertThat(ids(PersonQuery.everyone())).containsExactly(4L, 3L);
        assertThat(ids(text("u-1"))).isEmpty();

        // everybody else is untouched
        assertThat(store.person(1, 3).orElseThrow().events()).isEqualTo(5);
        assertThat(store.person(1, 4).orElseThrow().events()).isEqualTo(1);
        assertThat(store.person(2, 1).orElseThrow().userIds()).containsExactly("u-1");
        assertThat(rows("SELECT count(*) FROM identities WHERE project_id = 1")).isEqualTo(3);
        assertThat(rows("SELECT count(*) FROM events")).isEqualTo(7);

        assertThat(store.deletePerson(1, 1)).isEmpty();
        assertThat(store.deletePerson(2, 3)).as("another project's person").isEmpty();
    }

    @Test
    void anImportedPersonIsListedAfterEveryoneSeenAndDeletedWithoutTrace() throws SQLException {
        store.apply(new IngestBatch(List.of(
                        new Event(1, "csv-9", "identify", "Identify", 9, null, "u-9", minute(300), minute(300), null, null, null, null, null, null,
                                null, null, null, "{\"city\":\"Ningbo\"}", null, false),
                        new Event(1, "csv-3", "identify", "Identify", 3, null, "u-3", minute(300), minute(300), null, null, null, null, null, null,
                                null, null, null, "{\"plan\":\"gold\"}", null, false)),
                List.of(new IdentityLink(1, "u-9", 9, true)), List.of(), "wal", 3));

        assertThat(ids(PersonQuery.everyone())).as("by last seen, latest first; never seen last").containsExactly(1L, 4L, 3L, 9L);
        assertThat(ids(new PersonQuery(null, null, null, "", PersonQuery.Sort.LAST_SEEN, true))).as("never seen last ascending too")
                .containsExactly(3L, 4L, 1L, 9L);
        assertThat(ids(new PersonQuery(null, null, null, "", PersonQuery.Sort.EVENTS, false))).containsExactly(1L, 3L, 4L, 9L);
        PersonSummary imported = search(text("ningbo")).items().get(0);
        assertThat(imported.personId()).isEqualTo(9);
        assertThat(imported.firstSeen()).isNull();
        assertThat(imported.lastSeen()).isNull();
        assertThat(imported.events()).isZero();
        assertThat(imported.userId()).isEqualTo("u-9");
        assertThat(search(text("u-3")).items().get(0).lastSeen()).as("the import moved nothing").isEqualTo(minute(9));
        assertThat(store.personEvents(1, 9, null, null, null, new PageRequest(0, 10)).total()).isZero();

        PersonDeleted deleted = store.deletePerson(1, 9).orElseThrow();
        assertThat(deleted.events()).isZero();
        assertThat(deleted.distinctIds()).containsExactly("u-9");
        for (String table : List.of("events", "identities", "persons", "person_hours", "profile_updates")) {
            assertThat(rows("SELECT count(*) FROM " + table + " WHERE project_id = 1 AND person_id = 9")).as(table).isZero();
        }
        assertThat(rows("SELECT count(*) FROM profile_updates WHERE project_id = 1 AND person_id = 3")).as("others' rows").isOne();
        assertThat(store.person(1, 9)).isEmpty();
        assertThat(ids(PersonQuery.everyone())).containsExactly(1L, 4L, 3L);
        assertThat(store.deletePerson(1, 9)).isEmpty();

        store.deleteProject(1);
        assertThat(rows("SELECT count(*) FROM profile_updates")).isZero();
    }

    private long rows(String sql) throws SQLException {
        try (Connection connection = store.reader(); PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet result = statement.executeQuery()) {
            result.next();
            return result.getLong(1);
        }
    }
}
