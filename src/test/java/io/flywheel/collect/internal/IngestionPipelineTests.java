package io.flywheel.collect.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flywheel.collect.ChannelRule;
import io.flywheel.collect.ChannelRuleBook;
import io.flywheel.events.Event;
import io.flywheel.events.EventStore;
import io.flywheel.events.internal.DuckDbEventStore;
import io.flywheel.events.internal.EventStoreProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The applier prepares a batch while the store writes the one before. When a write fails, that
 * batch and every batch prepared after it must be prepared again from the store's state: nothing
 * acknowledged is lost, nothing is stored twice, and persons resolve as if nothing had failed.
 */
class IngestionPipelineTests {

    private static final long PROJECT = 7;

    @TempDir
    Path directory;

    private DuckDbEventStore real;
    private Ingestion ingestion;

    @AfterEach
    void stop() {
        if (ingestion != null) {
            ingestion.stop();
        }
        if (real != null) {
            real.close();
        }
    }

    @Test
    void failedWritesArePreparedAgainWithTheBatchesBehindThem() throws Exception {
        AtomicInteger writes = new AtomicInteger();
        // the 2nd, 3rd and 6th write fail (a full disk, say); the batches behind them are already prepared
        EventStore store = failing(apply -> List.of(2, 3, 6).contains(writes.incrementAndGet()));
        ingestion = start(store);

        List<String> ids = new ArrayList<>();
        List<CompletableFuture<Long>> acknowledged = new ArrayList<>();
        for (int group = 0; group < 40; group++) {
            List<Message> messages = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String id = "m-" + group + "-" + i;
                ids.add(id);
                // every visitor identifies later in the stream, so persons depend on earlier batches
                String visitor = "anon-" + (group * 50 + i) % 500;
                messages.add(i % 10 == 0 ? identify(id, visitor, "user-" + (i / 10)) : track(id, visitor));
            }
            acknowledged.add(ingestion.accept(messages));
            // a duplicate of a message of the group before, possibly still being written
            if (group > 0) {
                acknowledged.add(ingestion.accept(List.of(track("m-" + (group - 1) + "-1", "anon-x"))));
            }
        }
        CompletableFuture.allOf(acknowledged.toArray(CompletableFuture[]::new)).get();
        await().atMost(Duration.ofSeconds(60)).until(() -> ingestion.lag() == 0);

        List<Event> stored = real.latest(PROJECT, 10_000);
        Map<String, Long> copies = stored.stream().collect(Collectors.groupingBy(Event::messageId, Collectors.counting()));
        assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(copies.values()).containsOnly(1L);
        assertThat(writes.get()).isGreaterThan(6);
        // one person per user id, whatever the batches that failed
        Map<String, Long> personsOfUsers = stored.stream().filter(event -> event.userId() != null)
                .collect(Collectors.groupingBy(Event::userId, Collectors.mapping(Event::personId, Collectors.toSet())))
                .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, entry -> (long) entry.getValue().size()));
        assertThat(personsOfUsers.values()).containsOnly(1L);
    }

    @Test
    void aTrickleOfSingleMessagesIsAppliedInFewTransactions() throws Exception {
        AtomicInteger writes = new AtomicInteger();
        ingestion = start(failing(apply -> {
            writes.incrementAndGet();
            return false;
        }));
        for (int i = 0; i < 100; i++) {
            // one at a time, each acknowledged (in a log group of its own) before the next is sent
            ingestion.accept(List.of(track("single-" + i, "anon-" + i))).get();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> real.count(PROJECT) == 100);
        // a hundred log groups, but the applier waits a moment for more before each transaction
        assertThat(writes.get()).isLessThan(50);
    }

    private Ingestion start(EventStore store) {
        CollectProperties properties = new CollectProperties(directory.resolve("wal"), 1 << 20, 1000, 500_000, 120,
                Duration.ofMillis(100), 1000, 10_000);
        Ingestion started = new Ingestion(properties, store, new DefaultRules(), new SimpleMeterRegistry());
        started.start();
        return started;
    }

    @Test
    void aStoreThatCannotBeReadAfterAFailedWriteIsAskedAgainUntilItAnswers() throws Exception {
        AtomicInteger writes = new AtomicInteger();
        AtomicInteger refusedReads = new AtomicInteger();
        // the 2nd write fails, and the store then refuses the first three reads of the identities the applier rebuilds from
        ingestion = start(failing((method, arguments) -> switch (method) {
            case "apply" -> writes.incrementAndGet() == 2;
            case "identityLinks" -> writes.get() >= 2 && refusedReads.incrementAndGet() <= 3;
            default -> false;
        }));

        List<String> ids = new ArrayList<>();
        List<CompletableFuture<Long>> acknowledged = new ArrayList<>();
        for (int group = 0; group < 10; group++) {
            List<Message> messages = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String id = "r-" + group + "-" + i;
                ids.add(id);
                messages.add(track(id, "anon-" + i));
            }
            acknowledged.add(ingestion.accept(messages));
        }
        CompletableFuture.allOf(acknowledged.toArray(CompletableFuture[]::new)).get();
        await().atMost(Duration.ofSeconds(30)).until(() -> ingestion.lag() == 0);

        assertThat(refusedReads.get()).isGreaterThan(3);
        assertThat(real.latest(PROJECT, 10_000)).extracting(Event::messageId).containsExactlyInAnyOrderElementsOf(ids);
    }

    /** The real store, but {@code apply} throws whenever {@code fails} says so. */
    private EventStore failing(Function<Object, Boolean> fails) {
        return failing((method, arguments) -> method.equals("apply") && fails.apply(arguments[0]));
    }

    /** The real store, but a call throws whenever {@code fails} says so of the method's name and the arguments. */
    private EventStore failing(BiFunction<String, Object[], Boolean> fails) {
        real = new DuckDbEventStore(new EventStoreProperties(directory.resolve("events.duckdb"), "256MB", 1));
        return (EventStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {EventStore.class},
                (proxy, method, arguments) -> {
                    if (fails.apply(method.getName(), arguments)) {
                        throw new IllegalStateException("no space left on device (injected)");
                    }
                    try {
                        return method.invoke(real, arguments);
                    }
                    catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static Message track(String messageId, String anonymousId) {
        Instant now = Instant.now();
        return new Message(PROJECT, messageId, "track", "Product Viewed", anonymousId, null, null, null, now, now, null, null, null,
                null, null, null, null, null, null, "{}", "{}", true);
    }

    private static Message identify(String messageId, String anonymousId, String userId) {
        Instant now = Instant.now();
        return new Message(PROJECT, messageId, "identify", "Identify", anonymousId, userId, null, null, now, now, null, null, null,
                null, null, null, null, null, null, "{}", "{}", true);
    }

    private static final class DefaultRules implements ChannelRuleBook {

        @Override
        public List<ChannelRule> rules(long projectId) {
            return ChannelRule.defaults();
        }

        @Override
        public boolean customised(long projectId) {
            return false;
        }

        @Override
        public void replace(long projectId, List<ChannelRule> rules, String actor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void reset(long projectId, String actor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Test test(long projectId, String url, String referrer) {
            throw new UnsupportedOperationException();
        }
    }
}
