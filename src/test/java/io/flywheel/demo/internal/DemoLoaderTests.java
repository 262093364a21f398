package io.flywheel.demo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.flywheel.demo.DemoData;
import io.flywheel.demo.DemoPlan;
import io.flywheel.demo.DemoStatus;
import io.flywheel.events.Event;
import io.flywheel.events.IdentityLink;
import io.flywheel.platform.Project;
import io.flywheel.shared.NotFoundException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/** Loading and its durable state, against the real migration on H2 with in-memory projects and events. */
class DemoLoaderTests {

    private static final Executor NOW = Runnable::run;
    private static final Instant NOON_IN_SHANGHAI = Instant.parse("2026-03-31T04:00:00Z");

    private final InMemoryProjects projects = new InMemoryProjects();
    private final InMemoryEventStore events = new InMemoryEventStore();
    private final List<Object> published = new ArrayList<>();
    private final List<Runnable> queued = new ArrayList<>();
    private final DemoProperties properties = new DemoProperties(true, 300, 15_000, 42, 30);
    private DemoLoadStore store;
    private TransactionTemplate transactions;

    private DriverManagerDataSource dataSource;

    @AfterEach
    void closeDatabase() {
        JdbcClient.create(dataSource).sql("SHUTDOWN").update();
    }

    @BeforeEach
    void database() {
        // A new connection per statement, as a pool that retires connections gives: nothing may depend
        // on the session that ran the migration (H2 2.4 CHECK constraints did).
        dataSource = new DriverManagerDataSource("jdbc:h2:mem:demo-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/demo").load().migrate();
        store = new DemoLoadStore(JdbcClient.create(dataSource));
        transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    @Test
    void theFirstStartCreatesTheDemoShopAndLoadsIt() {
        DemoLoader loader = loader(NOON_IN_SHANGHAI, NOW);
        bootstrap(loader, properties).start();

        assertThat(projects.projects).singleElement().satisfies(project -> {
            assertThat(project.name()).isEqualTo("Demo Shop");
            assertThat(project.timeZone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
        });
        assertThat(projects.actors).containsExactly("system");
        DemoStatus status = loader.status(1).orElseThrow();
        assertThat(status.state()).isEqualTo(DemoStatus.State.READY);
        assertThat(status.events()).isEqualTo(events.count(1));
        assertThat(status.targetEvents()).isEqualTo(15_000);
        assertThat((double) status.events()).isCloseTo(15_000, within(1_500.0));
        assertThat(status.percent()).isEqualTo(100);
        assertThat(events.events).allSatisfy(event -> assertThat(event.timestamp()).isBefore(NOON_IN_SHANGHAI));
        assertThat(events.position("demo:1")).isEqualTo(status.events());
        assertThat(published).containsExactly(new DemoData.LoadStarted(1, 300), new DemoData.LoadFinished(1, DemoStatus.State.READY, status.events()));
    }

    @Test
    void demoPersonsGetIdentityLinksLikeTrackedOnes() {
        DemoLoader loader = loader(NOON_IN_SHANGHAI, NOW);
        bootstrap(loader, properties).start();

        long persons = events.events.stream().map(Event::personId).distinct().count();
        List<Event> identifies = events.events.stream().filter(event -> event.type().equals("identify")).toList();
        assertThat(events.links).hasSize((int) persons + identifies.size());
        assertThat(events.links).filteredOn(link -> !link.userId()).extracting(IdentityLink::distinctId).doesNotHaveDuplicates();
        assertThat(events.links).filteredOn(IdentityLink::userId).hasSize(identifies.size())
                .allSatisfy(link -> assertThat(link.distinctId()).isEqualTo(String.format("u_%06d", link.personId())));
        for (Event event : events.events) {
            assertThat(events.links).contains(new IdentityLink(1, event.anonymousId(), event.personId(), false));
        }
    }

    @Test
    void loadingRunsInTheBackground() {
        DemoLoader loader = loader(NOON_IN_SHANGHAI, queued::add);
        bootstrap(loader, properties).start();

        assertThat(loader.status(1)).contains(new DemoStatus(DemoStatus.State.LOADING, 0, 15_000));
        assertThat(events.events).isEmpty();
        queued.forEach(Runnable::run);
        assertThat(loader.status(1).orElseThrow().state()).isEqualTo(DemoStatus.State.READY);
    }

    @Test
    void aStartWithProjectsAddsNoDemo() {
        projects.create("My shop", ZoneId.of("Asia/Shanghai"), "admin");
        DemoLoader loader = loader(NOON_IN_SHANGHAI, NOW);
        bootstrap(loader, properties).start();

        assertThat(projects.projects).hasSize(1);
        assertThat(loader.status(1)).isEmpty();
        assertThat(events.events).isEmpty();
    }

    @Test
    void disabledLoadsNothing() {
        DemoLoader loader = loader(NOON_IN_SHANGHAI, NOW);
        bootstrap(loader, new DemoProperties(false, 300, 15_000, 42, 30)).start();

        assertThat(projects.projects).isEmpty();
        assertThat(events.events).isEmpty();
    }

    @Test
    void aLoadCutShortIsRedoneFromTheSamePlanOnTheNextStart() {
        Project project = projects.create("Demo Shop", ZoneId.of("Asia/Shanghai"), "system").project();
        Project other = projects.create("Other", ZoneId.of("Asia/Shanghai"), "admin").project();
        DemoLoader crashed = loader(NOON_IN_SHANGHAI, queued::add);
        crashed.begin(project, properties.plan());
        events.append(List.of(event(project.id(), "left-over"), event(other.id(), "kept")));

        Instant nextDay = NOON_IN_SHANGHAI.plusSeconds(86_400);
        DemoLoader restarted = loader(nextDay, NOW);
        bootstrap(restarted, properties).start();

        DemoStatus status = restarted.status(project.id()).orElseThrow();
        assertThat(status.state()).isEqualTo(DemoStatus.State.READY);
        assertThat(events.events).extracting(Event::messageId).contains("kept").doesNotContain("left-over");
        assertThat(events.count(project.id())).isEqualTo(status.events()).isEqualTo(freshLoadOf(properties.plan()));
        assertThat(events.events).filteredOn(event -> event.projectId() == project.id())
                .allSatisfy(event -> assertThat(event.timestamp()).isBefore(NOON_IN_SHANGHAI));
        assertThat(projects.projects).hasSize(2);
    }

    @Test
    void aStopLeavesTheLoadForTheNextStart() throws InterruptedException {
        DemoLoader stopping = loader(NOON_IN_SHANGHAI, queued::add);
        bootstrap(stopping, properties).start();
        stopping.destroy();
        queued.forEach(Runnable::run);
        assertThat(stopping.status(1)).contains(new DemoStatus(DemoStatus.State.LOADING, 0, 15_000));

        DemoLoader next = loader(NOON_IN_SHANGHAI, NOW);
        bootstrap(next, properties).start();
        assertThat(next.status(1).orElseThrow().state()).isEqualTo(DemoStatus.State.READY);
        assertThat(projects.projects).hasSize(1);
    }

    @Test
    void aFailedLoadIsReportedAndRetriedOnTheNextStart() {
        events.failOnWrite = 1;
        DemoLoader failing = loader(NOON_IN_SHANGHAI, NOW);
        bootstrap(failing, properties).start();
        assertThat(failing.status(1)).contains(new DemoStatus(DemoStatus.State.FAILED, 0, 15_000));
        assertThat(published).contains(new DemoData.LoadFinished(1, DemoStatus.State.FAILED, 0));

        events.failOnWrite = -1;
        DemoLoader next = loader(NOON_IN_SHANGHAI, NOW);
        bootstrap(next, properties).start();
        assertThat(next.status(1).orElseThrow().state()).isEqualTo(DemoStatus.State.READY);
    }

    @Test
    void loadNowReplacesTheEventsOfAProject() {
        Project project = projects.create("Bench", ZoneId.of("Europe/Berlin"), "admin").project();
        DemoLoader loader = loader(NOON_IN_SHANGHAI, NOW);
        DemoPlan plan = new DemoPlan(200, 5_000, 14, 3, LocalDate.of(2026, 3, 1));
        List<Long> progress = new ArrayList<>();

        DemoStatus first = loader.loadNow(project.id(), plan, (stored, expected) -> progress.add(stored));
        DemoStatus second = loader.loadNow(project.id(), plan);

        assertThat(first.state()).isEqualTo(DemoStatus.State.READY);
        assertThat(second).isEqualTo(first);
        assertThat(events.count(project.id())).isEqualTo(first.events());
        assertThat(progress).isNotEmpty().isSorted().last().isEqualTo(first.events());
        Instant endOfPlan = LocalDate.of(2026, 3, 2).atStartOfDay(ZoneId.of("Europe/Berlin")).toInstant();
        assertThat(events.events).allSatisfy(event -> assertThat(event.timestamp()).isBefore(endOfPlan));
        DemoLoad load = store.find(project.id()).orElseThrow();
        assertThat(load.endDate()).isEqualTo(LocalDate.of(2026, 3, 1));
        assertThat(load.cutoff()).isNull();
        assertThat(load.finishedAt()).isNotNull();
    }

    @Test
    void loadNowNeedsAProject() {
        DemoLoader loader = loader(NOON_IN_SHANGHAI, NOW);
        assertThatThrownBy(() -> loader.loadNow(9, DemoPlan.defaults())).isInstanceOf(NotFoundException.class);
    }

    private long freshLoadOf(DemoPlan plan) {
        LocalDate today = LocalDate.ofInstant(NOON_IN_SHANGHAI, ZoneId.of("Asia/Shanghai"));
        return new DemoGenerator(1, ZoneId.of("Asia/Shanghai"), today, NOON_IN_SHANGHAI, plan).expectedEvents();
    }

    private DemoLoader loader(Instant now, Executor background) {
        return new DemoLoader(projects, events, store, Clock.fixed(now, ZoneOffset.UTC), transactions, published::add, background);
    }

    private DemoBootstrap bootstrap(DemoLoader loader, DemoProperties settings) {
        return new DemoBootstrap(settings, projects, store, loader, transactions);
    }

    private static Event event(long projectId, String messageId) {
        Instant at = Instant.parse("2026-03-30T02:00:00Z");
        return new Event(projectId, messageId, "track", "Test", 1, "a", null, at, at, null, null, null, null, null, null, null, null, null, null, null);
    }
}
