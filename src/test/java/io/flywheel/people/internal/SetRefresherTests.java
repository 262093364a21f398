package io.flywheel.people.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.events.EventFilter;
import io.flywheel.events.LifecycleStage;
import io.flywheel.events.PersonCondition.All;
import io.flywheel.events.PersonCondition.Count;
import io.flywheel.events.PersonCondition.Did;
import io.flywheel.events.PersonCondition.InSet;
import io.flywheel.events.PersonCondition.Trait;
import io.flywheel.events.PersonCondition.Window;
import io.flywheel.events.PersonCondition;
import io.flywheel.events.StageTransition;
import io.flywheel.people.LifecycleStagesChanged;
import io.flywheel.people.Segment;
import io.flywheel.people.Segments;
import io.flywheel.people.SetSize;
import io.flywheel.platform.AuditEntry;
import io.flywheel.platform.AuditLog;
import io.flywheel.platform.Project;
import io.flywheel.shared.ConflictException;
import io.flywheel.shared.InvalidInputException;
import io.flywheel.shared.Page;
import io.flywheel.shared.PageRequest;
import io.flywheel.support.Databases;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The refresher with persons in memory: every set for everyone after a start (within a budget per
 * round), incremental refreshes of changed persons and of persons at the edges of sliding windows
 * in dependency order, full refreshes after a rule change and of ranked (RFM) rules hourly and after
 * midnight, the published membership changes, the size history, and recovery after failures.
 */
class SetRefresherTests {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final Instant START = Instant.parse("2026-11-20T08:00:30Z");

    private final FakePersonSets sets = new FakePersonSets();
    private final MovableClock clock = new MovableClock(START);
    private final List<Object> published = new ArrayList<>();
    private final List<String> audited = new ArrayList<>();
    private SetSizeStore sizes;
    private SegmentStore store;
    private RuleSets ruleSets;
    private SetRefresher refresher;
    private Segments segments;
    private Project project;

    @BeforeEach
    void setUp() {
        JdbcClient jdbc = Databases.H2.migrated().jdbc();
        jdbc.sql("""
                        INSERT INTO projects (name, time_zone, write_key, secret_key_hash, created_at, updated_at)
                        VALUES ('shop', 'Asia/Shanghai', 'wk', 'sk', :now, :now)""").param("now", Timestamp.from(START)).update();
        project = new Project(jdbc.sql("SELECT id FROM projects").query(Long.class).single(), "shop", SHANGHAI, "wk", START);
        store = new SegmentStore(jdbc);
        ruleSets = new RuleSets(store, new TagStore(jdbc));
        sizes = new SetSizeStore(jdbc);
        refresher = new SetRefresher(sets, ruleSets, store, sizes, FixedProjects.of(project), published::add,
                TransactionOperations.withoutTransaction(), clock, SegmentsProperties.defaults());
        segments = new Segments(store, ruleSets, sets, refresher, sizes, new ListAudit(audited), clock, SegmentsProperties.defaults());
        sets.person(project.id(), 1, "city", "上海");
        sets.person(project.id(), 1, "gender", "f");
        sets.person(project.id(), 2, "city", "上海");
        sets.person(project.id(), 2, "gender", "m");
        sets.person(project.id(), 3, "city", "北京");
        sets.person(project.id(), 3, "gender", "f");
    }

    private static Trait trait(String key, String value) {
        return new Trait(key, EventFilter.Operator.EQUALS, List.of(value));
    }

    private Segment create(String name, PersonCondition rule) {
        return segments.create(project, new Segment.Draft(name, "", rule), "ana");
    }

