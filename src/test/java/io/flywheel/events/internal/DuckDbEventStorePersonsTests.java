package io.flywheel.events.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.TestApplication;
import io.flywheel.events.Event;
import io.flywheel.events.IdentityLink;
import io.flywheel.events.IngestBatch;
import io.flywheel.events.PersonMerge;
import io.flywheel.events.PersonProfile;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The persons table the store keeps along with the events, and the profiles read from it. */
class DuckDbEventStorePersonsTests {

    private static final Instant T0 = Instant.parse("2026-04-01T08:00:00Z");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Path file;
    private DuckDbEventStore store;
    private long arrivals;

    @BeforeEach
    void open() {
        file = TestApplication.freshDataDir().resolve("events.duckdb");
        store = new DuckDbEventStore(new EventStoreProperties(file, "256MB", 1));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static Instant minute(int minute) {
        return T0.plusSeconds(60L * minute);
    }

    /** Events are received in the order the test creates them, a second apart. */
    private Event event(long projectId, long personId, String type, String userId, int minute, String channel, String campaign,
            String properties) {
        arrivals++;
        return new Event(projectId, UUID.randomUUID().toString(), type, type.equals("identify") ? "Identify" : "Page Viewed", personId,
                "anon-" + personId, userId, minute(minute), T0.plusSeconds(86_400 + arrivals), null, null, null, null, campaign, channel,
                null, null, null, properties, null);
    }

    private Event identify(long projectId, long personId, String userId, int minute, String traits) {
        return event(projectId, personId, "identify", userId, minute, null, null, traits);
    }

    private Event page(long projectId, long personId, int minute) {
        return event(projectId, personId, "page", null, minute, null, null, "{\"title\":\"Home\"}");
    }

    private Event touch(long projectId, long personId, int minute, String channel, String campaign) {
        return event(projectId, personId, "page", null, minute, channel, campaign, null);
    }

    /** An imported row: an identify call that is profile data, not activity. */
    private Event imported(long projectId, long personId, String userId, int minute, String traits) {
        arrivals++;
        return new Event(projectId, "csv-" + UUID.randomUUID(), "identify", "Identify", personId, userId == null ? "anon-" + personId : null,
                userId, minute(minute),
                T0.plusSeconds(86_400 + arrivals), null, null, null, null, null, null, null, null, null, traits, null, false);
    }

    private static IngestBatch batch(List<Event> events, long position) {
        return new IngestBatch(events, List.of(), List.of(), "wal", position);
    }

    /** JSON objects are equal whatever the order of their keys. */
    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    private PersonProfile person(long projectId, long personId) {
        return store.person(projectId, personId).orElseThrow();
    }

    @Test
    void identifyTraitsMergeKeysAndLaterCallsOverwriteWithinAndAcrossBatches() {
        store.apply(batch(List.of(
                identify(1, 1, "u-1", 0, "{\"name\":\"Li Lei\",\"plan\":\"free\",\"address\":{\"city\":\"Hangzhou\"}}"),
                page(1, 1, 1),
                identify(1, 1, null, 2, "{\"plan\":\"trial\",\"age_band\":\"25-34\"}")), 1));

        assertThat(json(person(1, 1).traits())).isEqualTo(json(
                "{\"name\":\"Li Lei\",\"plan\":\"trial\",\"address\":{\"city\":\"Hangzhou\"},\"age_band\":\"25-34\"}"));

        // a later batch, even with an earlier timestamp, arrives later and so overwrites; null removes a trait
        store.append(List.of(identify(1, 1, "u-1", 0, "{\"plan\":\"pro\",\"age_band\":null,\"address\":{\"street\":\"West Lake Rd\"}}")));

        PersonProfile profile = person(1, 1);
        assertThat(json(profile.traits())).isEqualTo(json(
                "{\"name\":\"Li Lei\",\"plan\":\"pro\",\"address\":{\"city\":\"Hangzhou\",\"street\":\"West Lake Rd\"}}"));
        assertThat(profile.userId()).isEqualTo("u-1");
    }

    @Test
    void propertiesOfOtherCallsAndInvalidTraitsAreNoTraits() {
        store.append(List.of(
                page(1, 1, 0),
                identify(1, 1, null, 1, "not json"),
                identify(1, 1, null, 2, "[1,2]"),
                identify(1, 1, null, 3, "{\"plan\":\"free\"}")));

        assertThat(json(person(1, 1).traits())).isEqualTo(json("{\"plan\":\"free\"}"));

        store.append(List.of(page(1, 2, 0)));
        assertThat(json(person(1, 2).traits())).isEqualTo(json("{}"));
    }

    @Test
    void firstAndLastSeenAreTheEarliestAndLatestTimestampsAndEventsAreCounted() {
        store.append(List.of(page(1, 1, 10), page(1, 1, 20), page(1, 2, 50)));
        store.apply(batch(List.of(page(1, 1, 5), page(1, 1, 15)), 1));
        store.apply(batch(List.of(page(1, 1, 30)), 2));

        PersonProfile profile = person(1, 1);
        assertThat(profile.firstSeen()).isEqualTo(minute(5));
        assertThat(profile.lastSeen()).isEqualTo(minute(30));
        assertThat(profile.events()).isEqualTo(5);
        assertThat(profile.personId()).isEqualTo(1);
        assertThat(profile.mergedPersonIds()).isEmpty();
        assertThat(person(1, 2).events()).isEqualTo(1);
    }

    @Test
    void firstAndLastTouchFollowTimestampsWhenEventsArriveOutOfOrder() {
        store.apply(batch(List.of(
                page(1, 1, 0),
                touch(1, 1, 10, "SEO", null),
                touch(1, 1, 20, "WeChat", "spring-sale"),
                page(1, 1, 40)), 1));

        PersonProfile profile = person(1, 1);
        assertThat(profile.firstTouch()).isEqualTo(new PersonProfile.Touch("SEO", null, minute(10)));
        assertThat(profile.lastTouch()).isEqualTo(new PersonProfile.Touch("WeChat", "spring-sale", minute(20)));

        // a late batch: one touch before the first, one between first and last, one after the last
        store.apply(batch(List.of(
                touch(1, 1, 5, "SEM", "brand"),
                touch(1, 1, 15, "Direct", null)), 2));
        store.append(List.of(touch(1, 1, 30, "Referral", "invite")));
        store.append(List.of(touch(1, 1, 25, "SEO", null)));

        profile = person(1, 1);
        assertThat(profile.firstTouch()).isEqualTo(new PersonProfile.Touch("SEM", "brand", minute(5)));
        assertThat(profile.lastTouch()).isEqualTo(new PersonProfile.Touch("Referral", "invite", minute(30)));
        assertThat(profile.events()).isEqualTo(8);
    }

    @Test
    void touchesAtTheSameInstantFollowArrival() {
        store.append(List.of(touch(1, 1, 10, "SEO", null), touch(1, 1, 20, "WeChat", null)));
        store.append(List.of(touch(1, 1, 10, "SEM", null), touch(1, 1, 20, "Referral", null)));

        assertThat(person(1, 1).firstTouch().channel()).as("the first arrival keeps the first touch").isEqualTo("SEO");
        assertThat(person(1, 1).lastTouch().channel()).as("the last arrival takes the last touch").isEqualTo("Referral");
    }

    @Test
    void aPersonWithoutTouchesHasNone() {
        store.append(List.of(page(1, 1, 0)));

        assertThat(person(1, 1).firstTouch()).isNull();
        assertThat(person(1, 1).lastTouch()).isNull();
    }

    @Test
    void unknownPersonsAndOtherProjectsHaveNoProfile() {
        store.append(List.of(page(1, 1, 0)));

        assertThat(store.person(1, 2)).isEmpty();
        assertThat(store.person(2, 1)).isEmpty();
    }

    @Test
    void mergedPersonsAreCombinedUnderTheirRoot() {
        // person 1: an anonymous visitor from a WeChat campaign who filled in a form
        // person 2: another anonymous device; person 3: the customer
        store.apply(new IngestBatch(List.of(
                touch(1, 1, 0, "WeChat", "spring-sale"),
                identify(1, 1, null, 1, "{\"email\":\"old@example.com\",\"city\":\"Suzhou\"}"),
                page(1, 2, 3),
                identify(1, 3, "u-3", 2, "{\"email\":\"li@example.com\",\"plan\":\"free\"}"),
                touch(1, 3, 4, "SEO", null)),
                List.of(new IdentityLink(1, "anon-1", 1, false), new IdentityLink(1, "anon-2", 2, false),
                        new IdentityLink(1, "u-3", 3, true), new IdentityLink(1, "anon-3", 3, false)),
                List.of(), "wal", 1));
        // person 1 merges into 2, which later merges into 3
        store.apply(new IngestBatch(List.of(page(1, 2, 5)), List.of(), List.of(new PersonMerge(1, 1, 2, minute(5))), "wal", 2));
        store.apply(new IngestBatch(List.of(event(1, 3, "track", "u-3", 6, null, null, null)), List.of(),
                List.of(new PersonMerge(1, 2, 3, minute(6))), "wal", 3));

        PersonProfile root = person(1, 3);
        assertThat(root.personId()).isEqualTo(3);
        assertThat(root.mergedPersonIds()).containsExactly(1L, 2L);
        assertThat(root.firstSeen()).isEqualTo(minute(0));
        assertThat(root.lastSeen()).isEqualTo(minute(6));
        assertThat(root.events()).isEqualTo(7);
        assertThat(root.userId()).isEqualTo("u-3");
        // person 3's identify arrived after person 1's, so its email wins; keys of both are kept
        assertThat(json(root.traits())).isEqualTo(json("{\"email\":\"li@example.com\",\"city\":\"Suzhou\",\"plan\":\"free\"}"));
        assertThat(root.firstTouch()).isEqualTo(new PersonProfile.Touch("WeChat", "spring-sale", minute(0)));
        assertThat(root.lastTouch()).isEqualTo(new PersonProfile.Touch("SEO", null, minute(4)));
        assertThat(root.anonymousIds()).containsExactly("anon-1", "anon-2", "anon-3");
        assertThat(root.userIds()).containsExactly("u-3");

        assertThat(person(1, 1)).as("a merged person answers its root's profile").isEqualTo(root);
        assertThat(person(1, 2)).isEqualTo(root);
    }

    @Test
    void theLatestIdentifyWinsAcrossMergedPersons() {
        store.append(List.of(identify(1, 3, "u-3", 0, "{\"plan\":\"free\"}")));
        store.append(List.of(identify(1, 1, null, 1, "{\"plan\":\"trial\"}")));
        store.apply(new IngestBatch(List.of(), List.of(), List.of(new PersonMerge(1, 1, 3, minute(2))), "wal", 1));

        assertThat(json(person(1, 3).traits())).isEqualTo(json("{\"plan\":\"trial\"}"));
    }

    @Test
    void idsSeenOnEventsCountWithLinkedIds() {
        // a shared device: the customer used an anonymousId that is linked to someone else
        store.apply(new IngestBatch(List.of(event(1, 5, "track", "u-5", 0, null, null, null)),
                List.of(new IdentityLink(1, "u-5", 5, true), new IdentityLink(1, "anon-5", 5, false)), List.of(), "wal", 1));
        Event shared = new Event(1, UUID.randomUUID().toString(), "track", "Order Completed", 5, "anon-family", "u-5", minute(1),
                minute(1), null, null, null, null, null, null, null, null, null, null, null);
        store.append(List.of(shared));

        assertThat(person(1, 5).anonymousIds()).containsExactly("anon-5", "anon-family");
        assertThat(person(1, 5).userIds()).containsExactly("u-5");
    }

    @Test
    void aFailedBatchChangesNoPerson() {
        store.apply(batch(List.of(page(7, 1, 0)), 1));
        IngestBatch failing = new IngestBatch(List.of(page(7, 1, 10), page(7, 2, 10)), List.of(),
                List.of(new PersonMerge(7, 5, 6, Instant.MAX)), "wal", 2);

        assertThatThrownBy(() -> store.apply(failing)).isInstanceOf(RuntimeException.class);

        assertThat(person(7, 1).events()).isEqualTo(1);
        assertThat(person(7, 1).lastSeen()).isEqualTo(minute(0));
        assertThat(store.person(7, 2)).isEmpty();
        store.apply(batch(List.of(page(7, 2, 10)), 2));
        assertThat(person(7, 2).events()).isEqualTo(1);
    }

    @Test
    void deletingAProjectDeletesItsPersons() {
        store.append(List.of(page(4, 1, 0), page(5, 1, 0)));

        store.deleteProject(4);

        assertThat(store.person(4, 1)).isEmpty();
        assertThat(person(5, 1).events()).isEqualTo(1);
    }

    @Test
    void manyBatchesKeepOneRowPerPerson() throws SQLException {
        for (int round = 0; round < 20; round++) {
            List<Event> events = new ArrayList<>();
            for (int person = 1; person <= 50; person++) {
                events.add(round % 2 == 0 ? page(1, person, round) : touch(1, person, 100 - round, "SEO", "c" + round));
            }
            if (round % 2 == 0) {
                store.append(events);
            }
            else {
                store.apply(batch(events, round));
            }
        }
        assertThat(person(1, 7).events()).isEqualTo(20);
        assertThat(person(1, 7).firstTouch()).isEqualTo(new PersonProfile.Touch("SEO", "c19", minute(81)));
        assertThat(person(1, 7).lastTouch()).isEqualTo(new PersonProfile.Touch("SEO", "c1", minute(99)));
        store.close();

        assertThat(query("SELECT count(*), count(DISTINCT (project_id, person_id)) FROM persons")).isEqualTo("50/50");
    }

    @Test
    void changesFoldedTogetherGiveThePersonsThatAFoldPerWriteGives() {
        Path eager = TestApplication.freshDataDir().resolve("events.duckdb");
        java.util.Random random = new java.util.Random(42);
        String[] patches = {"{\"plan\":\"free\"}", "{\"plan\":\"pro\",\"city\":\"上海\"}", "{\"city\":null}", "[1]",
            "{\"tags\":[\"a\"],\"age\":31}", "{}"};
        String[] channels = {"SEO", "WeChat", "Direct", null};
        Path lazy = TestApplication.freshDataDir().resolve("events.duckdb");
        EventStoreProperties unfolded = new EventStoreProperties(lazy, "256MB", 1, -1, "", java.time.Duration.ofHours(1));
        try (DuckDbEventStore perWrite = new DuckDbEventStore(new EventStoreProperties(eager, "256MB", 1, -1, "", java.time.Duration.ZERO))) {
            DuckDbEventStore together = new DuckDbEventStore(unfolded);
            for (int write = 0; write < 30; write++) {
                List<Event> events = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    long person = 1 + random.nextInt(15);
                    // few distinct minutes, so that touches tie within and across writes
                    int minute = random.nextInt(6) * 10;
                    events.add(switch (random.nextInt(5)) {
                        case 0 -> page(1, person, minute);
                        case 1, 2 -> touch(1, person, minute, channels[random.nextInt(channels.length)], "c" + random.nextInt(3));
                        case 3 -> identify(1, person, random.nextBoolean() ? "u-" + person + "-" + random.nextInt(3) : null, minute,
                                patches[random.nextInt(patches.length)]);
                        default -> imported(1, person, random.nextBoolean() ? "u-" + person : null, minute, patches[random.nextInt(patches.length)]);
                    });
                }
                if (write % 3 == 0) {
                    perWrite.append(events);
                    together.append(events);
                }
                else {
                    perWrite.apply(batch(events, write));
                    together.apply(batch(events, write));
                }
            }
            // read through the pending changes, then folded (on close) and read from the table alone
            for (boolean folded : new boolean[] {false, true}) {
                if (folded) {
                    together.close();
                    together = new DuckDbEventStore(unfolded);
                }
                if (folded) {
                    assertThat(pendingChanges(together)).isZero();
                }
                else {
                    assertThat(pendingChanges(together)).as("every write's changes, none folded").isGreaterThan(100);
                    assertThat(pendingChanges(perWrite)).isZero();
                }
                for (long person = 1; person <= 15; person++) {
                    assertThat(together.person(1, person)).as("person %d", person).isEqualTo(perWrite.person(1, person));
                }
                assertThat(together.persons(1, io.flywheel.events.PersonQuery.everyone(), new io.flywheel.shared.PageRequest(0, 50))
                        .items()).isEqualTo(perWrite.persons(1, io.flywheel.events.PersonQuery.everyone(),
                        new io.flywheel.shared.PageRequest(0, 50)).items());
                assertThat(together.maxPersonIds()).isEqualTo(perWrite.maxPersonIds());
            }
            together.close();
        }
    }

