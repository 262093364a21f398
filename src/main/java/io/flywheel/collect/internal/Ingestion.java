package io.flywheel.collect.internal;

import io.flywheel.collect.ChannelRuleBook;
import io.flywheel.demo.DemoData;
import io.flywheel.events.EventStore;
import io.flywheel.events.PersonDeleted;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The ingestion pipeline: accepted messages go to the write-ahead log and are acknowledged once
 * durable; a single applier thread moves them into the event store. On start, whatever the log
 * holds beyond the store's position is applied first.
 */
@Component
public class Ingestion implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Ingestion.class);
    private final CollectProperties properties;
    private final EventStore store;
    private final ChannelRuleBook channels;
    private final LinkedBlockingQueue<WriteAheadLog.Entry> pending = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<DemoData.LoadStarted> reservations = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<PersonDeleted> deletions = new ConcurrentLinkedQueue<>();
    private final Counter accepted;
    private final Counter stored;
    private final Counter duplicates;
    private final Counter rejected;
    private final Timer applyTime;
    private WriteAheadLog wal;
    private Applier applier;
    private Thread preparer;
    private Thread writer;
    /** Prepared batches on their way to the store stage: one waits while the store writes another. */
    private final java.util.concurrent.ArrayBlockingQueue<Stage> prepared = new java.util.concurrent.ArrayBlockingQueue<>(1);
    /** Batches handed to the store stage and not yet written or set aside. */
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    /** Entries of batches set aside after a failure, in log order, to prepare again. */
    private final ConcurrentLinkedQueue<List<WriteAheadLog.Entry>> redo = new ConcurrentLinkedQueue<>();
    /** Counts the store stage's failures; a batch prepared before the latest is prepared again. */
    private volatile int epoch;
    private volatile long committedBatch;
    private volatile long appliedSequence = -1;
    private volatile boolean running;

    public Ingestion(CollectProperties properties, EventStore store, ChannelRuleBook channels, MeterRegistry meters) {
        this.properties = properties;
        this.store = store;
        this.channels = channels;
        this.accepted = Counter.builder("flywheel.ingest.accepted").description("messages acknowledged").register(meters);
        this.stored = Counter.builder("flywheel.ingest.stored").description("events written to the event store").register(meters);
        this.duplicates = Counter.builder("flywheel.ingest.duplicates").description("messages dropped as duplicates").register(meters);
        this.rejected = Counter.builder("flywheel.ingest.rejected").description("messages rejected as invalid").register(meters);
        this.applyTime = Timer.builder("flywheel.ingest.apply").description("time to apply one batch").register(meters);
        Gauge.builder("flywheel.ingest.lag", this, Ingestion::lag).description("log entries not yet applied").register(meters);
        Gauge.builder("flywheel.ingest.queue.depth", this, ingestion -> ingestion.wal == null ? 0 : ingestion.wal.queuedRequests())
                .description("requests waiting for the log writer").register(meters);
    }

    /**
     * Makes the messages durable. The future completes when they are on disk; a full pipeline throws
     * {@link WriteAheadLog.OverloadedException} at once.
     */
    public CompletableFuture<Long> accept(List<Message> messages) {
        if (!running) {
            throw new WriteAheadLog.OverloadedException("ingestion is not running");
        }
        if (lag() > properties.maxLag()) {
            throw new WriteAheadLog.OverloadedException("ingestion is behind by " + lag() + " messages");
        }
        List<byte[]> payloads = new ArrayList<>(messages.size());
        for (Message message : messages) {
            payloads.add(MessageCodec.encode(message));
        }
        return wal.append(payloads).thenApply(last -> {
            accepted.increment(messages.size());
            return last;
        });
    }

    /**
     * Whether new messages would be refused now; checked before a request's body is read, so that
     * refusing costs nearly nothing while the store catches up.
     */
    public boolean overloaded() {
        return !running || lag() > properties.maxLag();
    }

    public void countRejected(int count) {
        rejected.increment(count);
    }

    /** Log entries durable but not yet in the event store. */
    public long lag() {
        return wal == null ? 0 : Math.max(0, wal.durableSequence() - appliedSequence);
    }

    /** The sequence of the last entry applied to the event store. */
    public long appliedSequence() {
        return appliedSequence;
    }

    @Override
    public void start() {
        long position = store.position(Applier.SOURCE);
        wal = new WriteAheadLog(properties.walDirectory(), properties.walSegmentBytes(), properties.maxQueuedRequests());
        List<WriteAheadLog.Entry> unapplied = wal.recover(position);
        applier = new Applier(store, channels, properties.recentMessageIds());
        appliedSequence = position;
        if (!unapplied.isEmpty()) {
            log.info("Applying {} acknowledged messages left in the write-ahead log", unapplied.size());
            for (int from = 0; from < unapplied.size(); from += properties.applyBatch()) {
                applyWithRetry(unapplied.subList(from, Math.min(unapplied.size(), from + properties.applyBatch())));
            }
        }
        appliedSequence = Math.max(appliedSequence, wal.durableSequence());
        wal.release(appliedSequence);
        running = true;
        preparer = new Thread(this::prepareLoop, "ingest-applier");
        preparer.setDaemon(true);
        writer = new Thread(this::storeLoop, "ingest-writer");
        writer.setDaemon(true);
        preparer.start();
        writer.start();
        wal.start(pending::addAll);
    }

    /**
     * The first stage of the applier: takes what the log made durable, prepares batches (decoding,
     * duplicates, persons, channels) and hands them to the store stage, so that the Java work of one
     * batch overlaps the event store's writing of the one before. All prepared state (identities,
     * recent message ids) is owned by this thread.
     */
    private void prepareLoop() {
        List<WriteAheadLog.Entry> batch = new ArrayList<>();
        int preparedEpoch = epoch;
        while (running || !pending.isEmpty() || inFlight.get() > 0 || !redo.isEmpty()) {
            try {
                if (epoch != preparedEpoch) {
                    preparedEpoch = recover();
                    continue;
                }
                WriteAheadLog.Entry first = pending.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                collect(batch);
                handOff(List.copyOf(batch), preparedEpoch);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            finally {
                batch.clear();
            }
        }
    }

    /**
     * After the store stage failed: waits until it has set aside every batch prepared after the
     * last commit, rebuilds the prepared state from the store and prepares those entries again, in
     * their order, before anything new.
     */
    private int recover() throws InterruptedException {
        awaitStoreIdle();
        int recovering = epoch;
        reload();
        List<WriteAheadLog.Entry> again = new ArrayList<>();
        for (List<WriteAheadLog.Entry> entries; (entries = redo.poll()) != null; ) {
            again.addAll(entries);
        }
        for (int from = 0; from < again.size(); from += properties.applyBatch()) {
            handOff(again.subList(from, Math.min(again.size(), from + properties.applyBatch())), recovering);
        }
        return recovering;
    }

    private void handOff(List<WriteAheadLog.Entry> entries, int preparedEpoch) throws InterruptedException {
        takeNotices();
        Applier.Prepared batch = prepareWithRetry(entries);
        inFlight.incrementAndGet();
        prepared.put(new Stage(batch, preparedEpoch));
    }

    /** Applies demo reservations and deletions to the prepared state before the next batch. */
    private void takeNotices() {
        for (DemoData.LoadStarted started; (started = reservations.poll()) != null; ) {
            applier.reserve(started.projectId(), started.persons());
        }
        for (PersonDeleted deleted; (deleted = deletions.poll()) != null; ) {
            applier.forget(deleted);
        }
    }

    /** Until the store stage has written or set aside every batch handed to it, so the store's state is complete. */
    private void awaitStoreIdle() throws InterruptedException {
        while (inFlight.get() > 0) {
            Thread.sleep(5);
        }
    }

    /**
     * Preparing reads the store only to confirm suspected duplicates; should that fail, the state is
     * rebuilt from the store once every batch before this one is written, and the batch prepared again.
     */
    private Applier.Prepared prepareWithRetry(List<WriteAheadLog.Entry> entries) throws InterruptedException {
        long backoff = 100;
        while (true) {
            try {
                return applier.prepare(entries, committedBatch);
            }
            catch (RuntimeException e) {
                log.error("Preparing {} messages for the event store failed; retrying in {} ms", entries.size(), backoff, e);
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 10_000);
                awaitStoreIdle();
                reload();
            }
        }
    }

    /**
     * Rebuilds the prepared state from the store, until the store answers: a failed reload must not
     * end this thread, or nothing would be applied until a restart (the messages stay in the log).
     */
    private void reload() throws InterruptedException {
        long backoff = 100;
        while (true) {
            try {
                applier.reload();
                return;
            }
            catch (RuntimeException e) {
                log.error("Reading the prepared state from the event store failed; retrying in {} ms", backoff, e);
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    /**
     * The second stage: writes prepared batches to the event store in order. A batch that fails is
     * set aside with every batch prepared after it, and the first stage prepares them again from
     * the store's state: acknowledged messages are never dropped.
     */
    private void storeLoop() {
        long backoff = 100;
        while (preparer.isAlive() || inFlight.get() > 0) {
            Stage stage;
            try {
                stage = prepared.poll(100, TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (stage == null) {
                continue;
            }
            try {
                if (stage.epoch() != epoch) {
                    redo.add(stage.batch().entries());
                    continue;
                }
                try {
                    applyTime.record(() -> applier.store(stage.batch()));
                }
                catch (RuntimeException e) {
                    log.error("Applying {} messages to the event store failed; retrying in {} ms", stage.batch().entries().size(), backoff, e);
                    redo.add(stage.batch().entries());
                    sleep(backoff);
                    backoff = Math.min(backoff * 2, 10_000);
                    epoch++;
                    continue;
                }
                backoff = 100;
                stored.increment(stage.batch().batch().events().size());
                duplicates.increment(stage.batch().duplicates());
                committedBatch = stage.batch().number();
                appliedSequence = stage.batch().lastSequence();
                wal.release(appliedSequence);
            }
            finally {
                inFlight.decrementAndGet();
            }
        }
    }

    /** A prepared batch and the state it was prepared from. */
    private record Stage(Applier.Prepared batch, int epoch) {
    }

    /**
     * Fills the batch with what is waiting, and while it is small, with what arrives within the
     * linger time: under a trickle of traffic, one transaction instead of one per log group.
     */
    private void collect(List<WriteAheadLog.Entry> batch) throws InterruptedException {
        int most = properties.applyBatch();
        pending.drainTo(batch, most - batch.size());
        long deadline = System.nanoTime() + properties.applyLinger().toNanos();
        while (running && batch.size() < Math.min(properties.applyLingerBelow(), most)) {
            long left = deadline - System.nanoTime();
            WriteAheadLog.Entry next = left > 0 ? pending.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                return;
            }
            batch.add(next);
            pending.drainTo(batch, most - batch.size());
        }
    }

    /**
     * Demo data is written straight to the event store with person ids 1..N; new persons from
     * tracking must be numbered above them. Handed to the applier thread, which owns the identities.
     */
    @EventListener
    void on(DemoData.LoadStarted started) {
        reservations.add(started);
    }

    /**
     * A deleted person's ids must resolve to a new person, not to the deleted one. Handed to the
     * applier thread, which forgets them before it resolves the next batch.
     */
    @EventListener
    void on(PersonDeleted deleted) {
        deletions.add(deleted);
    }

    /** A batch that fails is retried until it succeeds: acknowledged messages are never dropped. */
    private void applyWithRetry(List<WriteAheadLog.Entry> batch) {
        long backoff = 100;
        while (true) {
            try {
                takeNotices();
                Applier.Outcome outcome = applyTime.record(() -> applier.apply(batch));
                stored.increment(outcome.stored());
                duplicates.increment(outcome.duplicates());
                appliedSequence = batch.get(batch.size() - 1).sequence();
                wal.release(appliedSequence);
                return;
            }
            catch (RuntimeException e) {
                log.error("Applying {} messages to the event store failed; retrying in {} ms", batch.size(), backoff, e);
                sleep(backoff);
                backoff = Math.min(backoff * 2, 10_000);
                applier.reload();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        running = false;
        if (wal != null) {
            wal.close();
        }
        if (preparer != null) {
            try {
                preparer.join(TimeUnit.SECONDS.toMillis(30));
                writer.join(TimeUnit.SECONDS.toMillis(30));
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        log.info("Ingestion stopped; applied up to log entry {}", appliedSequence);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts after the event store exists and stops before it closes. */
    @Override
    public int getPhase() {
        return 0;
    }
}