    @Test
    void personsWhoseStageMovedAreEvaluatedAgainAndAThresholdChangeEvaluatesStageRulesForEveryone() {
        Segment active = create("active", new PersonCondition.Stage(Set.of(LifecycleStage.ACTIVE)));
        Segment shanghai = create("上海", trait("city", "上海"));
        refresher.round();
        assertThat(sets.members(project.id(), active.key())).isEmpty();
        assertThat(refresher.round()).as("no changed persons: the next round waits the whole refresh delay").isFalse();

        // a recompute moves persons 1 and 3; the event store saw no write of theirs
        sets.persons.get(project.id()).get(1L).put("stage", "active");
        sets.persons.get(project.id()).get(3L).put("stage", "active");
        sets.refreshes.clear();
        clock.move(Duration.ofSeconds(1));
        refresher.stagesChanged(new LifecycleStagesChanged(project.id(), clock.instant(), List.of(
                new StageTransition(1, LifecycleStage.NEW, LifecycleStage.ACTIVE, clock.instant()),
                new StageTransition(3, LifecycleStage.AT_RISK, LifecycleStage.ACTIVE, clock.instant()))));
        assertThat(refresher.round()).as("changed persons evaluated: the next round follows sooner").isTrue();

        assertThat(sets.refreshes).containsExactly("[" + active.key() + ", " + shanghai.key() + "] [1, 3]");
        assertThat(sets.members(project.id(), active.key())).containsExactly(1L, 3L);

        // more movers than are worth naming: the stage rules (only) are evaluated for everyone
        sets.persons.get(project.id()).get(2L).put("stage", "active");
        sets.refreshes.clear();
        clock.move(Duration.ofSeconds(1));
        List<StageTransition> many = new ArrayList<>();
        for (int person = 0; person <= SetRefresher.MAX_MOVED_PERSONS; person++) {
            many.add(new StageTransition(1_000_000 + person, LifecycleStage.NEW, LifecycleStage.ACTIVE, clock.instant()));
        }
        refresher.stagesChanged(new LifecycleStagesChanged(project.id(), clock.instant(), many));
        refresher.round();

        assertThat(sets.refreshes).containsExactly("[" + active.key() + "] everyone");
        assertThat(sets.members(project.id(), active.key())).containsExactly(1L, 2L, 3L);
    }

    @Test
    void refreshesEveryoneAtStartThenOnlyChangedPersonsInDependencyOrder() {
        Segment shanghai = create("Z 上海", trait("city", "上海"));
        Segment women = create("A 上海 women", new All(List.of(new InSet(shanghai.key()), trait("gender", "f"))));

        refresher.round();

        assertThat(sets.refreshes).as("the changed persons first, then the new sets for everyone, in dependency order")
                .containsExactly("[" + shanghai.key() + ", " + women.key() + "] [1, 2, 3]", "[" + shanghai.key() + ", " + women.key() + "] everyone");
        assertThat(sets.members(project.id(), shanghai.key())).containsExactly(1L, 2L);
        assertThat(sets.members(project.id(), women.key())).containsExactly(1L);
        assertThat(published).containsExactlyInAnyOrder(
                new Segment.MembershipChanged(project.id(), shanghai.id(), List.of(1L, 2L), List.of()),
                new Segment.MembershipChanged(project.id(), women.id(), List.of(1L), List.of()));
        assertThat(refresher.refreshedAt(project.id(), women.key())).contains(START);

        sets.refreshes.clear();
        published.clear();
        clock.move(Duration.ofSeconds(1));
        sets.person(project.id(), 3, "city", "上海");
        sets.person(project.id(), 1, "city", "杭州");
        refresher.round();

        assertThat(sets.refreshes).containsExactly("[" + shanghai.key() + ", " + women.key() + "] [1, 3]");
        assertThat(published).containsExactly(
                new Segment.MembershipChanged(project.id(), shanghai.id(), List.of(3L), List.of(1L)),
                new Segment.MembershipChanged(project.id(), women.id(), List.of(3L), List.of(1L)));

        sets.refreshes.clear();
        clock.move(Duration.ofSeconds(1));
        refresher.round();
        assertThat(sets.refreshes).as("nothing changed").isEmpty();
    }

    @Test
    void aChangedRuleRefreshesItsSetAndTheSetsReferringToItForEveryone() {
        Segment shanghai = create("上海", trait("city", "上海"));
        Segment women = create("上海 women", new All(List.of(new InSet(shanghai.key()), trait("gender", "f"))));
        Segment men = create("men", trait("gender", "m"));
        refresher.round();
        sets.refreshes.clear();

        segments.update(project, shanghai.id(), new Segment.Draft("北京", "", trait("city", "北京")), "bo");
        segments.update(project, men.id(), new Segment.Draft("men!", "", trait("gender", "m")), "bo");
        clock.move(Duration.ofSeconds(1));
        refresher.round();

        assertThat(sets.refreshes).as("a new name alone refreshes nothing").containsExactly(
                "[" + shanghai.key() + ", " + women.key() + "] everyone");
        assertThat(sets.members(project.id(), women.key())).containsExactly(3L);
        assertThat(audited).contains("segment.created " + shanghai.key(), "segment.updated " + shanghai.key());
    }