    @Test
    void personChangesAStopLeftUnfoldedAreFoldedOnOpen() throws SQLException {
        // the trait patches as the store writes them: the text of a JSON array of the patches' texts
        foldsOnOpenWhatAStopLeft("'[\"{\\\"plan\\\":\\\"gold\\\"}\"]'", "'[\"{\\\"city\\\":\\\"上海\\\"}\"]'");
    }

    @Test
    void personChangesAStopLeftInTheListColumnOfOlderFilesAreFoldedOnOpen() throws SQLException {
        foldsOnOpenWhatAStopLeft("['{\"plan\":\"gold\"}']", "['{\"city\":\"上海\"}']");
    }

    /** What a kill leaves when it comes after a write's commit and before the fold, with the patches given as SQL. */
    private void foldsOnOpenWhatAStopLeft(String goldPlan, String cityShanghai) throws SQLException {
        store.append(List.of(touch(1, 1, 10, "SEO", "brand"), page(1, 1, 20)));
        assertThat(person(1, 1).events()).isEqualTo(2);
        store.close();
        if (goldPlan.startsWith("[")) {
            execute("ALTER TABLE person_changes ALTER COLUMN trait_patches TYPE VARCHAR[]");
        }
        execute("INSERT INTO person_changes (seq, project_id, person_id, first_seen, last_seen, event_count, user_id, trait_patches, "
                + "traits_updated_at, last_touch_channel, last_touch_campaign, last_touch_at) VALUES "
                + "(1, 1, 1, TIMESTAMP '2026-04-01 08:05:00', TIMESTAMP '2026-04-01 09:00:00', 3, 'u-1', " + goldPlan + ", "
                + "TIMESTAMP '2026-04-02 00:00:00', 'WeChat', 'spring', TIMESTAMP '2026-04-01 09:00:00'), "
                + "(2, 1, 1, NULL, NULL, 0, NULL, " + cityShanghai + ", TIMESTAMP '2026-04-02 00:00:01', NULL, NULL, NULL), "
                + "(2, 1, 2, TIMESTAMP '2026-04-01 08:30:00', TIMESTAMP '2026-04-01 08:30:00', 1, NULL, NULL, NULL, NULL, NULL, NULL)");

        store = new DuckDbEventStore(new EventStoreProperties(file, "256MB", 1));

        PersonProfile one = person(1, 1);
        assertThat(one.events()).isEqualTo(5);
        assertThat(one.firstSeen()).isEqualTo(minute(5));
        assertThat(one.lastSeen()).isEqualTo(minute(60));
        assertThat(one.userId()).isEqualTo("u-1");
        assertThat(json(one.traits())).isEqualTo(json("{\"plan\":\"gold\",\"city\":\"上海\"}"));
        assertThat(one.firstTouch()).isEqualTo(new PersonProfile.Touch("SEO", "brand", minute(10)));
        assertThat(one.lastTouch()).isEqualTo(new PersonProfile.Touch("WeChat", "spring", minute(60)));
        assertThat(person(1, 2).events()).isOne();
        assertThat(rows("SELECT count(*) FROM person_changes")).as("nothing folded twice").isZero();
        store.close();
        store = new DuckDbEventStore(new EventStoreProperties(file, "256MB", 1));
        assertThat(person(1, 1).events()).isEqualTo(5);
        assertThat(query("SELECT data_type, count(*) FROM duckdb_columns() WHERE table_name = 'person_changes' "
                + "AND column_name = 'trait_patches' GROUP BY ALL")).isEqualTo("VARCHAR/1");
    }

