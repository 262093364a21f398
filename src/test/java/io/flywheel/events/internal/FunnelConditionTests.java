package io.flywheel.events.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.TestApplication;
import io.flywheel.events.Audience;
import io.flywheel.events.Event;
import io.flywheel.events.EventFilter;
import io.flywheel.events.FunnelSpec;
import io.flywheel.events.IngestBatch;
import io.flywheel.events.PersonCondition;
import io.flywheel.events.PersonCondition.Funnel;
import io.flywheel.events.PersonCondition.InSet;
import io.flywheel.events.PersonCondition.Step;
import io.flywheel.events.PersonCondition.Window;
import io.flywheel.events.PersonMerge;
import io.flywheel.events.PersonSets;
import io.flywheel.events.PersonSets.SetRule;
import io.flywheel.events.QueryControl;
import io.flywheel.events.Scope;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The funnel condition selects exactly the persons the funnel report counts at each step: small
 * random projects (hourly timestamps, so ties are common; steps that repeat an event name, so one
 * event fills two steps; filters; merged and deleted persons) compared with the report and with
 * the {@link FunnelWalker} run over the generated events by hand, fully and incrementally; and
 * hand-computed cases for ties, repeats and the window's edges.
 */
class FunnelConditionTests {

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final Instant NOW = Instant.parse("2026-06-30T12:00:00Z");
    private static final QueryControl CONTROL = QueryControl.withTimeout(Duration.ofMinutes(1));
    /** Midnight of 2026-03-01 in Shanghai; random events fall on 03-01 to 03-04. */
    private static final Instant BASE = LocalDate.of(2026, 3, 1).atStartOfDay(ZONE).toInstant();
    private static final List<String> NAMES = List.of("A", "B", "C");
    private static final EventFilter X = new EventFilter("k", EventFilter.Operator.EQUALS, List.of("x"));

    private DuckDbEventStore store;
    private PersonSets sets;
    private DuckDbEventAnalytics analytics;
    private long position;