    @Test
    void refusesReferencesToMissingSetsCyclesAndDeletingASetInUse() {
        Segment shanghai = create("上海", trait("city", "上海"));
        Segment women = create("上海 women", new All(List.of(new InSet(shanghai.key()), trait("gender", "f"))));

        assertThatThrownBy(() -> create("ghost", new InSet("segment:999"))).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.field()).isEqualTo("rule"));
        assertThatThrownBy(() -> create("no tag", new InSet("tag:5"))).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> segments.update(project, shanghai.id(), new Segment.Draft("上海", "", new InSet(women.key())), "ana"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.getMessage()).contains("cycle"));
        assertThatThrownBy(() -> segments.update(project, shanghai.id(), new Segment.Draft("上海", "", new InSet(shanghai.key())), "ana"))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> create("上海", trait("city", "北京"))).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> create(" ", trait("city", "北京"))).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.field()).isEqualTo("name"));
        assertThatThrownBy(() -> segments.delete(project, shanghai.id(), "ana")).isInstanceOf(ConflictException.class);

        refresher.round();
        segments.delete(project, women.id(), "ana");
        segments.delete(project, shanghai.id(), "ana");
        assertThat(segments.list(project.id())).isEmpty();
        assertThat(sets.sizes(project.id())).isEmpty();
        assertThat(audited).contains("segment.deleted " + women.key());
    }

    @Test
    void followsTheTrailingEdgesOfSlidingWindowsAndRanksEveryoneAgainHourlyAndAfterMidnightInTheProjectsZone() {
        Segment shanghai = create("上海", trait("city", "上海"));
        Segment buyers = create("buyers", new Did("Order Completed", List.of(), Count.atLeast(1), Window.lastDays(30)));
        Segment loyal = create("loyal", new PersonCondition.Rfm(90, Set.of("important_value"), PersonCondition.Range.all(),
                PersonCondition.Range.all(), PersonCondition.Range.all()));
        Segment shanghaiLoyal = create("上海 loyal", new All(List.of(new InSet(loyal.key()), new InSet(shanghai.key()))));
        Segment between = create("November", new Did("Order Completed", List.of(), Count.atLeast(1),
                new Window(null, LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 30))));
        refresher.round();
        assertThat(sets.refreshes).as("the changed persons, then the new sets for everyone").hasSize(2).last().asString().endsWith("everyone");
        sets.refreshes.clear();
        sets.edgeCalls.clear();

        // a minute on, person 2's only order leaves the 30-day window: the store names it at the window's edge
        clock.move(Duration.ofMinutes(1));
        sets.edges.put(project.id(), Set.of(2L));
        refresher.round();
        assertThat(sets.edgeCalls).as("the minute that passed, 30 days back (and now)").containsExactly(
                START.minusMillis(1) + " " + START.plus(Duration.ofMinutes(1)).plusMillis(1) + " [30]");
        assertThat(sets.refreshes).hasSize(1).allMatch(line -> line.endsWith(" [2]") && line.contains(buyers.key()));
        sets.edges.clear();
        sets.refreshes.clear();

        clock.move(Duration.ofMinutes(58).plusSeconds(59));
        refresher.round();
        assertThat(sets.refreshes).as("within the hour nothing is ranked again").isEmpty();
        clock.move(Duration.ofSeconds(1));
        sets.person(project.id(), 3, "rfm", "important_value");
        sets.person(project.id(), 3, "city", "上海");
        refresher.round();
        assertThat(sets.refreshes).as("the changed person, then what ranks persons against everyone and what refers to it")
                .containsExactly("[" + between.key() + ", " + buyers.key() + ", " + loyal.key() + ", " + shanghai.key() + ", " + shanghaiLoyal.key() + "] [3]",
                        "[" + loyal.key() + "] everyone", "[" + shanghaiLoyal.key() + "] everyone");
        assertThat(sets.members(project.id(), shanghaiLoyal.key())).containsExactly(3L);

        sets.refreshes.clear();
        clock.set(LocalDate.of(2026, 11, 20).atTime(23, 59, 59).atZone(SHANGHAI).toInstant());
        refresher.round();
        sets.refreshes.clear();
        clock.move(Duration.ofSeconds(2));
        refresher.round();
        assertThat(sets.refreshes).as("a new day in Shanghai").containsExactly("[" + loyal.key() + "] everyone",
                "[" + shanghaiLoyal.key() + "] everyone");
    }

    @Test
    void worksOffTheBacklogWithinItsBudgetWhileChangedPersonsAreEvaluatedEveryRound() {
        SetRefresher slow = new SetRefresher(sets, ruleSets, store, sizes, FixedProjects.of(project), published::add,
                TransactionOperations.withoutTransaction(), clock, new SegmentsProperties(Duration.ofMillis(250), Duration.ofHours(1),
                        Duration.ZERO, 0.25, Duration.ofMinutes(1), Duration.ofSeconds(30)));
        Segment shanghai = create("A 上海", trait("city", "上海"));
        Segment women = create("B 上海 women", new All(List.of(new InSet(shanghai.key()), trait("gender", "f"))));
        Segment men = create("C men", trait("gender", "m"));
        slow.round();
        assertThat(sets.refreshes).as("the changed persons, then one set of the backlog per round").containsExactly(
                "[" + shanghai.key() + ", " + women.key() + ", " + men.key() + "] [1, 2, 3]", "[" + shanghai.key() + "] everyone");
        sets.refreshes.clear();
        sets.person(project.id(), 1, "gender", "m");
        slow.round();
        assertThat(sets.refreshes).containsExactly("[" + shanghai.key() + ", " + women.key() + ", " + men.key() + "] [1]",
                "[" + women.key() + "] everyone");
        sets.refreshes.clear();
        slow.round();
        assertThat(sets.refreshes).containsExactly("[" + men.key() + "] everyone");
        assertThat(slow.refreshedAt(project.id(), men.key())).contains(START);
        sets.refreshes.clear();
        slow.round();
        assertThat(sets.refreshes).as("the backlog is done").isEmpty();
        assertThat(sets.members(project.id(), men.key())).containsExactly(1L, 2L);
        assertThat(sets.members(project.id(), women.key())).isEmpty();
    }

    @Test
    void aRoundWithoutChangesGivesTheBacklogTenTimesTheBudget() {
        SetRefresher restarted = new SetRefresher(sets, ruleSets, store, sizes, FixedProjects.of(project), published::add,
                TransactionOperations.withoutTransaction(), clock, SegmentsProperties.defaults());
        List<String> keys = firstRoundOfTwelveSlowSets(restarted);
        sets.refreshes.clear();
        restarted.round();
        assertThat(sets.refreshes).as("nothing changed: up to 5 s, so the other nine").hasSize(9).allMatch(line -> line.endsWith("everyone"));
        assertThat(restarted.refreshedAt(project.id(), keys.get(11))).isPresent();
    }

    @Test
    void whileChangedPersonsKeepComingTheBacklogTakesAtMostItsShareOfTheTime() {
        SetRefresher restarted = new SetRefresher(sets, ruleSets, store, sizes, FixedProjects.of(project), published::add,
                TransactionOperations.withoutTransaction(), clock, SegmentsProperties.defaults());
        List<String> keys = firstRoundOfTwelveSlowSets(restarted);
        sets.refreshes.clear();
        sets.person(project.id(), 2, "city", "杭州");
        restarted.round();
        assertThat(sets.refreshes).as("the backlog rests three times what it took: 1.8 s").containsExactly(keys + " [2]");
        sets.refreshes.clear();
        clock.move(Duration.ofMillis(1_300));
        sets.person(project.id(), 3, "city", "杭州");
        restarted.round();
        assertThat(sets.refreshes).as("1.7 s after the backlog's work").containsExactly(keys + " [3]");
        sets.refreshes.clear();
        sets.person(project.id(), 1, "city", "上海");
        restarted.round();
        assertThat(sets.refreshes).as("1.9 s after it: the backlog's turn again").containsExactly(
                keys + " [1]", "[" + keys.get(3) + "] everyone", "[" + keys.get(4) + "] everyone", "[" + keys.get(5) + "] everyone");
        sets.refreshes.clear();
        restarted.round();
        assertThat(sets.refreshes).as("a round without changed persons does not rest").hasSize(6).allMatch(line -> line.endsWith("everyone"));
        assertThat(restarted.refreshedAt(project.id(), keys.get(11))).isPresent();
    }

    /**
     * Twelve sets whose evaluation takes 200 ms of the test's clock each, and a first round (budget 500 ms)
     * with changed persons: they, then three sets of the backlog.
     */
    private List<String> firstRoundOfTwelveSlowSets(SetRefresher restarted) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            keys.add(create(String.format("%02d", i), trait("city", "上海")).key());
        }
        sets.eachRefresh = () -> clock.move(Duration.ofMillis(200));
        sets.person(project.id(), 1, "city", "杭州");
        restarted.round();
        assertThat(sets.refreshes).as("changed persons, then sets of the backlog until 500 ms are spent (600 ms)").containsExactly(
                keys + " [1, 2, 3]", "[" + keys.get(0) + "] everyone", "[" + keys.get(1) + "] everyone", "[" + keys.get(2) + "] everyone");
        return keys;
    }

    @Test
    void refusesAShareOfTheTimeOutsideZeroToOne() {
        assertThatThrownBy(() -> new SegmentsProperties(Duration.ofMillis(250), Duration.ofHours(1), Duration.ofMillis(500), 0,
                Duration.ofMinutes(1), Duration.ofSeconds(30))).hasMessageContaining("full-pass-share");
        assertThatThrownBy(() -> new SegmentsProperties(Duration.ofMillis(250), Duration.ofHours(1), Duration.ofMillis(500), 1.5,
                Duration.ofMinutes(1), Duration.ofSeconds(30))).hasMessageContaining("full-pass-share");
    }

    @Test
    void survivesFailuresAndRetriesEverythingAMinuteLater() {
        Segment shanghai = create("上海", trait("city", "上海"));
        sets.failure = new IllegalStateException("engine down");
        refresher.round();
        assertThat(sets.members(project.id(), shanghai.key())).isEmpty();

        sets.failure = null;
        clock.move(Duration.ofSeconds(30));
        refresher.round();
        assertThat(sets.refreshes).as("waits before retrying").isEmpty();

        clock.move(Duration.ofSeconds(30));
        refresher.round();
        assertThat(sets.refreshes).containsExactly("[" + shanghai.key() + "] everyone");
        assertThat(sets.members(project.id(), shanghai.key())).containsExactly(1L, 2L);
    }

    @Test
    void keepsOneSizeSamplePerHourAndTheListShowsTheChangeAgainstADayAgo() {
        Segment shanghai = create("上海", trait("city", "上海"));
        refresher.round();
        clock.move(Duration.ofMinutes(2));
        sets.person(project.id(), 3, "city", "上海");
        refresher.round();
        clock.move(Duration.ofDays(1));
        sets.person(project.id(), 1, "city", "杭州");
        sets.person(project.id(), 2, "city", "杭州");
        refresher.round();

        assertThat(segments.history(project, shanghai.id(), LocalDate.of(2026, 11, 19), LocalDate.of(2026, 11, 21)))
                .containsExactly(new SetSize(Instant.parse("2026-11-20T08:00:00Z"), 3),
                        new SetSize(Instant.parse("2026-11-21T08:00:00Z"), 1));
        Segments.Summary summary = segments.list(project.id()).get(0);
        assertThat(summary.size()).isEqualTo(1);
        assertThat(summary.change()).isEqualTo(-2);
        assertThat(summary.refreshedAt()).isEqualTo(clock.instant());
    }

    @Test
    void aSetDeletedWhileARoundRunsLeavesNoMembersBehind() {
        Segment shanghai = create("上海", trait("city", "上海"));
        sets.duringRefresh = () -> segments.delete(project, shanghai.id(), "ana");
        refresher.round();

        assertThat(sets.members(project.id(), shanghai.key())).isEmpty();
        assertThat(sets.sizes(project.id())).isEmpty();
        assertThat(published).isEmpty();
    }

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void move(Duration duration) {
            now = now.plus(duration);
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** The audit log as "action target" lines. */
    record ListAudit(List<String> lines) implements AuditLog {
        @Override
        public void record(String actor, Long projectId, String action, String target, String detail) {
            lines.add(action + " " + target);
        }

        @Override
        public Page<AuditEntry> page(Long projectId, PageRequest request) {
            throw new UnsupportedOperationException();
        }
    }
}