    @Test
    void aFileWithoutPersonsIsFilledFromItsEventsOnOpen() throws SQLException {
        List<IngestBatch> batches = List.of(
                new IngestBatch(List.of(
                        touch(1, 1, 10, "WeChat", "spring-sale"),
                        identify(1, 1, "u-1", 11, "{\"name\":\"Li Lei\",\"plan\":\"free\",\"tags\":[\"a\"]}"),
                        page(1, 1, 12),
                        touch(1, 2, 3, "Direct", null),
                        page(2, 1, 30)),
                        List.of(new IdentityLink(1, "anon-1", 1, false), new IdentityLink(1, "u-1", 1, true)), List.of(), "wal", 1),
                batch(List.of(
                        touch(1, 1, 2, "SEM", "brand"),
                        identify(1, 1, null, 1, "{\"plan\":\"pro\",\"name\":null}"),
                        touch(1, 1, 40, "SEO", null),
                        touch(1, 1, 40, "Referral", "invite"),
                        identify(1, 2, "u-2", 4, "{}")), 2));
        batches.forEach(store::apply);
        List<PersonProfile> live = List.of(person(1, 1), person(1, 2), person(2, 1));
        store.close();
        execute("DROP TABLE persons");

        store = new DuckDbEventStore(new EventStoreProperties(file, "256MB", 1));

        assertThat(List.of(person(1, 1), person(1, 2), person(2, 1))).isEqualTo(live);
        assertThat(json(person(1, 1).traits())).isEqualTo(json("{\"plan\":\"pro\",\"tags\":[\"a\"]}"));
        assertThat(person(1, 1).lastTouch().channel()).isEqualTo("Referral");
        store.append(List.of(page(1, 1, 50)));
        assertThat(person(1, 1).events()).isEqualTo(8);
    }

