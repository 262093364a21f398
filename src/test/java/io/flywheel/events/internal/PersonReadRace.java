package io.flywheel.events.internal;

import io.flywheel.events.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Stress program, not a test: one thread writes batches of events (a few with trait patches) into a
 * real {@link DuckDbEventStore} while others read profiles and a person's sets, as the API does under
 * ingestion. Stops at the first error of the store and prints it, else after the given seconds. It found
 * DuckDB 1.5.6 failing an internal assertion in a scan of {@code person_changes} (docs/benchmarks.md,
 * 2026-12-04), which invalidates the whole database.
 * <pre>
 *   java -cp target/test-classes:target/classes:$CP io.flywheel.events.internal.PersonReadRace SECONDS [READERS] [FOLD_MS] [CHECKPOINT_THRESHOLD] [EVENTS_FILE PERSONS]
 * </pre>
 */
public final class PersonReadRace {

    private PersonReadRace() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = Integer.parseInt(args[0]);
        int readers = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        long foldMillis = args.length > 2 ? Long.parseLong(args[2]) : 2000;
        String checkpoint = args.length > 3 ? args[3] : EventStoreProperties.DEFAULT_CHECKPOINT_THRESHOLD;
        Path dir = Files.createTempDirectory("person-read-race");
        // optionally on a copy of a data set made by generate-demo, whose persons then are read and written
        int persons = 20_000;
        if (args.length > 4) {
            Files.copy(Path.of(args[4]), dir.resolve("events.duckdb"));
            persons = Integer.parseInt(args[5]);
        }
        DuckDbEventStore store = new DuckDbEventStore(new EventStoreProperties(dir.resolve("events.duckdb"), "2GB", 2, -1,
                checkpoint, Duration.ofMillis(foldMillis)));
        DuckDbPersonSets sets = new DuckDbPersonSets(store);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong written = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        Instant start = Instant.parse("2026-11-01T00:00:00Z");
        int people = persons;
        Thread writer = new Thread(() -> {
            Random random = new Random(1);
            long n = 0;
            try {
                while (!stop.get()) {
                    List<Event> events = new ArrayList<>(2000);
                    for (int i = 0; i < 2000; i++) {
                        long person = 1 + random.nextInt(people);
                        boolean identify = random.nextInt(20) == 0;
                        n++;
                        Instant at = start.plusMillis(n * 10);
                        events.add(new Event(1, UUID.randomUUID().toString(), identify ? "identify" : "track",
                                identify ? "Identify" : "Product Viewed", person, "anon-" + person, identify ? "u-" + person : null, at, at,
                                null, null, null, null, random.nextInt(50) == 0 ? "spring" : null,
                                random.nextInt(50) == 0 ? "search" : null, null, null, null,
                                identify ? "{\"city\":\"c" + random.nextInt(30) + "\",\"n\":" + n + "}" : "{\"sku\":" + random.nextInt(500) + "}",
                                null));
                    }
                    store.append(events);
                    written.addAndGet(events.size());
                }
            }
            catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, "race-writer");
        List<Thread> threads = new ArrayList<>();
        threads.add(writer);
        for (int r = 0; r < readers; r++) {
            int seed = r;
            threads.add(new Thread(() -> {
                Random random = new Random(100 + seed);
                try {
                    while (!stop.get()) {
                        long person = 1 + random.nextInt(people);
                        store.person(1, person);
                        sets.setsOf(1, person);
                        reads.incrementAndGet();
                    }
                }
                catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "race-reader-" + r));
        }
        threads.forEach(Thread::start);
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < until && failure.get() == null) {
            Thread.sleep(200);
        }
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
        System.out.printf("%,d events written, %,d reads%n", written.get(), reads.get());
        Throwable error = failure.get();
        if (error != null) {
            System.out.println("FAILED: " + error.getMessage().lines().findFirst().orElse(""));
        }
        else {
            System.out.println("no error");
        }
        try {
            store.close();
        }
        catch (RuntimeException e) {
            System.out.println("close: " + e.getMessage().lines().findFirst().orElse(""));
        }
        System.exit(error == null ? 0 : 1);
    }
}
