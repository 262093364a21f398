package io.flywheel.demo.internal;

import static java.util.Objects.requireNonNull;

import io.flywheel.demo.DemoData;
import io.flywheel.demo.DemoPlan;
import io.flywheel.demo.DemoStatus;
import io.flywheel.events.EventStore;
import io.flywheel.events.IngestBatch;
import io.flywheel.platform.Project;
import io.flywheel.platform.Projects;
import io.flywheel.shared.NotFoundException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Streams generated demo events into the event store and keeps the durable record of each load.
 * The record is written before the first event, so a load cut short by a crash or a stop is
 * found and redone on the next start ({@link DemoBootstrap}). Events are stored as ingestion
 * batches with their identity links; the batch position is the number of events stored, under
 * the source {@code demo:<project id>}.
 */
@Service
class DemoLoader implements DemoData, DisposableBean {

    static final int BATCH_SIZE = 50_000;
    static final String SOURCE = "demo:";
    private static final long PROGRESS_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();
    private static final long STOP_TIMEOUT_MILLIS = Duration.ofSeconds(30).toMillis();
    private static final Logger log = LoggerFactory.getLogger(DemoLoader.class);

    private final Projects projects;
    private final EventStore events;
    private final DemoLoadStore store;
    private final Clock clock;
    private final TransactionOperations transactions;
    private final ApplicationEventPublisher publisher;
    private final Executor background;
    private final Map<Long, AtomicLong> running = new ConcurrentHashMap<>();
    private final Object activity = new Object();
    private int active;
    private volatile boolean stopping;

    @Autowired
    DemoLoader(Projects projects, EventStore events, DemoLoadStore store, Clock clock, TransactionOperations transactions,
            ApplicationEventPublisher publisher) {
        this(projects, events, store, clock, transactions, publisher, DemoLoader::startThread);
    }

    DemoLoader(Projects projects, EventStore events, DemoLoadStore store, Clock clock, TransactionOperations transactions,
            ApplicationEventPublisher publisher, Executor background) {
        this.projects = requireNonNull(projects, "projects is null");
        this.events = requireNonNull(events, "events is null");
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.transactions = requireNonNull(transactions, "transactions is null");
        this.publisher = requireNonNull(publisher, "publisher is null");
        this.background = requireNonNull(background, "background is null");
    }

    @Override
    public Optional<DemoStatus> status(long projectId) {
        return store.find(projectId).map(load -> {
            AtomicLong live = running.get(projectId);
            return load.status(live == null ? load.events() : live.get());
        });
    }

    @Override
    public DemoStatus loadNow(long projectId, DemoPlan plan, ProgressListener listener) {
        requireNonNull(plan, "plan is null");
        requireNonNull(listener, "listener is null");
        Project project = projects.find(projectId).orElseThrow(() -> new NotFoundException("project " + projectId + " does not exist"));
        return run(project, begin(project, plan), listener);
    }