    @Test
    void anEmptyFileGetsAnEmptyPersonsTableAndReopeningKeepsIt() {
        store.append(List.of(page(1, 1, 0)));
        store.close();
        store = new DuckDbEventStore(new EventStoreProperties(file, "256MB", 1));

        assertThat(person(1, 1).events()).isEqualTo(1);
    }

    @Test
    void profileDataSetsTraitsAndTheUserIdButMovesNoSeenTimeCountOrTouch() throws SQLException {
        store.apply(batch(List.of(touch(1, 1, 10, "SEO", "brand"), page(1, 1, 20)), 1));
        Event existing = imported(1, 1, "u-1", 500, "{\"plan\":\"gold\"}");
        Event created = imported(1, 2, "u-2", 501, "{\"city\":\"上海\"}");
        store.apply(new IngestBatch(List.of(existing, created), List.of(new IdentityLink(1, "u-2", 2, true)), List.of(), "wal", 2));

        PersonProfile one = person(1, 1);
        assertThat(one.firstSeen()).isEqualTo(minute(10));
        assertThat(one.lastSeen()).as("the import's later timestamp is no visit").isEqualTo(minute(20));
        assertThat(one.events()).isEqualTo(2);
        assertThat(one.firstTouch()).isEqualTo(new PersonProfile.Touch("SEO", "brand", minute(10)));
        assertThat(one.lastTouch()).isEqualTo(one.firstTouch());
        assertThat(one.userId()).isEqualTo("u-1");
        assertThat(json(one.traits())).isEqualTo(json("{\"plan\":\"gold\"}"));

        PersonProfile two = person(1, 2);
        assertThat(two.seen()).as("a person only imported has done nothing yet").isFalse();
        assertThat(two.firstSeen()).isNull();
        assertThat(two.lastSeen()).isNull();
        assertThat(two.events()).isZero();
        assertThat(two.firstTouch()).isNull();
        assertThat(two.userId()).isEqualTo("u-2");
        assertThat(two.userIds()).containsExactly("u-2");
        assertThat(json(two.traits())).isEqualTo(json("{\"city\":\"上海\"}"));

        assertThat(store.count(1)).as("no event is stored").isEqualTo(2);
        assertThat(store.latest(1, 10)).extracting(Event::messageId).doesNotContain(existing.messageId(), created.messageId());
        assertThat(rows("SELECT count(*) FROM events WHERE type = 'identify'")).isZero();
        assertThat(rows("SELECT count(*) FROM person_hours")).as("one active hour, person 1's").isOne();
        assertThat(rows("SELECT count(*) FROM profile_updates WHERE project_id = 1")).isEqualTo(2);
        assertThat(store.maxPersonIds()).containsEntry(1L, 2L);

        // the first real event of the imported person is its first activity, at the event's own time
        store.append(List.of(page(1, 2, 30)));
        assertThat(person(1, 2).firstSeen()).isEqualTo(minute(30));
        assertThat(person(1, 2).lastSeen()).isEqualTo(minute(30));
        assertThat(person(1, 2).events()).isOne();
        assertThat(json(person(1, 2).traits())).isEqualTo(json("{\"city\":\"上海\"}"));
    }

