package io.flywheel.events.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.TestApplication;
import io.flywheel.events.Audience;
import io.flywheel.events.Breakdown;
import io.flywheel.events.Event;
import io.flywheel.events.EventFilter;
import io.flywheel.events.IngestBatch;
import io.flywheel.events.LifecycleStage;
import io.flywheel.events.PersonCondition;
import io.flywheel.events.PersonCondition.All;
import io.flywheel.events.PersonCondition.Any;
import io.flywheel.events.PersonCondition.Count;
import io.flywheel.events.PersonCondition.Did;
import io.flywheel.events.PersonCondition.Funnel;
import io.flywheel.events.PersonCondition.InSet;
import io.flywheel.events.PersonCondition.Not;
import io.flywheel.events.PersonCondition.Range;
import io.flywheel.events.PersonCondition.Rfm;
import io.flywheel.events.PersonCondition.Sequence;
import io.flywheel.events.PersonCondition.Stage;
import io.flywheel.events.PersonCondition.Step;
import io.flywheel.events.PersonCondition.Touch;
import io.flywheel.events.PersonCondition.Trait;
import io.flywheel.events.PersonCondition.Window;
import io.flywheel.events.PersonMerge;
import io.flywheel.events.PersonQuery;
import io.flywheel.events.PersonSets;
import io.flywheel.events.PersonSets.SetChange;
import io.flywheel.events.PersonSets.SetRule;
import io.flywheel.events.PersonSummary;
import io.flywheel.events.QueryControl;
import io.flywheel.events.RfmScore;
import io.flywheel.events.Scope;
import io.flywheel.shared.PageRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Segment membership computed by hand on a small project (zone Asia/Shanghai, now = 2026-06-30
 * 12:00 UTC = 20:00 in Shanghai):
 *
 * <ul>
 * <li>1 (u-1, 上海, age 30, first touch SEO 20 days ago, last touch Direct 1 day ago): Order Completed
 * 1 and 5 days ago; person 2 was merged into it.
 * <li>2 (merged into 1; 北京 identified earlier, plan pro, first touch WeChat 60 days ago): Order
 * Completed 10 days ago.
 * <li>3 (u-3, 北京, age 20): Order Completed exactly 30 days ago, 10 and 2 days ago, and 31 days ago.
 * <li>4 (anonymous): page views only; no traits, no touch.
 * <li>5 (u-5, 上海, age "40"): Order Completed 3 and 4 days ago; viewed a product 30 minutes
 * before the latter.
 * <li>6 (u-6, 上海): five orders; deleted.
 * </ul>
 */
class DuckDbPersonSetsTests {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final Instant NOW = Instant.parse("2026-06-30T12:00:00Z");
    private static final Audience AUDIENCE = new Audience(1, ZONE, NOW);
    private static final QueryControl CONTROL = QueryControl.withTimeout(Duration.ofMinutes(1));
    private static final String ORDER = "Order Completed";

    private DuckDbEventStore store;
    private PersonSets sets;
    private long arrivals;

    /** The time index's budget: on here; {@link DuckDbPersonSetsWithoutIndexTests} runs every test with it off. */
    long timeIndexEntries() {
        return -1;
    }