    @BeforeEach
    void open() {
        store = new DuckDbEventStore(new EventStoreProperties(TestApplication.freshDataDir().resolve("events.duckdb"), "256MB", 1));
        sets = new DuckDbPersonSets(store);
        analytics = new DuckDbEventAnalytics(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** One generated event, as the model keeps it. */
    private record Generated(long person, Instant at, String name, boolean x) {
    }

    private Event event(long project, Generated generated) {
        return new Event(project, UUID.randomUUID().toString(), "track", generated.name(), generated.person(), "anon-" + generated.person(),
                null, generated.at(), generated.at(), null, null, null, null, null, null, null, null, null,
                "{\"k\":\"" + (generated.x() ? "x" : "y") + "\"}", null);
    }

    private void merge(long project, long from, long into) {
        store.apply(new IngestBatch(List.of(), List.of(), List.of(new PersonMerge(project, from, into, NOW)), "test", ++position));
    }

    // ------------------------------------------------------------ the model

    /**
     * Each root's furthest step as the walker finds it over the events the report reads: step 1
     * inside the scope's days, every event up to the window after its end.
     */
    private static Map<Long, Integer> levels(List<Generated> events, Map<Long, Long> roots, Set<Long> deleted, List<Step> steps,
            Duration window, Instant start, Instant end) {
        Map<Long, List<Generated>> byRoot = new TreeMap<>();
        for (Generated event : events) {
            long root = roots.getOrDefault(event.person(), event.person());
            if (!deleted.contains(root) && !event.at().isBefore(start) && !event.at().isAfter(end.plus(window))) {
                byRoot.computeIfAbsent(root, key -> new ArrayList<>()).add(event);
            }
        }
        Map<Long, Integer> levels = new TreeMap<>();
        FunnelWalker walker = new FunnelWalker(steps.size(), window.toNanos() / 1_000);
        byRoot.forEach((root, list) -> {
            list.sort(Comparator.comparing(Generated::at));
            walker.reset();
            for (Generated event : list) {
                int mask = 0;
                for (int i = 0; i < steps.size(); i++) {
                    Step step = steps.get(i);
                    if (step.event().equals(event.name()) && (step.filters().isEmpty() || event.x())) {
                        mask |= 1 << i;
                    }
                }
                if (!event.at().isBefore(end)) {
                    mask &= ~1;
                }
                if (mask != 0) {
                    walker.add(event.at().getEpochSecond() * 1_000_000L + event.at().getNano() / 1_000, mask, -1);
                }
            }
            levels.put(root, walker.level());
        });
        return levels;
    }

    private static List<Long> expected(Map<Long, Integer> levels, int reached, boolean exactly) {
        return levels.entrySet().stream().filter(entry -> exactly ? entry.getValue() == reached : entry.getValue() >= reached)
                .map(Map.Entry::getKey).toList();
    }

    private List<Long> members(Audience audience, PersonCondition condition) {
        List<Long> persons = new ArrayList<>();
        sets.matching(audience, condition, person -> persons.add(person.personId()), CONTROL);
        assertThat(sets.count(audience, condition, CONTROL)).as("count of %s", condition).isEqualTo(persons.size());
        return persons.stream().sorted().toList();
    }

    // ------------------------------------------------------------ random projects

    @Test
    void everyLevelOfTheConditionIsThePersonsTheReportCountsThere() {
        long[] seen = new long[FunnelSpec.MAX_STEPS + 1];
        for (int seed = 1; seed <= 60; seed++) {
            compare(seed, new Random(seed)).values().forEach(level -> seen[level]++);
        }
        for (int level = 0; level <= 4; level++) {
            assertThat(seen[level]).as("persons over every project whose furthest step is %d: the data reach every level", level).isPositive();
        }
    }

    private Map<Long, Integer> compare(long project, Random random) {
        int persons = 2 + random.nextInt(6);
        List<Generated> events = new ArrayList<>();
        for (long person = 1; person <= persons; person++) {
            int count = random.nextInt(9);
            for (int i = 0; i < count; i++) {
                events.add(new Generated(person, BASE.plus(Duration.ofHours(random.nextInt(96))), NAMES.get(random.nextInt(NAMES.size())),
                        random.nextBoolean()));
            }
            if (count > 0 && random.nextInt(4) == 0) {
                Generated copy = events.get(events.size() - 1 - random.nextInt(count));
                events.add(new Generated(person, copy.at(), copy.name(), copy.x()));
            }
        }
        List<Step> steps = new ArrayList<>();
        int size = 2 + random.nextInt(3);
        for (int i = 0; i < size; i++) {
            steps.add(new Step(NAMES.get(random.nextInt(NAMES.size())), random.nextInt(4) == 0 ? List.of(X) : List.of()));
        }
        Duration window = Duration.ofHours(1 + random.nextInt(30));
        LocalDate from = LocalDate.of(2026, 3, 2);
        LocalDate to = from.plusDays(random.nextInt(2));
        Scope scope = new Scope(project, ZONE, from, to);
        Audience audience = new Audience(project, ZONE, NOW);

        // half of the events first, rules refreshed for everyone; then the rest, merges and a deletion, refreshed incrementally
        List<Generated> early = events.subList(0, events.size() / 2);
        List<Generated> late = events.subList(events.size() / 2, events.size());
        List<SetRule> rules = new ArrayList<>();
        for (int reached = 1; reached <= size; reached++) {
            for (boolean exactly : List.of(false, true)) {
                rules.add(new SetRule("segment:" + reached + (exactly ? "e" : "a"), funnel(steps, window, from, to, reached, exactly)));
            }
        }
        store.append(early.stream().map(generated -> event(project, generated)).toList());
        sets.refresh(audience, rules, null);
        store.append(late.stream().map(generated -> event(project, generated)).toList());
        Map<Long, Long> roots = new HashMap<>();
        if (persons >= 4 && random.nextBoolean()) {
            merge(project, 3, 1);
            roots.put(3L, 1L);
        }
        if (persons >= 5 && random.nextBoolean()) {
            merge(project, 5, 2);
            roots.put(5L, 2L);
        }
        Set<Long> deleted = new TreeSet<>();
        if (random.nextBoolean() && events.stream().anyMatch(event -> event.person() == 4)) {
            store.deletePerson(project, 4).orElseThrow();
            deleted.add(4L);
        }
        Set<Long> changed = sets.drainChanged().getOrDefault(project, Set.of());
        sets.refresh(audience, rules, changed);

        long[] report = analytics.funnel(new FunnelSpec(scope, steps.stream().map(step -> new FunnelSpec.Step(step.event(), step.filters()))
                .toList(), window, null), CONTROL).total().reached();
        Map<Long, Integer> levels = levels(events, roots, deleted, steps, window, scope.start(), scope.end());
        String what = "project " + project + ": " + steps + " within " + window + " " + from + ".." + to + ", levels " + levels;
        for (int reached = 1; reached <= size; reached++) {
            long atLeast = report[reached - 1];
            long exactlyCount = atLeast - (reached < size ? report[reached] : 0);
            List<Long> atLeastMembers = members(audience, funnel(steps, window, from, to, reached, false));
            List<Long> exactlyMembers = members(audience, funnel(steps, window, from, to, reached, true));
            assertThat(atLeastMembers).as(what + ", at least " + reached).hasSize((int) atLeast).isEqualTo(expected(levels, reached, false));
            assertThat(exactlyMembers).as(what + ", exactly " + reached).hasSize((int) exactlyCount).isEqualTo(expected(levels, reached, true));
            assertThat(members(audience, new InSet("segment:" + reached + "a"))).as(what + ", kept incrementally, at least " + reached)
                    .isEqualTo(atLeastMembers);
            assertThat(members(audience, new InSet("segment:" + reached + "e"))).as(what + ", kept incrementally, exactly " + reached)
                    .isEqualTo(exactlyMembers);
        }
        return levels;
    }

    private static Funnel funnel(List<Step> steps, Duration within, LocalDate from, LocalDate to, int reached, boolean exactly) {
        return new Funnel(steps, within, new Window(null, from, to), reached, exactly);
    }

    // ------------------------------------------------------------ by hand

    private static final Step VIEWED = new Step("Viewed", List.of());
    private static final Step ADDED = new Step("Added", List.of());
    private static final Step PAID = new Step("Paid", List.of());
    private static final LocalDate DAY = LocalDate.of(2026, 3, 2);

    private static Instant at(String localTime) {
        return DAY.atTime(java.time.LocalTime.parse(localTime)).atZone(ZONE).toInstant();
    }

    private void events(long project, Object... personsNamesAndTimes) {
        List<Event> list = new ArrayList<>();
        for (int i = 0; i < personsNamesAndTimes.length; i += 3) {
            Instant time = personsNamesAndTimes[i + 2] instanceof Instant instant ? instant : at((String) personsNamesAndTimes[i + 2]);
            list.add(event(project, new Generated(((Number) personsNamesAndTimes[i]).longValue(), time, (String) personsNamesAndTimes[i + 1], true)));
        }
        store.append(list);
    }

    private List<Long> day(long project, List<Step> steps, Duration within, int reached, boolean exactly) {
        return members(new Audience(project, ZONE, NOW), funnel(steps, within, DAY, DAY, reached, exactly));
    }

    @Test
    void theFurthestStepOverEveryStartWithTiesAndRepeats() {
        events(1,
                // a later start reaches further: the first view is too early for the payment
                1, "Viewed", "10:00", 1, "Added", "10:30", 1, "Viewed", "11:00", 1, "Added", "11:10", 1, "Paid", "11:50",
                // everything at the same instant counts, in step order
                2, "Viewed", "12:00", 2, "Added", "12:00", 2, "Paid", "12:00",
                // added before viewed is no step 2
                3, "Added", "09:00", 3, "Viewed", "10:00", 3, "Paid", "10:10",
                // exactly the window after the view still counts; a microsecond later not
                4, "Viewed", "13:00", 4, "Added", "13:30", 4, "Paid", "14:00",
                5, "Viewed", "13:00", 5, "Added", "13:30", 5, "Paid", at("14:00").plusNanos(1_000));
        Duration hour = Duration.ofHours(1);
        assertThat(day(1, List.of(VIEWED, ADDED, PAID), hour, 3, false)).containsExactly(1L, 2L, 4L);
        assertThat(day(1, List.of(VIEWED, ADDED, PAID), hour, 2, true)).containsExactly(5L);
        assertThat(day(1, List.of(VIEWED, ADDED, PAID), hour, 1, true)).as("viewed, not added after it").containsExactly(3L);
        assertThat(day(1, List.of(VIEWED, ADDED, PAID), hour, 1, false)).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(day(1, List.of(VIEWED, ADDED, PAID), Duration.ofMinutes(50), 3, false)).as("a 50-minute window")
                .containsExactly(1L, 2L);
        assertThat(day(1, List.of(VIEWED, VIEWED), hour, 2, false)).as("one view fills both steps").containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(day(1, List.of(VIEWED, VIEWED, VIEWED), hour, 3, false)).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(day(1, List.of(ADDED, VIEWED, PAID), hour, 3, false)).as("3 paid 70 minutes after adding").containsExactly(2L);
        assertThat(day(1, List.of(ADDED, VIEWED, PAID), hour, 2, true)).containsExactly(1L, 3L);
        assertThat(day(1, List.of(ADDED, VIEWED, PAID), hour, 1, true)).as("added, never viewed at or after it").containsExactly(4L, 5L);
    }

    @Test
    void step1MustFallInTheWindowAndLaterStepsMayFollowItsEnd() {
        Instant midnight = DAY.plusDays(1).atStartOfDay(ZONE).toInstant();
        events(2,
                1, "Viewed", midnight.minusSeconds(600), 1, "Added", midnight.plusSeconds(600),
                2, "Viewed", midnight, 2, "Added", midnight.plusSeconds(60),
                3, "Viewed", DAY.atStartOfDay(ZONE).toInstant().minusNanos(1_000), 3, "Added", "00:10");
        assertThat(day(2, List.of(VIEWED, ADDED), Duration.ofHours(1), 2, false)).as("the step after midnight counts").containsExactly(1L);
        assertThat(day(2, List.of(VIEWED, ADDED), Duration.ofHours(1), 1, false)).as("step 1 on the next day or the day before does not")
                .containsExactly(1L);

        Audience audience = new Audience(2, ZONE, midnight.plusSeconds(3600));
        assertThat(members(audience, new Funnel(List.of(VIEWED, ADDED), Duration.ofHours(1), Window.lastDays(1), 2, false)))
                .as("the last 24 hours").containsExactly(1L, 2L);
        assertThat(members(audience, new Funnel(List.of(VIEWED, ADDED), Duration.ofMinutes(5), Window.lastDays(1), 1, true)))
                .containsExactly(1L);
    }

    @Test
    void stepsFilterTheirEventsAndMayBeAnyEvent() {
        store.append(List.of(
                new Event(3, "m1", "track", "Viewed", 1, "anon-1", null, at("10:00"), at("10:00"), null, null, null, null, null, null, null,
                        null, null, "{\"sku\":\"A\"}", null),
                new Event(3, "m2", "track", "Paid", 1, "anon-1", null, at("10:05"), at("10:05"), null, null, null, null, null, null, null,
                        99.0, "CNY", "{}", null),
                new Event(3, "m3", "track", "Viewed", 2, "anon-2", null, at("10:00"), at("10:00"), null, null, null, null, null, null, null,
                        null, null, "{\"sku\":\"B\"}", null),
                new Event(3, "m4", "page", "Page Viewed", 2, "anon-2", null, at("10:01"), at("10:01"), null, null, null, null, null, null, null,
                        null, null, "{}", null)));
        Step skuA = new Step("Viewed", List.of(new EventFilter("sku", EventFilter.Operator.EQUALS, List.of("A"))));
        Step bigOrder = new Step("Paid", List.of(new EventFilter("$revenue", EventFilter.Operator.GT, List.of("50"))));
        Step anything = new Step(PersonCondition.ANY_EVENT, List.of(new EventFilter("$type", EventFilter.Operator.EQUALS, List.of("page"))));
        assertThat(day(3, List.of(skuA, bigOrder), Duration.ofHours(1), 2, false)).containsExactly(1L);
        assertThat(day(3, List.of(VIEWED, bigOrder), Duration.ofHours(1), 1, true)).containsExactly(2L);
        assertThat(day(3, List.of(VIEWED, anything), Duration.ofHours(1), 2, false)).containsExactly(2L);
    }

    @Test
    void aFunnelHasTwoToTenStepsAPositiveWindowAndReachesOneOfItsSteps() {
        List<Step> two = List.of(VIEWED, PAID);
        assertThatThrownBy(() -> new Funnel(List.of(VIEWED), Duration.ofHours(1), Window.ever(), 1, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 to 10 steps");
        assertThatThrownBy(() -> new Funnel(java.util.Collections.nCopies(11, VIEWED), Duration.ofHours(1), Window.ever(), 1, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Funnel(two, Duration.ZERO, Window.ever(), 1, false)).hasMessageContaining("within must be positive");
        assertThatThrownBy(() -> new Funnel(two, Duration.ofHours(1), Window.ever(), 0, false)).hasMessageContaining("1 to 2");
        assertThatThrownBy(() -> new Funnel(two, Duration.ofHours(1), Window.ever(), 3, true)).hasMessageContaining("1 to 2");
        assertThat(new Funnel(two, Duration.ofHours(1), Window.ever(), 2, true).steps()).containsExactly(VIEWED, PAID);
    }
}