    @Test
    void profileDataAndIdentifyCallsPatchTraitsInArrivalOrder() {
        store.append(List.of(
                identify(1, 1, "u-1", 0, "{\"plan\":\"tracked\"}"), imported(1, 1, null, 0, "{\"plan\":\"imported\"}"),
                imported(1, 2, "u-2", 0, "{\"plan\":\"imported\"}"), identify(1, 2, null, 0, "{\"plan\":\"tracked\"}")));

        assertThat(json(person(1, 1).traits()).get("plan").asString()).isEqualTo("imported");
        assertThat(json(person(1, 2).traits()).get("plan").asString()).isEqualTo("tracked");
        assertThat(person(1, 1).events()).isOne();
        assertThat(person(1, 2).events()).isOne();
    }

    @Test
    void messageIdsOfProfileDataCountForTheDuplicateCheckAtAnyTime() {
        Event row = imported(3, 1, "u-1", 0, "{\"plan\":\"gold\"}");
        store.apply(batch(List.of(row, page(3, 2, 1)), 1));

        // the import's timestamp does not matter: a file imported again weeks later sends the same ids
        Instant later = minute(0).plus(java.time.Duration.ofDays(60));
        assertThat(store.existingMessageIds(3, List.of(row.messageId(), "other"), later, later.plusSeconds(1)))
                .containsExactly(row.messageId());
        assertThat(store.existingMessageIds(4, List.of(row.messageId()), minute(-1), minute(1))).as("another project").isEmpty();
        List<String> recent = new ArrayList<>();
        store.recentMessageIds(10, (project, id) -> recent.add(project + ":" + id));
        assertThat(recent).contains("3:" + row.messageId()).hasSize(2);
    }