    @BeforeEach
    void open() throws InterruptedException {
        // tails of 4 entries: most events are in the index's sorted runs by the time a refresh reads them, the latest in a tail
        store = new DuckDbEventStore(new EventStoreProperties(TestApplication.freshDataDir().resolve("events.duckdb"), "256MB", 1,
                timeIndexEntries()), 4);
        assertThat(store.timeIndex().awaitLoaded(1, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
        sets = new DuckDbPersonSets(store);
        store.apply(new IngestBatch(List.of(
                        touch(2, daysAgo(60), "WeChat"),
                        identify(2, null, daysAgo(59), "{\"city\":\"北京\",\"plan\":\"pro\"}"),
                        order(2, daysAgo(10), 50),
                        touch(1, daysAgo(20), "SEO"),
                        identify(1, "u-1", daysAgo(19), "{\"city\":\"上海\",\"age\":30}"),
                        order(1, daysAgo(5), 100),
                        order(1, daysAgo(1), 100),
                        touch(1, daysAgo(1), "Direct"),
                        identify(3, "u-3", daysAgo(40), "{\"city\":\"北京\",\"age\":20}"),
                        order(3, daysAgo(31), 10),
                        order(3, daysAgo(30), 10),
                        order(3, daysAgo(10), 10),
                        order(3, daysAgo(2), 10),
                        page(4, daysAgo(3)),
                        page(4, daysAgo(100)),
                        identify(5, "u-5", daysAgo(50), "{\"city\":\"上海\",\"age\":\"40\"}"),
                        order(5, daysAgo(4), 500),
                        event(5, "track", "Product Viewed", null, daysAgo(3).minusSeconds(1800), null, null, null, "{\"sku\":\"A\"}"),
                        order(5, daysAgo(3), 500),
                        identify(6, "u-6", daysAgo(20), "{\"city\":\"上海\"}"),
                        order(6, daysAgo(1), 1), order(6, daysAgo(2), 1), order(6, daysAgo(3), 1), order(6, daysAgo(4), 1), order(6, daysAgo(5), 1)),
                List.of(), List.of(), "wal", 1));
        store.apply(new IngestBatch(List.of(), List.of(), List.of(new PersonMerge(1, 2, 1, daysAgo(1))), "wal", 2));
        sets.add(1, "tag:6", List.of(6L), NOW);
        stages(1, "active", 3, "at_risk", 4, "churned", 6, "active");
        store.deletePerson(1, 6).orElseThrow();
        store.drainChanged();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static Instant daysAgo(int days) {
        return NOW.minusSeconds(86_400L * days);
    }

    private Event event(long personId, String type, String name, String userId, Instant at, String channel, String orderId, Double revenue,
            String properties) {
        arrivals++;
        return new Event(1, UUID.randomUUID().toString(), type, name, personId, "anon-" + personId, userId, at,
                NOW.minusSeconds(86_400L * 200).plusSeconds(arrivals), null, null, null, null, null, channel, orderId, revenue, "CNY",
                properties, null);
    }

    private Event identify(long personId, String userId, Instant at, String traits) {
        return event(personId, "identify", "Identify", userId, at, null, null, null, traits);
    }

    private Event page(long personId, Instant at) {
        return event(personId, "page", "Page Viewed", null, at, null, null, null, "{}");
    }

    private Event touch(long personId, Instant at, String channel) {
        return event(personId, "page", "Page Viewed", null, at, channel, null, null, "{}");
    }

    private Event order(long personId, Instant at, double revenue) {
        String id = "o-" + (arrivals + 1);
        return event(personId, "track", ORDER, null, at, null, id, revenue, "{\"order_id\":\"" + id + "\",\"revenue\":" + revenue + "}");
    }

    private Event refund(long personId, String orderId, Instant at) {
        return event(personId, "track", "Order Refunded", null, at, null, orderId, null, "{\"order_id\":\"" + orderId + "\"}");
    }

    private void stages(Object... personsAndStages) {
        try (Connection connection = store.reader(); Statement statement = connection.createStatement()) {
            for (int i = 0; i < personsAndStages.length; i += 2) {
                statement.execute("INSERT INTO person_stages VALUES (1, " + personsAndStages[i] + ", '" + personsAndStages[i + 1]
                        + "', TIMESTAMP '2026-06-01 00:00:00')");
            }
        }
        catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Long> members(PersonCondition condition) {
        return members(AUDIENCE, condition);
    }

    private List<Long> members(Audience audience, PersonCondition condition) {
        List<Long> persons = new ArrayList<>();
        sets.matching(audience, condition, person -> persons.add(person.personId()), CONTROL);
        assertThat(sets.count(audience, condition, CONTROL)).as("count of %s", condition).isEqualTo(persons.size());
        return persons;
    }

    private static Did did(String event, Count count, Window window, EventFilter... filters) {
        return new Did(event, List.of(filters), count, window);
    }

    private static Trait trait(String key, EventFilter.Operator operator, String... values) {
        return new Trait(key, operator, List.of(values));
    }

    private static Count exactly(long value) {
        return new Count(Count.Comparison.EXACTLY, value);
    }

    private static final PersonCondition BUYER = did(ORDER, Count.atLeast(3), Window.lastDays(30));
    private static final PersonCondition SHANGHAI = trait("city", EventFilter.Operator.EQUALS, "上海");

    @Test
    void importedPersonsMatchOnTraitsButDidNothing() {
        // a CRM list imported now: person 4 gets a city, person 7 exists only through the import
        store.apply(new IngestBatch(List.of(
                        new Event(1, "csv-4", "identify", "Identify", 4, "anon-4", null, NOW, NOW, null, null, null, null, null, null, null, null,
                                null, "{\"city\":\"上海\"}", null, false),
                        new Event(1, "csv-7", "identify", "Identify", 7, null, "u-7", NOW, NOW, null, null, null, null, null, null, null, null,
                                null, "{\"city\":\"上海\"}", null, false)),
                List.of(), List.of(), "wal", 3));

        assertThat(members(SHANGHAI)).containsExactly(1L, 4L, 5L, 7L);
        assertThat(members(did(PersonCondition.ANY_EVENT, Count.atLeast(1), Window.lastDays(3)))).as("unchanged: the import is no event")
                .containsExactly(1L, 3L, 4L, 5L);
        assertThat(members(did("Identify", Count.atLeast(1), Window.lastDays(1)))).isEmpty();
        assertThat(members(did(PersonCondition.ANY_EVENT, exactly(0), Window.ever()))).as("the imported person did nothing").containsExactly(7L);
        assertThat(store.drainChanged()).as("their segments are refreshed").containsEntry(1L, Set.of(4L, 7L));
    }

    @Test
    void didCountsEventsOfMergedPersonsInsideTheWindowWithItsEdges() {
        assertThat(members(BUYER)).as("1: two orders and one of merged 2; 3: one order exactly 30 days ago").containsExactly(1L, 3L);
        assertThat(members(did(ORDER, Count.atLeast(4), Window.lastDays(30)))).as("3's fourth order is 31 days ago").isEmpty();
        assertThat(members(did(ORDER, Count.atLeast(4), Window.lastDays(31)))).containsExactly(3L);
        assertThat(members(did(ORDER, Count.atLeast(3), Window.lastDays(29)))).as("1 still has three within 29 days").containsExactly(1L);
        assertThat(members(did(ORDER, exactly(2), Window.lastDays(30)))).containsExactly(5L);
        assertThat(members(did(ORDER, Count.atMost(2), Window.lastDays(30)))).as("4 never ordered").containsExactly(4L, 5L);
        assertThat(members(did(ORDER, Count.atMost(0), Window.lastDays(30)))).as("did not").containsExactly(4L);
        assertThat(members(did(ORDER, exactly(0), Window.ever()))).containsExactly(4L);
        assertThat(members(did(ORDER, Count.atLeast(0), Window.ever()))).as("everyone, the deleted person gone").containsExactly(1L, 3L, 4L,
                5L);
        assertThat(members(did(PersonCondition.ANY_EVENT, Count.atLeast(1), Window.lastDays(3)))).containsExactly(1L, 3L, 4L, 5L);
        assertThat(members(did(PersonCondition.ANY_EVENT, Count.atLeast(1), Window.lastDays(2)))).containsExactly(1L, 3L);
        assertThat(members(did(ORDER, Count.atLeast(1), Window.ever(), new EventFilter("revenue", EventFilter.Operator.GTE,
                List.of("100"))))).containsExactly(1L, 5L);
        assertThat(members(did(ORDER, Count.atLeast(1), Window.ever(), new EventFilter("$revenue", EventFilter.Operator.LT,
                List.of("100"))))).as("merged 2's order of 50").containsExactly(1L, 3L);
    }

    @Test
    void windowEdgesNamePersonsWithEventsThatLeftAWindowOrWereTimedAheadOfTheirArrival() {
        // an hour passes: 3's order of exactly 30 days ago leaves a 30-day window at once
        assertThat(sets.windowEdges(1, NOW.minusSeconds(1), NOW.plusSeconds(3600), Set.of(30))).containsExactly(3L);
        // 3's order 31 days ago and 4's page view 100 days ago are not at these edges
        assertThat(sets.windowEdges(1, NOW.plusSeconds(1), NOW.plusSeconds(3600), Set.of(30))).isEmpty();
        assertThat(sets.windowEdges(1, NOW.minusSeconds(3600), NOW.plusSeconds(1), Set.of(31, 100)))
                .as("an edge per length; merged 2 is named by its own id, deleted 6 by none").containsExactlyInAnyOrder(3L, 4L);
        assertThat(sets.windowEdges(1, daysAgo(1).minusSeconds(1), daysAgo(1).plusSeconds(1), Set.of()))
                .as("events timed inside the passed time itself").containsExactlyInAnyOrder(1L);
        assertThat(sets.windowEdges(1, NOW, NOW, Set.of(30))).as("no time passed").isEmpty();
        assertThat(sets.windowEdges(2, NOW.minusSeconds(1), NOW.plusSeconds(3600), Set.of(30))).as("another project").isEmpty();
    }

    @Test
    void dateWindowsAreInclusiveDaysInTheProjectsZone() {
        // 3's order 30 days ago: 2026-05-31 12:00 UTC = 20:00 on 2026-05-31 in Shanghai
        LocalDate day = LocalDate.of(2026, 5, 31);
        assertThat(members(did(ORDER, Count.atLeast(1), new Window(null, day, day)))).containsExactly(3L);
        assertThat(members(did(ORDER, Count.atLeast(1), new Window(null, day.plusDays(1), null)))).containsExactly(1L, 3L, 5L);
        assertThat(members(did(ORDER, Count.atLeast(2), new Window(null, null, day)))).as("31 and 30 days ago").containsExactly(3L);
        store.append(List.of(order(4, Instant.parse("2026-06-09T16:00:00Z"), 1), order(5, Instant.parse("2026-06-10T15:59:59.999999Z"), 1),
                order(3, Instant.parse("2026-06-10T16:00:00Z"), 1), order(3, Instant.parse("2026-06-09T15:59:59.999999Z"), 1)));
        LocalDate june10 = LocalDate.of(2026, 6, 10);
        assertThat(members(did(ORDER, Count.atLeast(1), new Window(null, june10, june10))))
                .as("the first and the last microsecond of the day in Shanghai, not the ones around it").containsExactly(4L, 5L);
    }

    @Test
    void traitsAreThoseOfTheMergedPersonAndNegationsHoldWithoutTheTrait() {
        assertThat(members(SHANGHAI)).as("1's later identify overrides merged 2's 北京").containsExactly(1L, 5L);
        assertThat(members(trait("city", EventFilter.Operator.EQUALS, "北京"))).containsExactly(3L);
        assertThat(members(trait("city", EventFilter.Operator.NOT_EQUALS, "上海"))).containsExactly(3L, 4L);
        assertThat(members(trait("plan", EventFilter.Operator.EQUALS, "pro"))).as("a trait only merged 2 had").containsExactly(1L);
        assertThat(members(trait("age", EventFilter.Operator.GT, "25"))).as("numbers and numeric text").containsExactly(1L, 5L);
        assertThat(members(trait("age", EventFilter.Operator.IN, "20", "40"))).containsExactly(3L, 5L);
        assertThat(members(trait("age", EventFilter.Operator.NOT_IN, "20", "40"))).containsExactly(1L, 4L);
        assertThat(members(trait("city", EventFilter.Operator.CONTAINS, "海"))).containsExactly(1L, 5L);
        assertThat(members(trait("city", EventFilter.Operator.NOT_CONTAINS, "海"))).containsExactly(3L, 4L);
        assertThat(members(trait("plan", EventFilter.Operator.IS_SET))).containsExactly(1L);
        assertThat(members(trait("plan", EventFilter.Operator.IS_NOT_SET))).containsExactly(3L, 4L, 5L);
    }

    @Test
    void theBehaviouralSegmentOfTheTarget() {
        assertThat(members(new All(List.of(BUYER, SHANGHAI)))).containsExactly(1L);
        assertThat(members(new All(List.of(SHANGHAI, BUYER)))).as("order does not matter").containsExactly(1L);
    }

    @Test
    void sequencesNeedTheSecondStrictlyLaterAndWithinTheSpan() {
        Step viewed = new Step("Product Viewed", List.of());
        Step ordered = new Step(ORDER, List.of());
        assertThat(members(new Sequence(viewed, ordered, Duration.ofMinutes(30), Window.lastDays(30)))).as("exactly 30 minutes")
                .containsExactly(5L);
        assertThat(members(new Sequence(viewed, ordered, Duration.ofMinutes(29), Window.lastDays(30)))).isEmpty();
        assertThat(members(new Sequence(ordered, viewed, Duration.ofDays(1), Window.lastDays(30)))).as("the order before the view")
                .containsExactly(5L);
        assertThat(members(new Sequence(ordered, viewed, Duration.ofHours(23), Window.lastDays(30)))).isEmpty();
        assertThat(members(new Sequence(viewed, ordered, Duration.ofMinutes(30), Window.lastDays(3)))).as("the view is outside the window")
                .isEmpty();
        assertThat(members(new Sequence(ordered, ordered, Duration.ofDays(5), Window.lastDays(30)))).as("one order, then another")
                .containsExactly(1L, 5L);
        assertThat(members(new Sequence(new Step(ORDER, List.of(new EventFilter("$revenue", EventFilter.Operator.EQUALS, List.of("50.0")))),
                ordered, Duration.ofDays(5), Window.lastDays(30)))).as("merged 2's order, then 1's").containsExactly(1L);
        store.append(List.of(event(4, "track", "Product Viewed", null, daysAgo(1), null, null, null, "{}"), order(4, daysAgo(1), 5)));
        assertThat(members(new Sequence(viewed, ordered, Duration.ofDays(1), Window.lastDays(30)))).as("at the same time is not later")
                .containsExactly(5L);
    }

    @Test
    void rfmMatchesTheReport() {
        Map<Long, RfmScore> report = new java.util.HashMap<>();
        new DuckDbEventAnalytics(store).rfm(new Scope(1, ZONE, LocalDate.of(2026, 6, 1), LocalDate.of(2026, 6, 30)), CONTROL,
                score -> report.put(score.personId(), score));
        assertThat(report.keySet()).containsExactlyInAnyOrder(1L, 3L, 5L);
        // recency: 1 → 1 day, 3 → 2 days, 5 → 3 days: the most recent scores 5
        assertThat(members(new Rfm(30, Set.of(), new Range(5, 5), Range.all(), Range.all()))).containsExactly(1L);
        assertThat(members(new Rfm(30, Set.of(), Range.all(), Range.all(), Range.all()))).containsExactly(1L, 3L, 5L);
        for (String segment : List.of("important_value", "important_develop", "important_keep", "important_win_back", "general_value",
                "general_develop", "general_keep", "general_win_back")) {
            List<Long> expected = report.values().stream().filter(score -> segment(score).equals(segment)).map(RfmScore::personId).sorted()
                    .toList();
            assertThat(members(new Rfm(30, Set.of(segment), Range.all(), Range.all(), Range.all()))).as(segment).isEqualTo(expected);
        }
        // from 2026-06-01: 1 → 3 orders, 250; 3 → 2 orders, 20; 5 → 2 orders, 1000; averages 2 days, 2.33 orders, 423.33
        assertThat(members(new Rfm(30, Set.of("general_value"), Range.all(), Range.all(), Range.all()))).containsExactly(1L);
        assertThat(members(new Rfm(30, Set.of("general_win_back", "important_win_back"), Range.all(), Range.all(), Range.all())))
                .containsExactly(3L, 5L);
        assertThat(members(new Rfm(1, Set.of(), Range.all(), Range.all(), Range.all()))).as("today's orders only").isEmpty();
    }

    private static String segment(RfmScore score) {
        String importance = score.monetaryAbove() ? "important_" : "general_";
        if (score.recencyAbove()) {
            return importance + (score.frequencyAbove() ? "value" : "develop");
        }
        return importance + (score.frequencyAbove() ? "keep" : "win_back");
    }

    @Test
    void stagesTouchesAndSets() {
        assertThat(members(new Stage(Set.of(LifecycleStage.ACTIVE, LifecycleStage.AT_RISK)))).as("6's row went with it").containsExactly(1L,
                3L);
        assertThat(members(new Stage(Set.of(LifecycleStage.NEW)))).isEmpty();
        assertThat(members(new Touch(true, Set.of("WeChat")))).as("merged 2's touch came first").containsExactly(1L);
        assertThat(members(new Touch(true, Set.of("SEO")))).isEmpty();
        assertThat(members(new Touch(false, Set.of("Direct", "SEO")))).containsExactly(1L);
        assertThat(members(new Touch(true, Set.of(Breakdown.NONE)))).containsExactly(3L, 4L, 5L);
        assertThat(members(new Touch(false, Set.of(Breakdown.NONE, "Direct")))).containsExactly(1L, 3L, 4L, 5L);

        assertThat(sets.add(1, "tag:1", List.of(2L, 4L, 99L), NOW).entered()).as("2 is 1; 99 is nobody").containsExactly(1L, 4L);
        assertThat(members(new InSet("tag:1"))).containsExactly(1L, 4L);
        assertThat(members(new InSet("tag:6"))).as("the deleted person's membership went with it").isEmpty();
        assertThat(members(new Not(new InSet("tag:1")))).containsExactly(3L, 5L);
    }

    @Test
    void nestedGroupsAndNegation() {
        PersonCondition churned = new Stage(Set.of(LifecycleStage.CHURNED));
        PersonCondition either = new Any(List.of(new All(List.of(BUYER, SHANGHAI)), churned));
        assertThat(members(either)).containsExactly(1L, 4L);
        assertThat(members(new Not(either))).containsExactly(3L, 5L);
        assertThat(members(new All(List.of(new Not(churned), new Not(BUYER))))).containsExactly(5L);
        assertThat(members(new Not(new Not(BUYER)))).containsExactly(1L, 3L);
        assertThat(members(new Any(List.of(new Not(SHANGHAI), new All(List.of(SHANGHAI, did(ORDER, exactly(2), Window.lastDays(30))))))))
                .containsExactly(3L, 4L, 5L);
        assertThat(members(new All(List.of(new Any(List.of(SHANGHAI, churned)), new Not(new Touch(true, Set.of("WeChat")))))))
                .containsExactly(4L, 5L);
    }

    @Test
    void matchingPagesCombineWithTheListQuery() {
        var page = sets.matching(AUDIENCE, new Not(BUYER), new PersonQuery(null, null, "city", "上海", PersonQuery.Sort.LAST_SEEN, false),
                new PageRequest(0, 10), CONTROL);
        assertThat(page.items()).extracting(PersonSummary::personId).containsExactly(5L);
        assertThat(page.total()).isEqualTo(1);
        assertThat(sets.matching(AUDIENCE, null, PersonQuery.everyone(), new PageRequest(0, 10), CONTROL).total()).isEqualTo(4);
    }

    @Test
    void refreshMaterialisesRulesInOrderAndReportsWhoEnteredAndLeft() {
        List<SetRule> rules = List.of(new SetRule("segment:1", BUYER), new SetRule("segment:2", new Not(new InSet("segment:1"))));
        List<SetChange> first = sets.refresh(AUDIENCE, rules, null);
        assertThat(first).extracting(SetChange::entered).containsExactly(List.of(1L, 3L), List.of(4L, 5L));
        assertThat(first).extracting(SetChange::size).containsExactly(2L, 2L);
        assertThat(sets.sizes(1)).containsEntry("segment:1", 2L).containsEntry("segment:2", 2L);
        assertThat(sets.setsOf(1, 2)).as("a merged id answers its root's sets").containsOnlyKeys("segment:1");

        store.append(List.of(order(5, daysAgo(0), 10)));
        Map<Long, Set<Long>> changed = sets.drainChanged();
        assertThat(changed).containsOnlyKeys(1L);
        List<SetChange> second = sets.refresh(AUDIENCE, rules, changed.get(1L));
        assertThat(second.get(0).entered()).containsExactly(5L);
        assertThat(second.get(1).exited()).containsExactly(5L);
        assertThat(second).as("an incremental refresh counts no members").extracting(SetChange::size)
                .containsOnly(SetChange.NOT_COUNTED);
        assertThat(sets.sizes(1)).containsEntry("segment:1", 3L).containsEntry("segment:2", 1L);
        assertThat(sets.refresh(AUDIENCE, rules, null)).as("nothing left to change").allMatch(change -> change.entered().isEmpty()
                && change.exited().isEmpty());
    }

    @Test
    void aPersonMergedAwayLeavesUnderItsOwnIdAndTheRootIsEvaluated() {
        List<SetRule> rules = List.of(new SetRule("segment:3", new Not(SHANGHAI)), new SetRule("segment:4", did(PersonCondition.ANY_EVENT,
                Count.atLeast(1), Window.lastDays(5))));
        sets.refresh(AUDIENCE, rules, null);
        assertThat(members(new InSet("segment:3"))).containsExactly(3L, 4L);
        store.apply(new IngestBatch(List.of(), List.of(), List.of(new PersonMerge(1, 4, 5, NOW)), "wal", 3));
        Map<Long, Set<Long>> changed = sets.drainChanged();
        assertThat(changed.get(1L)).containsExactlyInAnyOrder(4L, 5L);
        assertThat(sets.sizes(1)).as("before the refresh, 4 counts as 5: once in segment:4, where 5 is a member too")
                .containsEntry("segment:3", 2L).containsEntry("segment:4", 3L);
        assertThat(members(new InSet("segment:3"))).containsExactly(3L, 5L);

        List<SetChange> incremental = sets.refresh(AUDIENCE, rules, changed.get(1L));
        assertThat(incremental.get(0).exited()).containsExactly(4L);
        assertThat(incremental.get(0).entered()).isEmpty();
        assertThat(sets.setsOf(1, 4)).as("4 is 5 now, which is in 上海 and active").containsOnlyKeys("segment:4");
        assertThat(sets.refresh(AUDIENCE, rules, null)).as("a full refresh finds nothing more to change")
                .allMatch(change -> change.entered().isEmpty() && change.exited().isEmpty());
    }

    @Test
    void incrementalRefreshGivesWhatAFullRefreshGives() {
        List<PersonCondition> conditions = List.of(BUYER, new All(List.of(BUYER, SHANGHAI)), new Not(BUYER),
                did(ORDER, Count.atMost(2), Window.lastDays(30)),
                new Sequence(new Step("Product Viewed", List.of()), new Step(ORDER, List.of()), Duration.ofHours(1), Window.lastDays(30)),
                new Funnel(List.of(new Step("Product Viewed", List.of()), new Step(ORDER, List.of(new EventFilter("$revenue",
                        EventFilter.Operator.GTE, List.of("100")))), new Step(ORDER, List.of())), Duration.ofDays(2), Window.lastDays(30), 1, true),
                new Funnel(List.of(new Step("Product Viewed", List.of(new EventFilter("sku", EventFilter.Operator.IS_SET, List.of()))),
                        new Step(ORDER, List.of())), Duration.ofHours(1), Window.lastDays(30), 2, false),
                new Rfm(30, Set.of(), new Range(4, 5), Range.all(), Range.all()), new Touch(true, Set.of(Breakdown.NONE)),
                trait("city", EventFilter.Operator.NOT_EQUALS, "上海"), new Stage(Set.of(LifecycleStage.ACTIVE)),
                trait("plan", EventFilter.Operator.EQUALS, "pro"), trait("plan", EventFilter.Operator.IS_NOT_SET),
                trait("age", EventFilter.Operator.GT, "25"), new All(List.of(trait("city", EventFilter.Operator.CONTAINS, "海"),
                        trait("age", EventFilter.Operator.NOT_IN, "20", "40"))), new Not(SHANGHAI),
                did(ORDER, Count.atLeast(1), Window.lastDays(30), new EventFilter("revenue", EventFilter.Operator.GTE, List.of("100"))),
                did(PersonCondition.ANY_EVENT, Count.atLeast(2), Window.ever(), new EventFilter("$event", EventFilter.Operator.EQUALS,
                        List.of(ORDER)), new EventFilter("$currency", EventFilter.Operator.IS_SET, List.of())));
        incrementalEqualsFull(conditions, () -> {
            store.append(List.of(order(4, daysAgo(1), 5), order(4, daysAgo(2), 5), order(4, daysAgo(3), 5),
                    event(3, "track", "Product Viewed", null, daysAgo(2).minusSeconds(60), "WeChat", null, null, "{}"),
                    identify(3, "u-3", daysAgo(0), "{\"city\":\"上海\"}")));
            store.apply(new IngestBatch(List.of(), List.of(), List.of(new PersonMerge(1, 5, 1, NOW)), "wal", 3));
            assertThat(store.updateTraits(1, 1, "{\"city\":null}", NOW)).isTrue();
        });
    }

    @Test
    void incrementalRefreshReadingSomeNamesFromTheIndexAndFilteredOnesFromTheEvents() {
        // orders with a revenue filter and product views with a property filter come from the events table, the other
        // names (page views, identifies) of the "any event" conditions from the time index when it is on
        List<PersonCondition> conditions = List.of(did(PersonCondition.ANY_EVENT, Count.atLeast(3), Window.lastDays(5)),
                did(PersonCondition.ANY_EVENT, Count.atMost(1), Window.ever()), did("Page Viewed", Count.atLeast(1), Window.lastDays(4)),
                did(ORDER, Count.atLeast(1), Window.lastDays(30), new EventFilter("revenue", EventFilter.Operator.GTE, List.of("100"))),
                new Sequence(new Step("Product Viewed", List.of(new EventFilter("sku", EventFilter.Operator.IS_SET, List.of()))),
                        new Step(ORDER, List.of()), Duration.ofHours(1), Window.lastDays(30)),
                new All(List.of(BUYER, new Not(did("Page Viewed", Count.atLeast(2), Window.lastDays(60))))),
                new Rfm(30, Set.of(), Range.all(), Range.all(), Range.all()));
        long before = ((DuckDbPersonSets) sets).indexedCopies();
        incrementalEqualsFull(conditions, () -> {
            store.append(List.of(page(4, daysAgo(1)), page(4, daysAgo(2)), order(4, daysAgo(3), 150), page(3, daysAgo(0)),
                    event(3, "track", "Product Viewed", null, daysAgo(2).minusSeconds(60), null, null, null, "{\"sku\":\"B\"}"),
                    order(3, daysAgo(2), 20), page(1, daysAgo(70)), page(5, daysAgo(3))));
            store.apply(new IngestBatch(List.of(), List.of(), List.of(new PersonMerge(1, 4, 5, NOW)), "wal", 3));
        });
        assertThat(((DuckDbPersonSets) sets).indexedCopies() - before).as("incremental refreshes that read the time index")
                .isEqualTo(timeIndexEntries() == 0 ? 0 : 1);
        assertThat(members(conditions.get(0))).as("5 now has 4's two page views and order, and its own page view").contains(5L);
    }

    @Test
    void anIncrementalRefreshCopiesEachEventNameOnlyAsFarBackAsARuleReadsIt() {
        // "any event" over 2 and 4 days, orders over 31 days, page views over all time, views between dates, RFM over 7 days
        List<PersonCondition> conditions = List.of(did(PersonCondition.ANY_EVENT, Count.atLeast(1), Window.lastDays(2)),
                new Not(did(PersonCondition.ANY_EVENT, Count.atLeast(1), Window.lastDays(4))), did(ORDER, Count.atLeast(2), Window.lastDays(31)),
                did("Page Viewed", Count.atLeast(2), Window.ever()),
                new Sequence(new Step("Product Viewed", List.of()), new Step(ORDER, List.of()), Duration.ofHours(1),
                        new Window(null, LocalDate.of(2026, 6, 20), LocalDate.of(2026, 6, 28))),
                new Rfm(7, Set.of(), Range.all(), Range.all(), new Range(3, 5)));
        incrementalEqualsFull(conditions, () -> {
            store.append(List.of(order(4, daysAgo(1), 5), order(4, daysAgo(20), 5), page(4, daysAgo(3)),
                    event(3, "track", "Product Viewed", null, daysAgo(2).minusSeconds(60), null, null, null, "{}"), page(1, daysAgo(90))));
            store.apply(new IngestBatch(List.of(), List.of(), List.of(new PersonMerge(1, 5, 1, NOW)), "wal", 3));
        });
        assertThat(members(conditions.get(3))).as("4 viewed pages 100 and 3 days ago, 1 now 90 days ago and merged 5's").contains(4L);
    }

    @Test
    void countsAndSequencesAnsweredFromTheIndexKeepTheEdgesOfTheirWindows() {
        // events exactly on a window's start and at now, a sequence's steps at the same instant and exactly "within" apart,
        // a merged person's events counted under the root: the index answers these when it is on, SQL when it is off
        List<PersonCondition> conditions = List.of(did("Page Viewed", Count.atLeast(2), Window.lastDays(3)),
                did("Page Viewed", Count.atMost(1), Window.lastDays(3)), new Not(did(PersonCondition.ANY_EVENT, Count.atLeast(3), Window.lastDays(2))),
                did(ORDER, new Count(Count.Comparison.EXACTLY, 2), new Window(null, LocalDate.of(2026, 6, 27), LocalDate.of(2026, 6, 29))),
                new Sequence(new Step("Page Viewed", List.of()), new Step(ORDER, List.of()), Duration.ofHours(1), Window.lastDays(3)),
                new Sequence(new Step(ORDER, List.of()), new Step("Page Viewed", List.of()), Duration.ofMinutes(30), Window.ever()));
        long before = ((DuckDbPersonSets) sets).answeredRefreshes();
        incrementalEqualsFull(conditions, () -> {
            store.append(List.of(page(4, daysAgo(3)), page(4, NOW), order(4, NOW, 5), page(3, daysAgo(3).minusMillis(1)), page(3, daysAgo(1)),
                    order(3, daysAgo(1).plus(Duration.ofHours(1)), 5), order(3, daysAgo(4), 5), page(3, daysAgo(4).plus(Duration.ofMinutes(30))),
                    page(5, daysAgo(2)), order(5, daysAgo(2).plus(Duration.ofMinutes(61)), 5), order(1, daysAgo(3), 5)));
            store.apply(new IngestBatch(List.of(), List.of(), List.of(new PersonMerge(1, 5, 1, NOW)), "wal", 3));
        });
        assertThat(((DuckDbPersonSets) sets).answeredRefreshes() - before).as("incremental refreshes answered from the time index")
                .isEqualTo(timeIndexEntries() == 0 ? 0 : 1);
        assertThat(members(conditions.get(0))).as("4's page view exactly 3 days ago counts, 3's a millisecond earlier does not")
                .contains(4L).doesNotContain(3L);
        assertThat(members(conditions.get(4))).as("4 viewed and ordered at the same instant: not a sequence; 3 ordered exactly an hour later")
                .contains(3L).doesNotContain(4L);
        assertThat(members(conditions.get(5))).as("3 viewed a page exactly 30 minutes after ordering").contains(3L);
    }

    /**
     * Materialises the conditions, lets {@code change} write, then refreshes the changed persons
     * incrementally and everyone in a second set of keys: both equal the conditions evaluated anew.
     */
    private void incrementalEqualsFull(List<PersonCondition> conditions, Runnable change) {
        List<SetRule> incremental = new ArrayList<>();
        List<SetRule> full = new ArrayList<>();
        for (int i = 0; i < conditions.size(); i++) {
            incremental.add(new SetRule("segment:i" + i, conditions.get(i)));
            full.add(new SetRule("segment:f" + i, conditions.get(i)));
        }
        sets.refresh(AUDIENCE, incremental, null);
        change.run();
        sets.refresh(AUDIENCE, incremental, sets.drainChanged().get(1L));
        sets.refresh(AUDIENCE, full, null);
        for (int i = 0; i < conditions.size(); i++) {
            assertThat(members(new InSet("segment:i" + i))).as(conditions.get(i).toString()).isEqualTo(members(new InSet("segment:f" + i)))
                    .isEqualTo(members(conditions.get(i)));
        }
    }

    @Test
    void rulesEvaluatedTogetherByLevelGiveWhatAFullRefreshGives() {
        sets.refresh(AUDIENCE, dependentRules("i"), null);
        store.append(List.of(order(4, daysAgo(1), 5), identify(3, "u-3", daysAgo(0), "{\"city\":\"上海\"}")));
        store.apply(new IngestBatch(List.of(), List.of(), List.of(new PersonMerge(1, 5, 1, NOW)), "wal", 3));
        assertThat(store.updateTraits(1, 1, "{\"city\":null}", NOW)).isTrue();
        sets.refresh(AUDIENCE, dependentRules("i"), sets.drainChanged().get(1L));
        sets.refresh(AUDIENCE, dependentRules("f"), null);
        for (String key : List.of("buyer", "other", "shanghai", "either", "same")) {
            assertThat(members(new InSet("segment:i" + key))).as(key).isEqualTo(members(new InSet("segment:f" + key)));
        }
        assertThat(members(new InSet("segment:ieither"))).as("refers to two sets refreshed before it in the same call")
                .isEqualTo(members(new Any(List.of(new Not(BUYER), new All(List.of(BUYER, SHANGHAI))))));
    }

    /** Two rules on one level sharing BUYER, one on the next referring to the first, one on a third referring to both. */
    private static List<SetRule> dependentRules(String prefix) {
        return List.of(new SetRule("segment:" + prefix + "buyer", BUYER),
                new SetRule("segment:" + prefix + "other", new Not(new InSet("segment:" + prefix + "buyer"))),
                new SetRule("segment:" + prefix + "shanghai", new All(List.of(BUYER, SHANGHAI))),
                new SetRule("segment:" + prefix + "either", new Any(List.of(new InSet("segment:" + prefix + "other"),
                        new InSet("segment:" + prefix + "shanghai")))),
                new SetRule("segment:" + prefix + "same", new All(List.of(BUYER, SHANGHAI))));
    }

    @Test
    void levelsFollowTheSetsARuleReadsFreshAndKeepEachKeyOncePerLevel() {
        List<SetRule> rules = List.of(new SetRule("segment:a", BUYER), new SetRule("segment:b", new Not(new InSet("segment:a"))),
                new SetRule("segment:c", new InSet("segment:d")), new SetRule("segment:d", SHANGHAI),
                new SetRule("segment:e", new Any(List.of(new InSet("segment:b"), new InSet("segment:d")))), new SetRule("segment:a", SHANGHAI));
        assertThat(DuckDbPersonSets.levels(rules)).as("c reads the stored members of d, which a later rule refreshes")
                .containsExactly(List.of(0, 2, 3), List.of(1, 5), List.of(4));
    }

    @Test
    void addRemoveAndDrop() {
        SetChange added = sets.add(1, "tag:2", List.of(1L, 3L), NOW);
        assertThat(added.entered()).containsExactly(1L, 3L);
        assertThat(added.size()).isEqualTo(2);
        assertThat(sets.add(1, "tag:2", List.of(2L), NOW).entered()).as("2 is 1, a member already").isEmpty();
        assertThat(sets.setsOf(1, 3)).containsEntry("tag:2", NOW);
        SetChange removed = sets.remove(1, "tag:2", List.of(2L));
        assertThat(removed.exited()).containsExactly(1L);
        assertThat(removed.size()).isEqualTo(1);
        assertThat(sets.addMatching(AUDIENCE, "tag:2", SHANGHAI).entered()).containsExactly(1L, 5L);
        assertThat(sets.sizes(1)).containsEntry("tag:2", 3L);
        sets.drop(1, "tag:2");
        assertThat(sets.sizes(1)).doesNotContainKey("tag:2");
        assertThat(sets.setsOf(1, 3)).isEmpty();
    }

    @Test
    void deletingAPersonRemovesItsMembershipsAndStage() throws SQLException {
        sets.add(1, "tag:3", List.of(1L, 3L), NOW);
        stages(1, "new");
        sets.refresh(AUDIENCE, List.of(new SetRule("segment:rfm", new Rfm(30, Set.of(), Range.all(), Range.all(), Range.all()))), null);
        assertThat(rows("SELECT count(*) FROM rfm_orders WHERE project_id = 1 AND person_id IN (1, 2)")).as("orders kept for RFM").isEqualTo(3);
        assertThat(rows("SELECT count(*) FROM rfm_orders WHERE project_id = 1 AND person_id = 6")).as("deleted before").isZero();
        store.deletePerson(1, 2).orElseThrow();
        assertThat(rows("SELECT count(*) FROM person_sets WHERE project_id = 1 AND person_id IN (1, 2, 6)")).isZero();
        assertThat(rows("SELECT count(*) FROM person_stages WHERE project_id = 1 AND person_id IN (1, 2, 6)")).isZero();
        assertThat(rows("SELECT count(*) FROM rfm_orders WHERE project_id = 1 AND person_id IN (1, 2)")).isZero();
        assertThat(rows("SELECT count(*) FROM rfm_orders WHERE project_id = 1")).as("the orders of 3 and 5 in the window").isEqualTo(4);
        assertThat(members(new InSet("tag:3"))).containsExactly(3L);
        assertThat(members(BUYER)).containsExactly(3L);
        store.deleteProject(1);
        assertThat(rows("SELECT count(*) FROM person_sets")).isZero();
        assertThat(rows("SELECT count(*) FROM person_stages")).isZero();
        assertThat(rows("SELECT count(*) FROM rfm_orders")).isZero();
    }

    @Test
    void keptOrdersFollowOrdersRefundsMergesAndDeletionsAcrossCalls() throws SQLException {
        List<PersonCondition> conditions = List.of(new Rfm(30, Set.of(), Range.all(), Range.all(), Range.all()),
                new Rfm(30, Set.of(), new Range(4, 5), Range.all(), Range.all()), new Rfm(30, Set.of(), Range.all(), new Range(4, 5), Range.all()),
                new Rfm(7, Set.of(), Range.all(), Range.all(), new Range(3, 5)),
                new Rfm(30, Set.of("important_value", "general_win_back"), Range.all(), Range.all(), Range.all()),
                new All(List.of(SHANGHAI, new Rfm(30, Set.of(), Range.all(), Range.all(), new Range(1, 2)))));
        List<SetRule> rules = new ArrayList<>();
        for (int i = 0; i < conditions.size(); i++) {
            rules.add(new SetRule("segment:r" + i, conditions.get(i)));
        }
        sets.refresh(AUDIENCE, rules, null);
        Event later = order(4, daysAgo(2), 80);
        Event third = order(3, daysAgo(3), 60);
        store.append(List.of(order(4, daysAgo(1), 300), later, order(3, daysAgo(0), 40), third, refund(1, "o-6", daysAgo(0))));
        refreshAndCompare(rules, conditions, "new orders and a refund of 1's order 5 days ago");
        store.append(List.of(refund(2, third.orderId(), daysAgo(0))));
        refreshAndCompare(rules, conditions, "2 refunds an order of 3, who did nothing");
        store.append(List.of(page(3, daysAgo(0)), page(4, daysAgo(0)), identify(5, "u-5", daysAgo(0), "{\"city\": \"上海\"}")));
        Set<Long> viewed = sets.drainChanged().get(1L);
        assertThat(store.keptOrders().owed(1)).as("only orders, refunds, merges and deletions are owed to the kept orders").isEmpty();
        refreshAndCompare(AUDIENCE, rules, conditions, "buyers who only viewed a page or changed a trait: their kept orders stay", viewed);
        store.append(List.of(page(4, daysAgo(0)), order(3, daysAgo(0), 25)));
        Set<Long> ordered = sets.drainChanged().get(1L);
        assertThat(ordered).containsExactlyInAnyOrder(3L, 4L);
        assertThat(store.keptOrders().owed(1)).containsExactly(3L);
        refreshAndCompare(AUDIENCE, rules, conditions, "3 ordered, 4 viewed a page", ordered);
        store.deletePerson(1, 2).orElseThrow();
        refreshAndCompare(rules, conditions, "2 deleted: the order of 3 counts again");
        store.apply(new IngestBatch(List.of(), List.of(), List.of(new PersonMerge(1, 4, 3, NOW)), "wal", 3));
        store.append(List.of(refund(3, later.orderId(), daysAgo(0))));
        refreshAndCompare(rules, conditions, "4 merged into 3, then 4's order refunded by 3");
        store.deletePerson(1, 5).orElseThrow();
        store.append(List.of(order(1, daysAgo(0), 1000)));
        refreshAndCompare(rules, conditions, "5 deleted, 1 ordered again");
        store.append(List.of(order(5, daysAgo(0), 20)));
        sets.refresh(AUDIENCE, List.of(new SetRule("segment:buyer", BUYER)), sets.drainChanged().get(1L));
        store.append(List.of(order(3, daysAgo(0), 5)));
        refreshAndCompare(rules, conditions, "the changes of a call without RFM rules");
        store.append(List.of(order(1, daysAgo(0), 70)));
        refreshAndCompare(new Audience(1, ZONE, NOW.plus(Duration.ofDays(6))), rules, conditions, "six days later: 4's orders left the week");
        store.append(List.of(order(3, daysAgo(0), 15)));
        refreshAndCompare(new Audience(1, ZONE, NOW.plus(Duration.ofDays(6))), rules, conditions, "the same day again");
    }

    /**
     * Refreshes incrementally and compares the members among the changed persons with the
     * conditions (the others keep their ranks of the previous refresh: RFM ranks among every
     * buyer), and the kept orders with the events.
     */
    private void refreshAndCompare(List<SetRule> rules, List<PersonCondition> conditions, String step) throws SQLException {
        refreshAndCompare(AUDIENCE, rules, conditions, step);
    }

    private void refreshAndCompare(Audience audience, List<SetRule> rules, List<PersonCondition> conditions, String step) throws SQLException {
        refreshAndCompare(audience, rules, conditions, step, sets.drainChanged().get(1L));
    }

    private void refreshAndCompare(Audience audience, List<SetRule> rules, List<PersonCondition> conditions, String step, Set<Long> changed)
            throws SQLException {
        sets.refresh(audience, rules, changed);
        Set<Long> roots = new java.util.HashSet<>();
        for (long person : changed) {
            roots.add(rows("SELECT coalesce(max(root_id), " + person + ") FROM person_merges WHERE project_id = 1 AND person_id = " + person));
        }
        for (int i = 0; i < conditions.size(); i++) {
            List<Long> stored = members(new InSet("segment:r" + i));
            List<Long> expected = members(audience, conditions.get(i));
            assertThat(stored.stream().filter(roots::contains).toList()).as(step + ": " + conditions.get(i))
                    .isEqualTo(expected.stream().filter(roots::contains).toList());
        }
        String since = "TIMESTAMP '" + java.time.LocalDateTime.ofInstant(ConditionSql.rfmScope(AUDIENCE, 30).start(), java.time.ZoneOffset.UTC)
                + "'";
        String kept = "SELECT project_id, event, person_id, ts, order_id, revenue FROM rfm_orders WHERE event = 'Order Refunded' OR ts >= " + since;
        String events = "SELECT project_id, event, person_id, ts, order_id, revenue FROM events "
                + "WHERE event = 'Order Refunded' OR (event = 'Order Completed' AND ts >= " + since + ")";
        assertThat(rows("SELECT count(*) FROM (" + kept + " EXCEPT ALL " + events + ")")).as(step + ": kept, not in the events").isZero();
        assertThat(rows("SELECT count(*) FROM (" + events + " EXCEPT ALL " + kept + ")")).as(step + ": in the events, not kept").isZero();
        // the figures of every buyer kept per window are those of the events, whoever changed
        for (int window : List.of(30, 7)) {
            Scope scope = ConditionSql.rfmScope(audience, window);
            Sql buyers = new Sql().append("SELECT person_id, recency, frequency, monetary FROM rfm_buyers WHERE project_id = 1 AND window_days = ?",
                    window);
            Sql figures = new Sql().append("SELECT person, recency, frequency, monetary FROM (")
                    .include(DuckDbEventAnalytics.rfmFigures(scope, "events", null)).append(")");
            assertThat(rows(new Sql().append("SELECT count(*) FROM (").include(buyers).append(" EXCEPT ALL ").include(figures).append(")")))
                    .as(step + ": kept buyers of " + window + " days, not in the events").isZero();
            assertThat(rows(new Sql().append("SELECT count(*) FROM (").include(figures).append(" EXCEPT ALL ").include(buyers).append(")")))
                    .as(step + ": buyers of " + window + " days in the events, not kept").isZero();
        }
    }

    private long rows(Sql sql) throws SQLException {
        try (Connection connection = store.reader(); PreparedStatement statement = connection.prepareStatement(sql.text())) {
            sql.bind(statement);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    private long rows(String sql) throws SQLException {
        try (Connection connection = store.reader(); PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet result = statement.executeQuery()) {
            result.next();
            return result.getLong(1);
        }
    }
}