    /**
     * Records a new load of {@code plan}. A plan without an end date ends today and stops at this
     * moment, so that the demo never shows events from the future.
     */
    DemoLoad begin(Project project, DemoPlan plan) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        LocalDate today = LocalDate.ofInstant(now, project.timeZone());
        LocalDate endDate = plan.endDate() == null ? today : plan.endDate();
        Instant cutoff = endDate.isBefore(today) ? null : now;
        return record(DemoLoad.starting(project.id(), plan, endDate, cutoff, now));
    }

    /** Records that an unfinished load starts over, with its original plan, end date and cut-off. */
    DemoLoad restart(DemoLoad unfinished) {
        return record(new DemoLoad(unfinished.projectId(), DemoStatus.State.LOADING, unfinished.persons(), unfinished.targetEvents(),
                unfinished.days(), unfinished.seed(), unfinished.endDate(), unfinished.cutoff(), 0, clock.instant(), null));
    }

    /** Joins the caller's transaction, if any, so that a new project and its load commit together. */
    private DemoLoad record(DemoLoad load) {
        transactions.executeWithoutResult(status -> {
            store.begin(load);
            publisher.publishEvent(new LoadStarted(load.projectId(), load.persons()));
        });
        return load;
    }

    private void finish(long projectId, DemoStatus.State state, long stored) {
        transactions.executeWithoutResult(status -> {
            store.finish(projectId, state, stored, clock.instant());
            publisher.publishEvent(new LoadFinished(projectId, state, stored));
        });
    }

    /** Runs a recorded load on a background thread. */
    void loadInBackground(Project project, DemoLoad load) {
        background.execute(() -> run(project, load, (stored, expected) -> { }));
    }

    private DemoStatus run(Project project, DemoLoad load, ProgressListener listener) {
        long projectId = project.id();
        AtomicLong stored = new AtomicLong();
        running.put(projectId, stored);
        enter();
        try {
            return generate(project, load, listener, stored);
        }
        catch (LoadStopped e) {
            store.progress(projectId, stored.get());
            log.info("Stopped loading demo data into project {} at {} events; the next start loads it again", projectId, stored.get());
            return load.status(stored.get());
        }
        catch (RuntimeException e) {
            log.error("Loading demo data into project {} failed after {} events", projectId, stored.get(), e);
            finish(projectId, DemoStatus.State.FAILED, stored.get());
            return new DemoStatus(DemoStatus.State.FAILED, stored.get(), load.targetEvents());
        }
        finally {
            running.remove(projectId);
            leave();
        }
    }

    private DemoStatus generate(Project project, DemoLoad load, ProgressListener listener, AtomicLong stored) {
        long projectId = project.id();
        long started = System.nanoTime();
        events.deleteProject(projectId);
        DemoGenerator generator = new DemoGenerator(projectId, project.timeZone(), load.endDate(), load.cutoff(), load.plan());
        long expected = generator.expectedEvents();
        log.info("Loading about {} demo events ({} persons over {} days up to {}) into project {}",
                expected, load.persons(), load.days(), load.endDate(), projectId);
        ProgressLog progress = new ProgressLog(projectId, expected);
        IdentityLinks identities = new IdentityLinks();
        generator.generate(BATCH_SIZE, batch -> {
            if (stopping) {
                throw new LoadStopped();
            }
            long total = stored.get() + batch.size();
            events.apply(new IngestBatch(batch, identities.newIn(batch), List.of(), SOURCE + projectId, total));
            stored.set(total);
            listener.stored(total, expected);
            progress.stored(total);
        });
        finish(projectId, DemoStatus.State.READY, stored.get());
        long millis = (System.nanoTime() - started) / 1_000_000;
        log.info("Loaded {} demo events into project {} in {} s", stored.get(), projectId, String.format("%.1f", millis / 1000.0));
        return new DemoStatus(DemoStatus.State.READY, stored.get(), load.targetEvents());
    }

    /** Stops running loads at the next batch and waits for them, so none writes to a closing store. */
    @Override
    public void destroy() throws InterruptedException {
        stopping = true;
        long deadline = System.currentTimeMillis() + STOP_TIMEOUT_MILLIS;
        synchronized (activity) {
            while (active > 0) {
                long remaining = deadline - System.currentTimeMillis();
                if (remaining <= 0) {
                    log.warn("Demo data loading did not stop within {} s", STOP_TIMEOUT_MILLIS / 1000);
                    return;
                }
                activity.wait(remaining);
            }
        }
    }

    private void enter() {
        synchronized (activity) {
            active++;
        }
    }

    private void leave() {
        synchronized (activity) {
            active--;
            activity.notifyAll();
        }
    }

    private static void startThread(Runnable task) {
        Thread thread = new Thread(task, "demo-loader");
        thread.setDaemon(true);
        thread.start();
    }

    /** Writes progress to the load record at most once a second and to the log every tenth. */
    private final class ProgressLog {

        private final long projectId;
        private final long expected;
        private long lastWrite = System.nanoTime();
        private long lastTenth;

        ProgressLog(long projectId, long expected) {
            this.projectId = projectId;
            this.expected = Math.max(1, expected);
        }

        void stored(long total) {
            long now = System.nanoTime();
            if (now - lastWrite >= PROGRESS_INTERVAL_NANOS) {
                store.progress(projectId, total);
                lastWrite = now;
            }
            long tenth = Math.min(10, total * 10 / expected);
            if (tenth > lastTenth) {
                lastTenth = tenth;
                log.info("Demo data for project {}: {}% ({} events)", projectId, Math.min(100, tenth * 10), total);
            }
        }
    }

    /** Thrown out of the generator when the application stops. */
    private static final class LoadStopped extends RuntimeException {

        LoadStopped() {
            super("the application is stopping", null, false, false);
        }
    }
}