    @Test
    void aFileFromBeforeProfileDataAllowsPersonsWithoutSeenTimesOnOpen() throws SQLException {
        store.append(List.of(page(1, 1, 0)));
        store.close();
        execute("ALTER TABLE persons ALTER COLUMN first_seen SET NOT NULL; ALTER TABLE persons ALTER COLUMN last_seen SET NOT NULL");
        assertThat(query("SELECT count(*) FILTER (NOT is_nullable), count(*) FROM duckdb_columns() "
                + "WHERE table_name = 'persons' AND column_name IN ('first_seen', 'last_seen')")).isEqualTo("2/2");

        store = new DuckDbEventStore(new EventStoreProperties(file, "256MB", 1));
        store.append(List.of(imported(1, 5, "u-5", 0, "{\"plan\":\"gold\"}")));

        assertThat(person(1, 5).seen()).isFalse();
        assertThat(person(1, 1).events()).as("the persons of the old file were built from its events").isOne();
    }

    private static long pendingChanges(DuckDbEventStore store) {
        try (Connection connection = store.reader(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT count(*) FROM person_changes")) {
            result.next();
            return result.getLong(1);
        }
        catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long rows(String sql) throws SQLException {
        try (Connection connection = store.reader(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private String query(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1) + "/" + result.getString(2);
        }
    }
}
