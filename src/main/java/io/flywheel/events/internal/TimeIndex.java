package io.flywheel.events.internal;

import io.flywheel.events.Event;
import io.flywheel.events.PersonMerge;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.duckdb.DuckDBChunkedResult;
import org.duckdb.DuckDBDataChunkReader;
import org.duckdb.DuckDBPreparedStatement;
import org.duckdb.DuckDBReadableVector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A copy in memory of each stored event's project, name, person and time, grouped per project and
 * event name by person with each person's times in order: what a funnel without property filters
 * needs, ready to walk. It is kept exactly in step with the {@code events} table: the store calls it
 * inside its write lock after each commit (appends, merges, deletions), and on start it is loaded
 * from a snapshot pinned before the first write, so every event is in it exactly once.
 *
 * <p>New entries go to a per-name tail in arrival order; a background worker sorts each full tail
 * into an immutable {@link TimeRun} and merges runs of similar size (up to {@link #MERGE_LIMIT}
 * entries), so a name holds a few large runs and a short tail. Queries read an immutable snapshot of
 * the project and never block writers. Projects are left out (queries fall back to SQL) while they
 * load, or for good when the entries would pass the memory budget.
 */
final class TimeIndex implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TimeIndex.class);

    /** A tail this long is sorted into a run (unless a test asks for less). */
    static final int TAIL_LIMIT = 1 << 16;
    /** Runs are merged only while the result stays this small (bounds the memory a merge needs). */
    static final int MERGE_LIMIT = 1 << 23;
    /** About what one entry costs on the heap, to turn a memory budget into entries. */
    static final int BYTES_PER_ENTRY = 12;

    private final Map<Long, ProjectTimes> projects = new ConcurrentHashMap<>();
    private final long maxEntries;
    private final int tailLimit;
    private final AtomicLong entries = new AtomicLong();
    private final ExecutorService worker;
    private final CountDownLatch loaded = new CountDownLatch(1);
    private volatile java.sql.Statement loadingStatement;
    private volatile boolean pinned;
    private volatile boolean closed;

    /** An index whose entries stay below {@code maxEntries}; {@link #load} fills it. */
    TimeIndex(long maxEntries) {
        this(maxEntries, TAIL_LIMIT);
    }

    /** With tails sorted into runs at {@code tailLimit} entries. */
    TimeIndex(long maxEntries, int tailLimit) {
        this.maxEntries = maxEntries;
        this.tailLimit = tailLimit;
        this.worker = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "event-time-index");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The default budget: a quarter of the heap the JVM may use. */
    static long defaultMaxEntries() {
        return Runtime.getRuntime().maxMemory() / 4 / BYTES_PER_ENTRY;
    }

    /**
     * Pins a snapshot of the stored events on {@code reader} (before any write of this store) and
     * loads it in the background; writes from now on go to the tails.
     */
    void load(Connection reader) {
        Map<Long, List<String>> names = new LinkedHashMap<>();
        Map<Long, Long> counts = new HashMap<>();
        try {
            reader.setAutoCommit(false);
            try (Statement statement = reader.createStatement();
                    ResultSet result = statement.executeQuery("SELECT project_id, event, count(*) FROM events GROUP BY ALL ORDER BY 1, 2")) {
                while (result.next()) {
                    names.computeIfAbsent(result.getLong(1), project -> new ArrayList<>()).add(result.getString(2));
                    // each event is in its name's family and in the family of all events
                    counts.merge(result.getLong(1), 2 * result.getLong(3), Long::sum);
                }
            }
            try (Statement statement = reader.createStatement();
                    ResultSet result = statement.executeQuery("SELECT DISTINCT project_id FROM person_merges")) {
                while (result.next()) {
                    names.computeIfAbsent(result.getLong(1), project -> new ArrayList<>());
                }
            }
        }
        catch (SQLException e) {
            close(reader);
            throw new EventStoreException("pinning the events for the time index failed: " + e.getMessage(), e);
        }
        long total = 0;
        for (Map.Entry<Long, List<String>> project : names.entrySet()) {
            ProjectTimes times = new ProjectTimes(project.getKey(), false, tailLimit);
            long count = counts.getOrDefault(project.getKey(), 0L);
            if (total + count > maxEntries) {
                times.disabled = true;
                log.warn("Project {} has {} events, more than the time index's budget of {} entries leaves room for: its funnels "
                        + "are answered by SQL (raise the heap to index it)", project.getKey(), count, maxEntries);
            }
            else {
                total += count;
            }
            projects.put(project.getKey(), times);
        }
        pinned = true;
        worker.execute(() -> {
            try {
                loadAll(reader, names);
            }
            finally {
                close(reader);
                loaded.countDown();
            }
        });
    }

    private void loadAll(Connection reader, Map<Long, List<String>> names) {
        long started = System.nanoTime();
        long loadedEntries = 0;
        for (Map.Entry<Long, List<String>> entry : names.entrySet()) {
            ProjectTimes project = projects.get(entry.getKey());
            if (project == null || project.disabled || closed) {
                continue;
            }
            try {
                Map<String, TimeRun> runs = new HashMap<>();
                for (String name : entry.getValue()) {
                    runs.put(name, read(reader, "SELECT person_id, epoch_us(ts) FROM events WHERE project_id = ? AND event = ?",
                            entry.getKey(), name));
                }
                TimeRun all = read(reader, "SELECT person_id, epoch_us(ts) * 2 + CASE WHEN type IN ('page', 'screen') THEN 1 ELSE 0 END "
                        + "FROM events WHERE project_id = ?", entry.getKey(), null);
                Map<Integer, Integer> roots = new HashMap<>();
                try (PreparedStatement statement = reader.prepareStatement("SELECT person_id, root_id FROM person_merges WHERE project_id = ?")) {
                    statement.setLong(1, entry.getKey());
                    try (ResultSet result = statement.executeQuery()) {
                        while (result.next()) {
                            roots.put(Math.toIntExact(result.getLong(1)), Math.toIntExact(result.getLong(2)));
                        }
                    }
                }
                long size = project.loaded(runs, all, new Roots(roots));
                loadedEntries += size;
                entries.addAndGet(size);
            }
            catch (SQLException | ArithmeticException | IllegalStateException e) {
                if (closed) {
                    return;
                }
                log.warn("Loading project {} into the time index failed; its funnels are answered by SQL: {}", entry.getKey(), e.toString());
                disable(project);
            }
        }
        if (loadedEntries > 0) {
            log.info("Time index loaded {} entries of {} projects in {} ms", loadedEntries, names.size(),
                    (System.nanoTime() - started) / 1_000_000);
        }
    }

    /** Reads (person, value) rows of {@code sql}, bound to the project and, unless null, the name. */
    private TimeRun read(Connection reader, String sql, long projectId, String name) throws SQLException {
        int[] persons = new int[1 << 12];
        long[] times = new long[1 << 12];
        int size = 0;
        try (DuckDBPreparedStatement statement = reader.prepareStatement(sql).unwrap(DuckDBPreparedStatement.class)) {
            loadingStatement = statement;
            if (closed) {
                throw new SQLException("the store is closing");
            }
            statement.setLong(1, projectId);
            if (name != null) {
                statement.setString(2, name);
            }
            try (DuckDBChunkedResult result = statement.query()) {
                while (result.nextChunk()) {
                    DuckDBDataChunkReader chunk = result.chunk();
                    DuckDBReadableVector personColumn = chunk.vector(0);
                    DuckDBReadableVector timeColumn = chunk.vector(1);
                    int count = (int) chunk.rowCount();
                    if (size + count > persons.length) {
                        int capacity = Math.max(size + count, persons.length * 2);
                        persons = java.util.Arrays.copyOf(persons, capacity);
                        times = java.util.Arrays.copyOf(times, capacity);
                    }
                    for (int row = 0; row < count; row++) {
                        long person = personColumn.getLong(row);
                        if (person < 0 || person >= Integer.MAX_VALUE) {
                            throw new ArithmeticException("person id " + person + " does not fit");
                        }
                        persons[size] = (int) person;
                        times[size++] = timeColumn.getLong(row);
                    }
                }
            }
        }
        return TimeRun.of(persons, times, size);
    }

    /** Marks the start-up load as done without loading anything (the index is off). */
    void skipLoad() {
        loaded.countDown();
    }

    /** Waits until the start-up load has finished (for benchmarks and tests); false on time-out. */
    boolean awaitLoaded(long timeout, TimeUnit unit) throws InterruptedException {
        return loaded.await(timeout, unit);
    }

    /** The project's current snapshot, or null while it loads or when it is not indexed. */
    Snapshot snapshot(long projectId) {
        ProjectTimes project = projects.get(projectId);
        if (project == null) {
            // every project with events was registered when the snapshot was pinned: this one has none yet
            return closed || !pinned ? null : Snapshot.EMPTY;
        }
        return project.ready && !project.disabled ? project.snapshot : null;
    }

    // ------------------------------------------------------------ writes (inside the store's write lock, after commit)

    /** Activity events just committed to the events table. */
    void appended(List<Event> events) {
        if (events.isEmpty() || closed || maxEntries == 0) {
            return;
        }
        Map<Long, List<Event>> byProject = new HashMap<>();
        for (Event event : events) {
            byProject.computeIfAbsent(event.projectId(), project -> new ArrayList<>()).add(event);
        }
        byProject.forEach((projectId, list) -> {
            ProjectTimes project = projects.computeIfAbsent(projectId, id -> new ProjectTimes(id, true, tailLimit));
            if (project.disabled) {
                return;
            }
            if (entries.addAndGet(2L * list.size()) > maxEntries) {
                entries.addAndGet(-2L * list.size());
                log.warn("The time index reached its budget of {} entries: project {}'s funnels are answered by SQL from now on "
                        + "(raise the heap to keep them indexed)", maxEntries, projectId);
                disable(project);
                return;
            }
            for (Event event : list) {
                if (event.personId() < 0 || event.personId() >= Integer.MAX_VALUE) {
                    log.warn("Person id {} does not fit the time index: project {}'s funnels are answered by SQL", event.personId(), projectId);
                    disable(project);
                    return;
                }
            }
            List<NameTimes> full = project.append(list);
            for (NameTimes name : full) {
                worker.execute(() -> compact(project, name));
            }
        });
    }

    /** Merges just committed, in order. */
    void merged(List<PersonMerge> merges) {
        if (closed || maxEntries == 0) {
            return;
        }
        for (PersonMerge merge : merges) {
            ProjectTimes project = projects.computeIfAbsent(merge.projectId(), id -> new ProjectTimes(id, true, tailLimit));
            if (merge.from() >= Integer.MAX_VALUE || merge.into() >= Integer.MAX_VALUE || merge.from() < 0 || merge.into() < 0) {
                disable(project);
                continue;
            }
            project.merge((int) merge.from(), (int) merge.into());
        }
    }

    /** A person and everyone merged with it were deleted. */
    void deleted(long projectId, Collection<Long> members) {
        ProjectTimes project = projects.get(projectId);
        if (project == null) {
            return;
        }
        Set<Integer> removed = new HashSet<>();
        for (long member : members) {
            if (member <= Integer.MAX_VALUE) {
                removed.add((int) member);
            }
        }
        entries.addAndGet(-project.delete(removed));
    }

    /** Every event of the project was deleted. */
    void projectDeleted(long projectId) {
        ProjectTimes project = projects.remove(projectId);
        if (project != null) {
            entries.addAndGet(-project.clear());
        }
    }

    /** Turns the index off for good (after a failure), dropping everything it holds. */
    void disable() {
        closed = true;
        projects.values().forEach(this::disable);
        projects.clear();
    }

    private void disable(ProjectTimes project) {
        project.disabled = true;
        entries.addAndGet(-project.clear());
    }

    /** Sorts the name's tail into a run and merges runs of similar size; on the worker thread. */
    private void compact(ProjectTimes project, NameTimes name) {
        if (closed || project.disabled) {
            return;
        }
        try {
            project.compact(name);
        }
        catch (RuntimeException | OutOfMemoryError e) {
            log.error("Compacting the time index of project {} failed; its funnels are answered by SQL", project.projectId, e);
            disable(project);
        }
    }

    @Override
    public void close() {
        closed = true;
        java.sql.Statement statement = loadingStatement;
        if (statement != null) {
            try {
                statement.cancel();
            }
            catch (SQLException | RuntimeException ignored) {
                // closing anyway
            }
        }
        worker.shutdownNow();
        try {
            worker.awaitTermination(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        projects.clear();
    }

    private static void close(Connection connection) {
        try {
            connection.close();
        }
        catch (SQLException ignored) {
            // nothing to keep
        }
    }

    // ------------------------------------------------------------ state

    /** Raw person → root for merged persons; {@code merged} marks every person on either side of a merge. */
    static final class Roots {

        static final Roots EMPTY = new Roots(Map.of());

        private final Map<Integer, Integer> roots;
        private final BitSet merged = new BitSet();

        Roots(Map<Integer, Integer> roots) {
            this.roots = Map.copyOf(roots);
            roots.forEach((person, root) -> {
                merged.set(person);
                merged.set(root);
            });
        }

        boolean merged(int person) {
            return merged.get(person);
        }

        int root(int person) {
            return roots.getOrDefault(person, person);
        }

        /** Mirrors the store: persons whose root was {@code from} now have {@code into}, and so has {@code from}. */
        Roots merge(int from, int into) {
            Map<Integer, Integer> next = new HashMap<>(roots);
            next.replaceAll((person, root) -> root == from ? into : root);
            next.put(from, into);
            return new Roots(next);
        }

        /** Mirrors the store: merges naming a removed person on either side are gone. */
        Roots without(Set<Integer> removed) {
            Map<Integer, Integer> next = new HashMap<>(roots);
            next.entrySet().removeIf(entry -> removed.contains(entry.getKey()) || removed.contains(entry.getValue()));
            return next.size() == roots.size() ? this : new Roots(next);
        }
    }

    /** One event name's runs and tail as a query sees them: the tail's first {@code tailSize} entries. */
    record NameState(List<TimeRun> runs, int[] tailPersons, long[] tailTimes, int tailSize) {

        static final NameState EMPTY = new NameState(List.of(), new int[0], new long[0], 0);
    }

    /**
     * What a query reads of a project, all as of one moment: every name's state, the state of all
     * events (values {@code time << 1 | 1 for page and screen calls}) and the merges.
     */
    record Snapshot(Map<String, NameState> names, NameState all, Roots roots) {

        static final Snapshot EMPTY = new Snapshot(Map.of(), NameState.EMPTY, Roots.EMPTY);

        NameState name(String name) {
            return names.getOrDefault(name, NameState.EMPTY);
        }
    }

    /** A name's mutable tail; guarded by its project. */
    static final class NameTimes {

        final String name;
        List<TimeRun> runs = List.of();
        int[] tailPersons = new int[1 << 8];
        long[] tailTimes = new long[1 << 8];
        int tailSize;
        boolean compacting;
        /** Bumped by every deletion, so that a compaction started before one is redone. */
        long generation;

        NameTimes(String name) {
            this.name = name;
        }

        NameState state() {
            return new NameState(runs, tailPersons, tailTimes, tailSize);
        }

        void add(int person, long time) {
            if (tailSize == tailPersons.length) {
                int capacity = tailSize * 2;
                tailPersons = java.util.Arrays.copyOf(tailPersons, capacity);
                tailTimes = java.util.Arrays.copyOf(tailTimes, capacity);
            }
            tailPersons[tailSize] = person;
            tailTimes[tailSize++] = time;
        }

        long size() {
            return tailSize + runs.stream().mapToLong(TimeRun::size).sum();
        }
    }

    /** One project; every change to it happens under its monitor and publishes a new snapshot. */
    static final class ProjectTimes {

        final long projectId;
        private final int tailLimit;
        volatile boolean ready;
        volatile boolean disabled;
        volatile Snapshot snapshot = Snapshot.EMPTY;
        private final Map<String, NameTimes> names = new HashMap<>();
        /** Every event, its value {@code time << 1 | page}: sessions, active persons and page views. */
        private NameTimes all = new NameTimes(null);
        private Roots roots = Roots.EMPTY;
        /** Merges and deletions while loading, applied to the loaded snapshot in order. */
        private final List<Object> pending = new ArrayList<>();

        ProjectTimes(long projectId, boolean ready, int tailLimit) {
            this.projectId = projectId;
            this.tailLimit = tailLimit;
            this.ready = ready;
        }

        /** Appends to the tails; returns the names whose tail is full and not yet being compacted. */
        synchronized List<NameTimes> append(List<Event> events) {
            List<NameTimes> full = new ArrayList<>(1);
            for (Event event : events) {
                NameTimes name = names.computeIfAbsent(event.event(), NameTimes::new);
                long time = DuckDbEventStore.micros(event.timestamp());
                name.add((int) event.personId(), time);
                all.add((int) event.personId(), time << 1 | ("page".equals(event.type()) || "screen".equals(event.type()) ? 1 : 0));
            }
            for (NameTimes name : families()) {
                if (name.tailSize >= tailLimit && !name.compacting) {
                    name.compacting = true;
                    full.add(name);
                }
            }
            publish();
            return full;
        }

        synchronized void merge(int from, int into) {
            if (!ready) {
                pending.add(new int[] {from, into});
            }
            roots = roots.merge(from, into);
            publish();
        }

        /** Removes the persons everywhere; returns how many entries went. */
        synchronized long delete(Set<Integer> removed) {
            if (!ready) {
                pending.add(removed);
            }
            long before = size();
            for (NameTimes name : families()) {
                name.generation++;
                name.runs = name.runs.stream().map(run -> run.without(removed::contains)).filter(run -> run.size() > 0).toList();
                int kept = 0;
                for (int i = 0; i < name.tailSize; i++) {
                    if (!removed.contains(name.tailPersons[i])) {
                        kept++;
                    }
                }
                if (kept < name.tailSize) {
                    int[] persons = new int[Math.max(kept * 2, 1 << 8)];
                    long[] times = new long[persons.length];
                    int at = 0;
                    for (int i = 0; i < name.tailSize; i++) {
                        if (!removed.contains(name.tailPersons[i])) {
                            persons[at] = name.tailPersons[i];
                            times[at++] = name.tailTimes[i];
                        }
                    }
                    name.tailPersons = persons;
                    name.tailTimes = times;
                    name.tailSize = kept;
                }
            }
            roots = roots.without(removed);
            publish();
            return before - size();
        }

        /** Installs the runs and merges read from the pinned snapshot, then what happened meanwhile. */
        @SuppressWarnings("unchecked")
        synchronized long loaded(Map<String, TimeRun> runs, TimeRun allRun, Roots loadedRoots) {
            Roots merged = loadedRoots;
            Map<String, TimeRun> loadedRuns = new HashMap<>(runs);
            TimeRun loadedAll = allRun;
            for (Object operation : pending) {
                if (operation instanceof int[] merge) {
                    merged = merged.merge(merge[0], merge[1]);
                }
                else {
                    Set<Integer> removed = (Set<Integer>) operation;
                    loadedRuns.replaceAll((name, run) -> run.without(removed::contains));
                    loadedAll = loadedAll.without(removed::contains);
                    merged = merged.without(removed);
                }
            }
            pending.clear();
            long size = 0;
            for (Map.Entry<String, TimeRun> entry : loadedRuns.entrySet()) {
                String name = entry.getKey();
                TimeRun run = entry.getValue();
                size += run.size();
                if (run.size() > 0) {
                    NameTimes times = names.computeIfAbsent(name, NameTimes::new);
                    List<TimeRun> all = new ArrayList<>(times.runs.size() + 1);
                    all.add(run);
                    all.addAll(times.runs);
                    times.runs = List.copyOf(all);
                }
            }
            if (loadedAll.size() > 0) {
                List<TimeRun> withAll = new ArrayList<>(all.runs.size() + 1);
                withAll.add(loadedAll);
                withAll.addAll(all.runs);
                all.runs = List.copyOf(withAll);
                size += loadedAll.size();
            }
            roots = merged;
            ready = true;
            publish();
            return size;
        }

        void compact(NameTimes name) {
            while (true) {
                NameState state;
                long generation;
                synchronized (this) {
                    if (disabled) {
                        return;
                    }
                    state = name.state();
                    generation = name.generation;
                }
                List<TimeRun> runs = new ArrayList<>(state.runs());
                runs.add(TimeRun.of(state.tailPersons(), state.tailTimes(), state.tailSize()));
                while (runs.size() >= 2) {
                    TimeRun last = runs.get(runs.size() - 1);
                    TimeRun previous = runs.get(runs.size() - 2);
                    if ((long) last.size() * 4 < previous.size() || (long) last.size() + previous.size() > MERGE_LIMIT) {
                        break;
                    }
                    runs.remove(runs.size() - 1);
                    runs.set(runs.size() - 1, TimeRun.merge(previous, last));
                }
                synchronized (this) {
                    if (disabled) {
                        return;
                    }
                    if (name.generation != generation) {
                        continue;
                    }
                    int rest = name.tailSize - state.tailSize();
                    int[] persons = new int[Math.max(1 << 8, Integer.highestOneBit(Math.max(1, rest)) << 1)];
                    long[] times = new long[persons.length];
                    System.arraycopy(name.tailPersons, state.tailSize(), persons, 0, rest);
                    System.arraycopy(name.tailTimes, state.tailSize(), times, 0, rest);
                    name.runs = List.copyOf(runs);
                    name.tailPersons = persons;
                    name.tailTimes = times;
                    name.tailSize = rest;
                    name.compacting = false;
                    publish();
                    return;
                }
            }
        }

        /** Drops everything; returns how many entries went. */
        synchronized long clear() {
            long before = size();
            names.clear();
            all = new NameTimes(null);
            roots = Roots.EMPTY;
            snapshot = Snapshot.EMPTY;
            return before;
        }

        private long size() {
            long size = 0;
            for (NameTimes name : families()) {
                size += name.size();
            }
            return size;
        }

        /** Every name's family and the family of all events. */
        private List<NameTimes> families() {
            List<NameTimes> families = new ArrayList<>(names.size() + 1);
            families.addAll(names.values());
            families.add(all);
            return families;
        }

        private void publish() {
            Map<String, NameState> states = new HashMap<>(names.size() * 2);
            names.forEach((key, name) -> states.put(key, name.state()));
            snapshot = new Snapshot(states, all.state(), roots);
        }
    }
}
