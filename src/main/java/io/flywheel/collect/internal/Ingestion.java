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
    private Thread applierThread;
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
        applierThread = new Thread(this::applyLoop, "ingest-applier");
        applierThread.setDaemon(true);
        applierThread.start();
        wal.start(pending::addAll);
    }

    private void applyLoop() {
        List<WriteAheadLog.Entry> batch = new ArrayList<>();
        while (running || !pending.isEmpty()) {
            try {
                WriteAheadLog.Entry first = pending.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                pending.drainTo(batch, properties.applyBatch() - 1);
                applyWithRetry(batch);
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
                for (DemoData.LoadStarted started; (started = reservations.poll()) != null; ) {
                    applier.reserve(started.projectId(), started.persons());
                }
                for (PersonDeleted deleted; (deleted = deletions.poll()) != null; ) {
                    applier.forget(deleted);
                }
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
        if (applierThread != null) {
            try {
                applierThread.join(TimeUnit.SECONDS.toMillis(30));
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
