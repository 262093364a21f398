package io.flywheel.events.internal;

import io.flywheel.events.Audience;
import io.flywheel.events.PersonCondition;
import io.flywheel.events.PersonQuery;
import io.flywheel.events.PersonSets;
import io.flywheel.events.PersonSummary;
import io.flywheel.events.QueryControl;
import io.flywheel.events.Scope;
import io.flywheel.shared.Page;
import io.flywheel.shared.PageRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Person sets in DuckDB. Conditions compile to SQL ({@link ConditionSql}) that runs on a reader,
 * so evaluating never blocks ingestion; members live in {@code person_sets} (project, set key, root
 * person id, since) next to the events. A refresh evaluates every rule on a reader, computes who
 * entered and who left, and only then writes those changes in one short transaction under the
 * store's write lock.
 */
final class DuckDbPersonSets implements PersonSets {

    private static final Logger log = LoggerFactory.getLogger(DuckDbPersonSets.class);

    private static final QueryControl REFRESH = QueryControl.withTimeout(Duration.ofMinutes(10));

    private final DuckDbEventStore store;
    private final DuckDbPersons persons;
    /** How many incremental refreshes read events from the time index (for tests). */
    private final java.util.concurrent.atomic.AtomicLong indexedCopies = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong answeredRefreshes = new java.util.concurrent.atomic.AtomicLong();

    DuckDbPersonSets(DuckDbEventStore store) {
        this.store = store;
        this.persons = new DuckDbPersons(store);
    }

    long indexedCopies() {
        return indexedCopies.get();
    }

    /** How many incremental refreshes answered counts or sequences from the time index (for tests). */
    long answeredRefreshes() {
        return answeredRefreshes.get();
    }

    // ---------------------------------------------------------------- evaluating

    @Override
    public long count(Audience audience, PersonCondition condition, QueryControl control) {
        ConditionSql compiler = new ConditionSql(audience, ConditionSql.Sources.full(store.orderEvents()));
        String result = compiler.compile(condition, ConditionSql.EVERYONE);
        Sql sql = new Sql().append("WITH " + DuckDbPersons.MEMBERS, audience.projectId()).include(compiler.expressions())
                .append(" SELECT count(DISTINCT person) FROM " + result);
        return DuckDbEventAnalytics.run(store, sql, control, row -> {
            row.next();
            return row.getLong(1);
        });
    }

    @Override
    public Page<PersonSummary> matching(Audience audience, PersonCondition condition, PersonQuery query, PageRequest page,
            QueryControl control) {
        return persons.search(audience.projectId(), query, page, restriction(audience, condition));
    }

    @Override
    public void matching(Audience audience, PersonCondition condition, Consumer<PersonSummary> consumer, QueryControl control) {
        persons.each(audience.projectId(), restriction(audience, condition), consumer, control);
    }

    private DuckDbPersons.Restriction restriction(Audience audience, PersonCondition condition) {
        if (condition == null) {
            return null;
        }
        ConditionSql compiler = new ConditionSql(audience, ConditionSql.Sources.full(store.orderEvents()));
        String result = compiler.compile(condition, ConditionSql.EVERYONE);
        return new DuckDbPersons.Restriction(compiler.expressions(), result);
    }

    // ---------------------------------------------------------------- refreshing

    @Override
    public List<SetChange> refresh(Audience audience, List<SetRule> rules, Collection<Long> onlyPersons) {
        if (rules.isEmpty()) {
            return List.of();
        }
        long projectId = audience.projectId();
        List<Changes> changes = new ArrayList<>(rules.size());
        long started = System.nanoTime();
        // Each statement commits on its own: DuckDB reads temporary tables filled inside an open
        // transaction far more slowly (a sequence rule took 3-36 s instead of 0.2 s on 100M events).
        // The shared temporary tables are each one snapshot; a write between two rules shows up in
        // the later ones, and its persons are evaluated again in the next refresh anyway.
        try (Connection reader = store.reader()) {
            if (onlyPersons != null && onlyPersons.isEmpty()) {
                rules.forEach(rule -> changes.add(new Changes(rule.key(), 0, List.of(), List.of())));
            }
            else {
                Evaluation evaluation = onlyPersons == null ? new Evaluation(store, audience, reader, rules)
                        : new Evaluation(store, audience, reader, rules, onlyPersons, indexedCopies, answeredRefreshes);
                evaluation.precomputeRfm();
                log.debug("Refresh of {} sets for {} persons prepared in {} ms", rules.size(), onlyPersons == null ? "all" : onlyPersons.size(),
                        (System.nanoTime() - started) / 1_000_000);
                // incrementally, the few dirty persons make a statement per rule cost more than its work: the rules
                // that depend on no other of the call are evaluated together, then those that depend on them, and so on
                List<List<Integer>> batches = onlyPersons == null ? one(rules) : levels(rules);
                Changes[] found = new Changes[rules.size()];
                for (int batch = 0; batch < batches.size(); batch++) {
                    long step = System.nanoTime();
                    List<Integer> indexes = batches.get(batch);
                    for (Changes change : evaluation.refresh(rules, indexes, "fresh_" + batch, referencedLater(rules, indexes))) {
                        found[indexes.get(change.index())] = change;
                    }
                    log.debug("{} sets evaluated in {} ms", indexes.size(), (System.nanoTime() - step) / 1_000_000);
                }
                changes.addAll(List.of(found));
            }
        }
        catch (SQLException e) {
            throw new EventStoreException("evaluating person sets failed: " + e.getMessage(), e);
        }
        long evaluated = System.nanoTime();
        write(projectId, changes, audience.now());
        log.debug("Refresh evaluated in {} ms, written in {} ms", (evaluated - started) / 1_000_000, (System.nanoTime() - evaluated) / 1_000_000);
        // counting every set's members scans them all: only worth it after evaluating everyone
        return onlyPersons == null ? results(projectId, changes)
                : changes.stream().map(change -> new SetChange(change.key(), change.entered(), change.exited(), SetChange.NOT_COUNTED)).toList();
    }

    /** Who entered and who left one set, before it is written; {@code index} is the rule's place in its batch. */
    private record Changes(String key, int index, List<Long> entered, List<Long> exited) {
    }

    /** Each rule alone, in order. */
    private static List<List<Integer>> one(List<SetRule> rules) {
        List<List<Integer>> batches = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            batches.add(List.of(i));
        }
        return batches;
    }

    /**
     * The rules by dependency level: a rule comes after the latest earlier rule of every set it
     * refers to (a later rule of that set does not count: the rule reads the stored members then)
     * and after every earlier rule of its own key, so that a batch holds each key once.
     */
    static List<List<Integer>> levels(List<SetRule> rules) {
        int[] level = new int[rules.size()];
        List<List<Integer>> batches = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            Set<String> keys = new HashSet<>();
            collectSets(rules.get(i).condition(), keys);
            for (int j = 0; j < i; j++) {
                if (keys.contains(rules.get(j).key())) {
                    level[i] = Math.max(level[i], level[j] + 1);
                }
                else if (rules.get(j).key().equals(rules.get(i).key())) {
                    level[i] = Math.max(level[i], level[j] + 1);
                }
            }
            while (batches.size() <= level[i]) {
                batches.add(new ArrayList<>());
            }
            batches.get(level[i]).add(i);
        }
        return batches;
    }

    /** Whether a rule after the batch refers to a set of the batch. */
    private static boolean referencedLater(List<SetRule> rules, List<Integer> batch) {
        Set<String> keys = new HashSet<>();
        for (int i = batch.get(0) + 1; i < rules.size(); i++) {
            if (!batch.contains(i)) {
                collectSets(rules.get(i).condition(), keys);
            }
        }
        return batch.stream().anyMatch(i -> keys.contains(rules.get(i).key()));
    }

    /**
     * Rules evaluated on one reader connection. With dirty persons: {@code dirty_ids} (as given),
     * {@code dirty_members} (the person rows of their roots), {@code dirty_roots} (those roots) and
     * {@code dirty_events} (the events of those roots that any rule can read, with their raw person
     * ids and the orders and refunds when the kept copy of the orders is brought up to date from
     * them) are temporary tables shared by every rule.
     */
    private static final class Evaluation {

        /** The persons owed to the kept orders (all of them dirty ids), whose kept orders an incremental refresh replaces. */
        private static final String OWED = "SELECT person_id FROM rfm_owed";

        /** The kept orders as {@link DuckDbEventAnalytics#rfmScores} reads them. */
        private static final String KEPT_ORDERS =
                "(SELECT project_id, event, person_id, ts, order_id, revenue, CAST(NULL AS VARCHAR) AS user_id FROM rfm_orders)";

        private final DuckDbEventStore store;
        private final Audience audience;
        private final Connection reader;
        private final ConditionSql.Sources sources;
        /** The new members of rules kept for later ones, by rule index. */
        private final Map<Integer, String> fresh = new HashMap<>();
        /** The sets the rule being compiled reads fresh, by key: the compiler's {@code freshSets}. */
        private final Map<String, String> visible = new HashMap<>();
        private final Map<Integer, String> rfm = new HashMap<>();
        private final boolean incremental;
        /** The RFM conditions of the rules. */
        private final List<PersonCondition.Rfm> rfmConditions = new ArrayList<>();
        /** The first instant of the completed orders RFM needs; null without RFM conditions. */
        private final Instant ordersFrom;
        /** The persons owed to the kept orders before this evaluation read anything. */
        private final Set<Long> owed;
        /** Since when the kept orders hold the completed orders when they are brought up to date from the dirty events, else null. */
        private Instant ordersKept;

        /** Everyone. */
        Evaluation(DuckDbEventStore store, Audience audience, Connection reader, List<SetRule> rules) {
            this.store = store;
            this.audience = audience;
            this.reader = reader;
            this.incremental = false;
            this.sources = new ConditionSql.Sources("events e " + Sql.MERGES, Sql.PERSON, "members", visible, rfm, store.orderEvents(), Map.of(),
                    Map.of());
            rules.forEach(rule -> collectRfm(rule.condition(), rfmConditions));
            this.ordersFrom = ordersFrom();
            this.owed = owed();
            // kept orders owed nothing are current: a pass of one rule after an incremental refresh need not copy every order again
            if (ordersFrom != null && store.keptOrders().current(audience.projectId(), ordersFrom, null)) {
                ordersKept = store.keptOrders().since(audience.projectId());
            }
        }

        /** Only the given persons. */
        Evaluation(DuckDbEventStore store, Audience audience, Connection reader, List<SetRule> rules, Collection<Long> onlyPersons,
                java.util.concurrent.atomic.AtomicLong indexedCopies, java.util.concurrent.atomic.AtomicLong answeredRefreshes)
                throws SQLException {
            this.store = store;
            this.audience = audience;
            this.reader = reader;
            this.incremental = true;
            rules.forEach(rule -> collectRfm(rule.condition(), rfmConditions));
            this.ordersFrom = ordersFrom();
            this.owed = owed();
            long projectId = audience.projectId();
            if (ordersFrom != null && store.keptOrders().current(projectId, ordersFrom, onlyPersons)) {
                ordersKept = store.keptOrders().since(projectId);
            }
            personIds("dirty_ids", onlyPersons);
            // the person rows whose root (their merge's, else their own id) is a dirty id's root: the ids come from the
            // merges first and only their rows are read, not the root of every person computed to compare it
            execute(new Sql().append("CREATE TEMP TABLE dirty_members AS WITH wanted AS (SELECT DISTINCT coalesce(m.root_id, d.person_id) AS root "
                            + "FROM dirty_ids d LEFT JOIN person_merges m ON m.project_id = ? AND m.person_id = d.person_id), ", projectId)
                    .append("ids AS (SELECT root AS person_id, root FROM wanted "
                            + "WHERE root NOT IN (SELECT person_id FROM person_merges WHERE project_id = ?) ", projectId)
                    .append("UNION ALL SELECT m.person_id, m.root_id FROM person_merges m JOIN wanted w ON w.root = m.root_id WHERE m.project_id = ?) ",
                            projectId)
                    .append("SELECT p.person_id, p.first_seen, p.last_seen, p.event_count, p.user_id, p.traits, p.traits_updated_at, "
                            + "p.first_touch_channel, p.first_touch_at, p.last_touch_channel, p.last_touch_at, ids.root "
                            + "FROM " + DuckDbEventStore.PERSONS_NOW + " p JOIN ids ON ids.person_id = p.person_id WHERE p.project_id = ?", projectId));
            execute(new Sql().append("CREATE TEMP TABLE dirty_roots AS SELECT DISTINCT root AS person FROM dirty_members"));
            // every trait a rule reads, resolved once per root: not a parse and an aggregation per condition
            Set<String> keys = new TreeSet<>();
            rules.forEach(rule -> collectTraitKeys(rule.condition(), keys));
            Map<String, String> traits = new LinkedHashMap<>();
            for (String key : keys) {
                traits.put(key, "t" + traits.size());
            }
            if (!traits.isEmpty()) {
                execute(ConditionSql.resolvedTraits("dirty_members", traits));
            }
            // the stored members among these persons and every id merged into them, of every set, in one scan: the
            // comparison picks the sets of the call, which is cheaper than a list of keys here
            execute(new Sql().append("CREATE TEMP TABLE dirty_stored AS SELECT s.set_key, s.person_id FROM person_sets s SEMI JOIN ("
                    + "SELECT person_id FROM dirty_ids UNION SELECT person_id FROM dirty_members UNION SELECT person FROM dirty_roots) d "
                    + "ON d.person_id = s.person_id WHERE s.project_id = ?", projectId));
            EventNeeds needs = new EventNeeds();
            for (SetRule rule : rules) {
                needs.add(rule.condition(), audience, condition -> false);
            }
            TimeIndex.Snapshot snapshot = needs.filtered.contains(PersonCondition.ANY_EVENT) ? null : store.timeIndex().snapshot(projectId);
            Map<IndexedAnswers.Question, Integer> answers = new LinkedHashMap<>();
            if (snapshot != null) {
                // counts and sequences without filters are answered from the index: their events need no copy at all
                rules.forEach(rule -> collectAnswerable(rule.condition(), audience, answers));
                needs = new EventNeeds();
                for (SetRule rule : rules) {
                    needs.add(rule.condition(), audience, IndexedAnswers::answerable);
                }
            }
            this.sources = new ConditionSql.Sources("dirty_events e", "e.person", "dirty_members", visible, rfm, store.orderEvents(), answers,
                    traits);
            // the kept orders are brought up to date from the copied orders of the persons owed to them, if any
            boolean ordersCopied = ordersKept != null && !owed.isEmpty();
            if (ordersCopied) {
                needs.orders(ordersKept);
            }
            // only the columns the rules read: the scan of every event reads each projected column in full
            Sql events = new Sql().append("CREATE TEMP TABLE dirty_events AS SELECT d.root AS person, e.project_id, e.event, e.ts");
            if (ordersCopied) {
                events.append(", e.person_id");
            }
            for (String column : needs.columns) {
                events.append(", e." + column);
            }
            // the names read without filters come from the time index; only the others (orders, filtered steps) are scanned,
            // from the orders table when they are orders and refunds only
            Map<String, Instant> scanned = snapshot == null ? needs.starts : needs.scanned();
            String table = !scanned.containsKey(PersonCondition.ANY_EVENT) && DuckDbEventStore.ORDER_NAMES.containsAll(scanned.keySet())
                    ? store.orderEvents() : "events";
            events.append(" FROM " + table + " e JOIN dirty_members d ON d.person_id = e.person_id WHERE e.project_id = ?", projectId);
            if (snapshot == null) {
                needs.filter(events);
                execute(events);
                return;
            }
            if (scanned.isEmpty()) {
                events.append(" AND FALSE");
            }
            else {
                // a plain list as well, which the scan itself applies: the join then only sees rows of these names
                events.append(" AND e.event IN (" + Sql.placeholders(scanned.size()) + ")", scanned.keySet().toArray());
                EventNeeds.filter(events, scanned, null);
            }
            execute(events);
            Map<String, Instant> indexed = needs.indexed(snapshot.names().keySet());
            long[][] persons = indexed.isEmpty() && answers.isEmpty() ? null : dirtyPersons();
            copyIndexed(snapshot, indexed, persons);
            if (!answers.isEmpty()) {
                answer(snapshot, List.copyOf(answers.keySet()), persons);
                answeredRefreshes.incrementAndGet();
            }
            indexedCopies.incrementAndGet();
        }

        /** A temporary table {@code table (person_id BIGINT)} holding the ids. */
        private void personIds(String table, Collection<Long> ids) throws SQLException {
            try (Statement statement = reader.createStatement()) {
                statement.execute("CREATE TEMP TABLE " + table + " (person_id BIGINT)");
            }
            try (DuckDBAppender appender = reader.unwrap(DuckDBConnection.class).createAppender("temp", DuckDBConnection.DEFAULT_SCHEMA,
                    table)) {
                for (long person : ids) {
                    appender.beginRow();
                    appender.append(person);
                    appender.endRow();
                }
            }
        }

        /** The raw person ids of {@code dirty_members} (ascending) and their roots. */
        private long[][] dirtyPersons() throws SQLException {
            List<long[]> rows = new ArrayList<>();
            try (Statement statement = reader.createStatement();
                    ResultSet result = statement.executeQuery("SELECT person_id, root FROM dirty_members ORDER BY person_id")) {
                while (result.next()) {
                    rows.add(new long[] {result.getLong(1), result.getLong(2)});
                }
            }
            long[] personIds = new long[rows.size()];
            long[] roots = new long[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                personIds[i] = rows.get(i)[0];
                roots[i] = rows.get(i)[1];
            }
            return new long[][] {personIds, roots};
        }

        /** Answers the questions for the dirty persons into {@link ConditionSql#ANSWERS}. */
        private void answer(TimeIndex.Snapshot snapshot, List<IndexedAnswers.Question> questions, long[][] persons) throws SQLException {
            if (questions.isEmpty()) {
                return;
            }
            long started = System.nanoTime();
            try (Statement statement = reader.createStatement()) {
                statement.execute("CREATE TEMP TABLE " + ConditionSql.ANSWERS + " (question INTEGER, person BIGINT, answer BIGINT)");
            }
            long read;
            long[] rows = {0};
            try (DuckDBAppender appender = reader.unwrap(DuckDBConnection.class).createAppender("temp", DuckDBConnection.DEFAULT_SCHEMA,
                    ConditionSql.ANSWERS)) {
                read = IndexedAnswers.answer(snapshot, questions, persons[0], persons[1], (question, root, answer) -> {
                    appender.beginRow();
                    appender.append(question);
                    appender.append(root);
                    appender.append(answer);
                    appender.endRow();
                    rows[0]++;
                });
            }
            log.debug("{} ms: {} questions answered for {} persons from the time index ({} events read, {} answers)",
                    (System.nanoTime() - started) / 1_000_000, questions.size(), persons[0].length, read, rows[0]);
        }

        /** Adds the dirty persons' events of the names from the time index to {@code dirty_events}. */
        private void copyIndexed(TimeIndex.Snapshot snapshot, Map<String, Instant> names, long[][] persons) throws SQLException {
            if (names.isEmpty()) {
                return;
            }
            long started = System.nanoTime();
            long[] personIds = persons[0];
            long[] roots = persons[1];
            List<IndexedPersonEvents.Need> needs = new ArrayList<>();
            names.forEach((name, from) -> needs.add(new IndexedPersonEvents.Need(name,
                    from.equals(EventNeeds.ALL_TIME) ? IndexedPersonEvents.ALL_TIME : DuckDbEventStore.micros(from))));
            try (Statement statement = reader.createStatement()) {
                statement.execute("CREATE TEMP TABLE dirty_names (code INTEGER, event VARCHAR)");
                // no raw person id: the kept orders, the only reader of it, take orders and refunds from the scan
                statement.execute("CREATE TEMP TABLE dirty_indexed (person BIGINT, code INTEGER, ts TIMESTAMP)");
            }
            DuckDBConnection duck = reader.unwrap(DuckDBConnection.class);
            try (DuckDBAppender appender = duck.createAppender("temp", DuckDBConnection.DEFAULT_SCHEMA, "dirty_names")) {
                for (int i = 0; i < needs.size(); i++) {
                    appender.beginRow();
                    appender.append(i);
                    appender.append(needs.get(i).name());
                    appender.endRow();
                }
            }
            long copied;
            try (DuckDBAppender appender = duck.createAppender("temp", DuckDBConnection.DEFAULT_SCHEMA, "dirty_indexed")) {
                copied = IndexedPersonEvents.copy(snapshot, needs, personIds, roots, (root, personId, code, micros) -> {
                    appender.beginRow();
                    appender.append(root);
                    appender.append(code);
                    appender.appendEpochMicros(micros);
                    appender.endRow();
                });
            }
            log.debug("{} ms: {} events of {} names for {} persons from the time index", (System.nanoTime() - started) / 1_000_000, copied,
                    needs.size(), personIds.length);
            execute(new Sql().append("INSERT INTO dirty_events (person, project_id, event, ts) SELECT i.person, ?, n.event, i.ts "
                    + "FROM dirty_indexed i JOIN dirty_names n ON n.code = i.code", audience.projectId()));
            execute(new Sql().append("DROP TABLE dirty_indexed"));
            execute(new Sql().append("DROP TABLE dirty_names"));
        }

        private Instant ordersFrom() {
            int longest = rfmConditions.stream().mapToInt(PersonCondition.Rfm::windowDays).max().orElse(0);
            return longest == 0 ? null : ConditionSql.rfmScope(audience, longest).start();
        }

        private Set<Long> owed() {
            if (ordersFrom == null) {
                return Set.of();
            }
            store.keptOrders().rebuilding(audience.projectId());
            return store.keptOrders().owed(audience.projectId());
        }

        /**
         * Evaluates a batch of rules (their indexes in {@code rules}) in one statement and compares
         * with the stored members in another; the new members are kept in the temporary table
         * {@code table} (rule index, person) only when a later rule of the call refers to a set of
         * the batch ({@code referenced}).
         */
        List<Changes> refresh(List<SetRule> rules, List<Integer> batch, String table, boolean referenced) throws SQLException {
            ConditionSql compiler = new ConditionSql(audience, sources);
            String universe = incremental ? "dirty_roots" : ConditionSql.EVERYONE;
            StringBuilder union = new StringBuilder();
            for (int i = 0; i < batch.size(); i++) {
                showSetsTo(rules, batch.get(i));
                String result = compiler.compile(rules.get(batch.get(i)).condition(), universe);
                union.append(i == 0 ? "" : " UNION ALL ").append("SELECT " + i + " AS rule, person FROM (SELECT DISTINCT person FROM " + result + ")");
            }
            Sql members = new Sql().append("WITH " + DuckDbPersons.MEMBERS, audience.projectId()).include(compiler.expressions());
            if (referenced) {
                execute(new Sql().append("CREATE TEMP TABLE " + table + " AS ").include(members).append(" " + union));
                for (int i = 0; i < batch.size(); i++) {
                    fresh.put(batch.get(i), "(SELECT person FROM " + table + " WHERE rule = " + i + ")");
                }
                members = new Sql().append("WITH fresh AS (SELECT * FROM " + table + ")");
            }
            else {
                members.append(", fresh AS (" + union + ")");
            }
            List<String> keys = batch.stream().map(i -> rules.get(i).key()).toList();
            List<String> pairs = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                pairs.add("(" + i + ", CAST(? AS VARCHAR))");
            }
            Sql stored = new Sql().append("SELECT r.rule, s.person_id AS person FROM " + (incremental ? "dirty_stored" : "person_sets")
                    + " s JOIN (VALUES " + String.join(", ", pairs) + ") r(rule, set_key) ON r.set_key = s.set_key", keys.toArray())
                    .append(" WHERE s.set_key IN (" + Sql.placeholders(keys.size()) + ")", keys.toArray());
            if (!incremental) {
                stored.append(" AND s.project_id = ?", audience.projectId());
            }
            List<List<Long>> entered = new ArrayList<>();
            List<List<Long>> exited = new ArrayList<>();
            keys.forEach(key -> {
                entered.add(new ArrayList<>());
                exited.add(new ArrayList<>());
            });
            Sql difference = members.append(", stored AS (").include(stored).append(") SELECT coalesce(f.rule, s.rule), coalesce(f.person, s.person), "
                    + "f.person IS NOT NULL FROM fresh f FULL JOIN stored s ON s.rule = f.rule AND s.person = f.person "
                    + "WHERE f.person IS NULL OR s.person IS NULL ORDER BY 1, 2");
            try (PreparedStatement statement = reader.prepareStatement(difference.text())) {
                difference.bind(statement);
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        (row.getBoolean(3) ? entered : exited).get(row.getInt(1)).add(row.getLong(2));
                    }
                }
            }
            List<Changes> changes = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                changes.add(new Changes(keys.get(i), i, entered.get(i), exited.get(i)));
            }
            return changes;
        }

        /**
         * Makes the sets visible to rule {@code index}: a set refreshed by an earlier rule reads its
         * new members, any other one (even one a later rule refreshes) the stored ones.
         */
        private void showSetsTo(List<SetRule> rules, int index) {
            visible.clear();
            for (int j = 0; j < index; j++) {
                String members = fresh.get(j);
                if (members != null) {
                    visible.put(rules.get(j).key(), members);
                }
                else {
                    visible.remove(rules.get(j).key());
                }
            }
        }

        /**
         * RFM scores are ranks among every buyer: computed once per window for all rules, from the
         * orders and refunds kept in {@code rfm_orders}, brought up to date first.
         */
        private void precomputeRfm() throws SQLException {
            if (rfmConditions.isEmpty()) {
                return;
            }
            if (ordersKept == null) {
                rebuildOrders();
            }
            else if (incremental) {
                updateOrders();
            }
            long projectId = audience.projectId();
            for (PersonCondition.Rfm scores : rfmConditions) {
                int window = scores.windowDays();
                if (!rfm.containsKey(window)) {
                    String table = "rfm_" + window;
                    Scope scope = ConditionSql.rfmScope(audience, window);
                    if (incremental) {
                        if (!store.keptOrders().buyersCurrent(projectId, window, scope)) {
                            keepBuyers(window, scope);
                        }
                        // ranked among every buyer from the kept figures, for the persons in question only
                        execute(new Sql().append("CREATE TEMP TABLE " + table + " AS ").include(DuckDbEventAnalytics.rfmRanksOf(new Sql()
                                .append("WITH p AS (SELECT person_id AS person, user_id, recency, frequency, monetary FROM rfm_buyers "
                                        + "WHERE project_id = ? AND window_days = ?)", projectId, window), "dirty_roots")));
                    }
                    else {
                        execute(new Sql().append("CREATE TEMP TABLE " + table + " AS ").include(DuckDbEventAnalytics.rfmScores(scope, KEPT_ORDERS)));
                    }
                    rfm.put(window, table);
                }
            }
        }

        /**
         * Fills {@code rfm_buyers} with the figures of every buyer of the window's scope from the kept
         * orders: once a day per window, after which each refresh replaces only the dirty persons'.
         */
        private void keepBuyers(int window, Scope scope) throws SQLException {
            long projectId = audience.projectId();
            long mark = store.keptOrders().buyersMark(projectId);
            execute(new Sql().append("CREATE TEMP TABLE rfm_figures AS ").include(DuckDbEventAnalytics.rfmFigures(scope, KEPT_ORDERS, null)));
            store.inTransaction("keeping the buyers for RFM", reader, connection -> {
                execute(new Sql().append("DELETE FROM rfm_buyers WHERE project_id = ? AND window_days = ?", projectId, window));
                execute(new Sql().append("INSERT INTO rfm_buyers SELECT ?, ?, person, user_id, recency, frequency, monetary FROM rfm_figures "
                        + "WHERE person IN (" + DuckDbEventStore.personIds(projectId) + ")", projectId, window));
                return null;
            });
            execute(new Sql().append("DROP TABLE rfm_figures"));
            store.keptOrders().buyersKept(projectId, window, scope, mark);
        }

        /**
         * The new figures of the buyers whose orders may have changed — the dirty persons' roots and
         * the owners of orders a dirty person refunded before or after — in every window kept for
         * today, each in a temporary table {@code rfm_new_<days>}: computed from the kept orders as
         * they will be once the dirty persons' are replaced ({@code after}), before the write lock is
         * taken. Returns the windows.
         */
        private List<Integer> newBuyers(long projectId, String after) throws SQLException {
            List<Integer> windows = new ArrayList<>();
            for (int window : rfmConditions.stream().map(PersonCondition.Rfm::windowDays).distinct().toList()) {
                Scope scope = ConditionSql.rfmScope(audience, window);
                if (store.keptOrders().buyersCurrent(projectId, window, scope)) {
                    execute(new Sql().append("CREATE TEMP TABLE rfm_new_" + window + " AS ")
                            .include(DuckDbEventAnalytics.rfmFigures(scope, after, "rfm_affected")));
                    windows.add(window);
                }
            }
            return windows;
        }

        /**
         * {@code rfm_affected}: every person id whose root's figures may change with this refresh —
         * those of the owed persons' roots and of the roots owning an order refunded by an owed person,
         * in the kept orders (before they are replaced) or in the dirty events.
         */
        private void affectedBuyers(long projectId) throws SQLException {
            execute(new Sql().append("CREATE TEMP TABLE rfm_affected AS WITH refunds AS ("
                            + "SELECT order_id FROM rfm_orders WHERE project_id = ? AND event = 'Order Refunded' AND order_id IS NOT NULL "
                            + "AND person_id IN (" + OWED + ") ", projectId)
                    .append("UNION SELECT order_id FROM dirty_events WHERE event = 'Order Refunded' AND order_id IS NOT NULL "
                            + "AND person_id IN (" + OWED + ")), ")
                    .append("roots AS (SELECT coalesce(m.root_id, o.person_id) AS root FROM rfm_owed o "
                            + "LEFT JOIN person_merges m ON m.project_id = ? AND m.person_id = o.person_id ", projectId)
                    .append("UNION SELECT coalesce(m.root_id, o.person_id) FROM rfm_orders o "
                            + "LEFT JOIN person_merges m ON m.project_id = o.project_id AND m.person_id = o.person_id "
                            + "WHERE o.project_id = ? AND o.event = 'Order Completed' AND o.order_id IN (SELECT order_id FROM refunds)) ", projectId)
                    .append("SELECT root AS person_id FROM roots UNION SELECT m.person_id FROM person_merges m JOIN roots r ON r.root = m.root_id "
                            + "WHERE m.project_id = ?", projectId));
        }

        /**
         * Copies every order of the longest window and every refund of the project, then replaces the
         * kept ones with them under the write lock, without persons deleted since the copy was read:
         * the scan of every event runs without blocking ingestion.
         */
        private void rebuildOrders() throws SQLException {
            long projectId = audience.projectId();
            execute(new Sql().append("CREATE TEMP TABLE rfm_copy AS SELECT project_id, event, person_id, ts, order_id, revenue FROM "
                    + store.orderEvents() + " "
                    + "WHERE project_id = ? AND (event = 'Order Refunded' OR (event = 'Order Completed' AND ts >= ?))", projectId, ordersFrom));
            store.inTransaction("keeping the orders for RFM", reader, connection -> {
                execute(new Sql().append("DELETE FROM rfm_orders WHERE project_id = ?", projectId));
                execute(new Sql().append("INSERT INTO rfm_orders SELECT * FROM rfm_copy "
                        + "WHERE person_id IN (" + DuckDbEventStore.personIds(projectId) + ")"));
                // the buyers' figures follow the orders: kept again from these the next time they are needed
                execute(new Sql().append("DELETE FROM rfm_buyers WHERE project_id = ?", projectId));
                store.keptOrders().buyersForgotten(projectId);
                return null;
            });
            execute(new Sql().append("DROP TABLE rfm_copy"));
            store.keptOrders().updated(projectId, ordersFrom, owed);
        }

        /**
         * Replaces the kept orders and refunds of the persons owed to them (every one of them is
         * dirty: their orders, refunds or merges changed) with those of their copied events; the
         * other dirty persons' are as kept.
         */
        private void updateOrders() throws SQLException {
            long projectId = audience.projectId();
            if (owed.isEmpty()) {
                store.keptOrders().updated(projectId, ordersKept, owed);
                return;
            }
            personIds("rfm_owed", owed);
            affectedBuyers(projectId);
            execute(new Sql().append("CREATE TEMP TABLE rfm_dirty_orders AS SELECT project_id, event, person_id, ts, order_id, revenue FROM dirty_events "
                    + "WHERE (event = 'Order Refunded' OR (event = 'Order Completed' AND ts >= ?)) AND person_id IN (" + OWED + ")", ordersKept));
            // every refund (they count against anyone's orders) but only the affected persons' orders: the figures are theirs
            String after = "(SELECT project_id, event, person_id, ts, order_id, revenue, CAST(NULL AS VARCHAR) AS user_id FROM rfm_orders "
                    + "WHERE project_id = " + projectId + " AND (event = 'Order Refunded' OR person_id IN (SELECT person_id FROM rfm_affected)) "
                    + "AND person_id NOT IN (" + OWED + ") "
                    + "UNION ALL SELECT project_id, event, person_id, ts, order_id, revenue, CAST(NULL AS VARCHAR) AS user_id FROM rfm_dirty_orders)";
            List<Integer> windows = newBuyers(projectId, after);
            // under the lock only copies: persons deleted meanwhile are left out (their figures are forgotten with them)
            store.inTransaction("keeping the orders for RFM", reader, connection -> {
                execute(new Sql().append("DELETE FROM rfm_orders WHERE project_id = ? AND person_id IN (" + OWED + ")", projectId));
                execute(new Sql().append("INSERT INTO rfm_orders SELECT * FROM rfm_dirty_orders "
                        + "WHERE person_id IN (" + DuckDbEventStore.personIds(projectId) + ")"));
                for (int window : windows) {
                    execute(new Sql().append("DELETE FROM rfm_buyers WHERE project_id = ? AND window_days = ? AND person_id IN ("
                            + OWED + " UNION SELECT person_id FROM rfm_affected)", projectId, window));
                    execute(new Sql().append("INSERT INTO rfm_buyers SELECT ?, ?, person, user_id, recency, frequency, monetary FROM rfm_new_" + window
                            + " WHERE person IN (" + DuckDbEventStore.personIds(projectId) + ")", projectId, window));
                }
                return null;
            });
            store.keptOrders().updated(projectId, ordersKept, owed);
        }

        private void execute(Sql sql) throws SQLException {
            long started = System.nanoTime();
            try (PreparedStatement statement = reader.prepareStatement(sql.text())) {
                sql.bind(statement);
                statement.execute();
            }
            if (log.isDebugEnabled()) {
                String text = sql.text();
                log.debug("{} ms: {}", (System.nanoTime() - started) / 1_000_000, text.substring(0, Math.min(60, text.length())));
            }
        }
    }

    private static void collectRfm(PersonCondition condition, List<PersonCondition.Rfm> found) {
        if (condition instanceof PersonCondition.Rfm rfm) {
            found.add(rfm);
        }
        for (PersonCondition child : children(condition)) {
            collectRfm(child, found);
        }
    }

    /** Numbers the questions of the conditions the time index answers, each distinct question once. */
    private static void collectAnswerable(PersonCondition condition, Audience audience, Map<IndexedAnswers.Question, Integer> answers) {
        if (IndexedAnswers.answerable(condition)) {
            answers.putIfAbsent(IndexedAnswers.question(condition, audience), answers.size());
        }
        for (PersonCondition child : children(condition)) {
            collectAnswerable(child, audience, answers);
        }
    }

    private static void collectTraitKeys(PersonCondition condition, Set<String> keys) {
        if (condition instanceof PersonCondition.Trait trait) {
            keys.add(trait.key());
        }
        for (PersonCondition child : children(condition)) {
            collectTraitKeys(child, keys);
        }
    }

    private static void collectSets(PersonCondition condition, Set<String> keys) {
        if (condition instanceof PersonCondition.InSet set) {
            keys.add(set.key());
        }
        for (PersonCondition child : children(condition)) {
            collectSets(child, keys);
        }
    }

    private static List<PersonCondition> children(PersonCondition condition) {
        if (condition instanceof PersonCondition.All all) {
            return all.conditions();
        }
        if (condition instanceof PersonCondition.Any any) {
            return any.conditions();
        }
        if (condition instanceof PersonCondition.Not not) {
            return List.of(not.condition());
        }
        return List.of();
    }

    /**
     * The events the rules of an incremental refresh read: per event name the earliest time any
     * rule looks at (a name read by an "any event" condition only as far back as that condition),
     * and the columns their filters read. Copying only those rows keeps the dirty persons' copy small:
     * most rules look at a few weeks of a few names.
     */
    private static final class EventNeeds {

        /** Stands for "every time": a window without a start. */
        private static final Instant ALL_TIME = Instant.MIN;

        /** Per event name ({@link PersonCondition#ANY_EVENT} for every name), the earliest time read. */
        private final Map<String, Instant> starts = new TreeMap<>();
        final java.util.SortedSet<String> columns = new java.util.TreeSet<>();
        /** The names read with more than their time (a filter, the orders): these need the events table itself. */
        final Set<String> filtered = new TreeSet<>();

        /** The completed orders from {@code from} on and every refund, with the columns RFM reads. */
        void orders(Instant from) {
            need("Order Completed", from);
            need("Order Refunded", ALL_TIME);
            filtered.addAll(DuckDbEventStore.ORDER_NAMES);
            columns.add("order_id");
            columns.add("revenue");
        }

        /** The filtered names, each with the earliest time read of it (an "any event" condition included). */
        Map<String, Instant> scanned() {
            Map<String, Instant> scanned = new TreeMap<>();
            for (String name : filtered) {
                scanned.put(name, earliest(name));
            }
            return scanned;
        }

        /** Of the project's names, those read only for their time, each with the earliest time read. */
        Map<String, Instant> indexed(Set<String> projectNames) {
            boolean any = starts.containsKey(PersonCondition.ANY_EVENT);
            Map<String, Instant> indexed = new TreeMap<>();
            for (String name : projectNames) {
                if (!filtered.contains(name) && (any || starts.containsKey(name))) {
                    indexed.put(name, earliest(name));
                }
            }
            return indexed;
        }

        private Instant earliest(String name) {
            Instant own = starts.get(name);
            Instant any = starts.get(PersonCondition.ANY_EVENT);
            return own == null ? any : any == null || own.isBefore(any) ? own : any;
        }

        /** Adds what the condition reads, but nothing of the conditions {@code answered} (answered from the time index). */
        void add(PersonCondition condition, Audience audience, java.util.function.Predicate<PersonCondition> answered) {
            if (answered.test(condition)) {
                return;
            }
            if (condition instanceof PersonCondition.Did did) {
                step(new PersonCondition.Step(did.event(), did.filters()), start(did.window(), audience));
            }
            else if (condition instanceof PersonCondition.Sequence sequence) {
                Instant start = start(sequence.window(), audience);
                step(sequence.first(), start);
                step(sequence.then(), start);
            }
            else if (condition instanceof PersonCondition.Funnel funnel) {
                // later steps are never before the window's start, so its start bounds them all
                Instant start = start(funnel.window(), audience);
                funnel.steps().forEach(step -> step(step, start));
            }
            for (PersonCondition child : children(condition)) {
                add(child, audience, answered);
            }
        }

        private void step(PersonCondition.Step step, Instant start) {
            need(step.event(), start);
            if (!step.filters().isEmpty()) {
                filtered.add(step.event());
            }
            for (io.flywheel.events.EventFilter filter : step.filters()) {
                String property = filter.property();
                // a built-in property is the stored column of its name ($revenue: revenue), any other one is in the properties
                String column = Sql.COLUMNS.containsKey(property) ? property.substring(1) : "properties";
                if (!column.equals("event")) {
                    columns.add(column);
                }
            }
        }

        private void need(String name, Instant start) {
            starts.merge(name, start, (a, b) -> a.isBefore(b) ? a : b);
        }

        private static Instant start(PersonCondition.Window window, Audience audience) {
            if (window.lastDays() != null) {
                return audience.now().minusSeconds(86_400L * window.lastDays());
            }
            return window.from() == null ? ALL_TIME : window.from().atStartOfDay(audience.zone()).toInstant();
        }

        /** Appends the condition on {@code e} that keeps exactly the rows needed. */
        void filter(Sql sql) {
            if (starts.isEmpty()) {
                sql.append(" AND FALSE");
                return;
            }
            filter(sql, starts, starts.get(PersonCondition.ANY_EVENT));
        }

        /** Appends the condition keeping each name of {@code starts} from its start on, and every name from {@code any} on unless null. */
        static void filter(Sql sql, Map<String, Instant> starts, Instant any) {
            Instant earliest = starts.values().stream().min(Instant::compareTo).orElseThrow();
            if (!earliest.equals(ALL_TIME)) {
                // a plain lower bound as well: it skips whole row groups by their time range
                sql.append(" AND e.ts >= ?", earliest);
            }
            Map<Instant, List<String>> names = new TreeMap<>();
            starts.forEach((name, start) -> {
                if (!name.equals(PersonCondition.ANY_EVENT) && (any == null || start.isBefore(any))) {
                    names.computeIfAbsent(start, key -> new ArrayList<>()).add(name);
                }
            });
            // on the joined rows only (a few per dirty person), not on every event of the scan: the (never true) test on the
            // joined side keeps the optimizer from pushing this condition into the scan, where it cost more than it saved
            sql.append(" AND (d.root < 0");
            if (any != null) {
                sql.append(any.equals(ALL_TIME) ? " OR TRUE" : " OR e.ts >= ?", any.equals(ALL_TIME) ? new Object[0] : new Object[] {any});
            }
            names.forEach((start, group) -> {
                sql.append(" OR (e.event IN (" + Sql.placeholders(group.size()) + ")", group.toArray());
                sql.append(start.equals(ALL_TIME) ? ")" : " AND e.ts >= ?)", start.equals(ALL_TIME) ? new Object[0] : new Object[] {start});
            });
            sql.append(")");
        }
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes the changes in one transaction: removes who left, adds who entered unless they are
     * members already, were merged away or deleted since the snapshot the changes were computed on.
     */
    private void write(long projectId, List<Changes> changes, Instant at) {
        if (changes.stream().allMatch(change -> change.entered().isEmpty() && change.exited().isEmpty())) {
            return;
        }
        store.inTransaction("writing person sets", writer -> {
            try (Statement statement = writer.createStatement()) {
                statement.execute("CREATE OR REPLACE TEMP TABLE set_changes (set_key VARCHAR, person_id BIGINT, entered BOOLEAN)");
            }
            try (DuckDBAppender appender = writer.createAppender("temp", DuckDBConnection.DEFAULT_SCHEMA, "set_changes")) {
                for (Changes change : changes) {
                    append(appender, change.key(), change.entered(), true);
                    append(appender, change.key(), change.exited(), false);
                }
            }
            try (PreparedStatement delete = writer.prepareStatement("DELETE FROM person_sets s USING set_changes c WHERE s.project_id = ? "
                    + "AND s.set_key = c.set_key AND s.person_id = c.person_id AND NOT c.entered")) {
                delete.setLong(1, projectId);
                delete.executeUpdate();
            }
            try (PreparedStatement insert = writer.prepareStatement("""
                    INSERT INTO person_sets
                    SELECT DISTINCT ?, c.set_key, c.person_id, ? FROM set_changes c
                    WHERE c.entered
                      AND NOT EXISTS (SELECT 1 FROM person_sets s WHERE s.project_id = ? AND s.set_key = c.set_key AND s.person_id = c.person_id)
                      AND c.person_id NOT IN (SELECT person_id FROM person_merges WHERE project_id = ?)
                      AND (c.person_id IN (%s)
                           OR c.person_id IN (SELECT root_id FROM person_merges WHERE project_id = ?))""".formatted(DuckDbEventStore.personIds(projectId)))) {
                insert.setLong(1, projectId);
                insert.setObject(2, LocalDateTime.ofInstant(at, ZoneOffset.UTC));
                for (int index = 3; index <= 5; index++) {
                    insert.setLong(index, projectId);
                }
                insert.executeUpdate();
            }
            try (Statement statement = writer.createStatement()) {
                statement.execute("DROP TABLE set_changes");
            }
            return null;
        });
    }

    private static void append(DuckDBAppender appender, String key, List<Long> persons, boolean entered) throws SQLException {
        for (long person : persons) {
            appender.beginRow();
            appender.append(key);
            appender.append(person);
            appender.append(entered);
            appender.endRow();
        }
    }

    private List<SetChange> results(long projectId, List<Changes> changes) {
        Map<String, Long> sizes = sizes(projectId, changes.stream().map(Changes::key).toList());
        return changes.stream().map(change -> new SetChange(change.key(), change.entered(), change.exited(),
                sizes.getOrDefault(change.key(), 0L))).toList();
    }

    @Override
    public SetChange add(long projectId, String key, Collection<Long> personIds, Instant at) {
        PersonSets.checkKey(key);
        List<Long> entered = readIds(projectId, personIds, sql("""
                SELECT DISTINCT root FROM members WHERE (person_id IN (SELECT person_id FROM given) OR root IN (SELECT person_id FROM given))
                EXCEPT SELECT coalesce(m.root_id, s.person_id) FROM person_sets s
                LEFT JOIN person_merges m ON m.project_id = s.project_id AND m.person_id = s.person_id
                WHERE s.project_id = ? AND s.set_key = ? ORDER BY 1""", projectId, key));
        List<Changes> changes = List.of(new Changes(key, 0, entered, List.of()));
        write(projectId, changes, at);
        return results(projectId, changes).get(0);
    }

    @Override
    public SetChange addMatching(Audience audience, String key, PersonCondition condition) {
        PersonSets.checkKey(key);
        List<Long> matching = new ArrayList<>();
        matching(audience, condition, person -> matching.add(person.personId()), REFRESH);
        return add(audience.projectId(), key, matching, audience.now());
    }

    @Override
    public SetChange remove(long projectId, String key, Collection<Long> personIds) {
        PersonSets.checkKey(key);
        // stored ids that are now merged into a given person's root leave with it
        List<Long> rows = readIds(projectId, personIds, sql("""
                SELECT DISTINCT s.person_id FROM person_sets s
                LEFT JOIN person_merges m ON m.project_id = s.project_id AND m.person_id = s.person_id
                WHERE s.project_id = ? AND s.set_key = ? AND coalesce(m.root_id, s.person_id) IN (
                    SELECT coalesce(m.root_id, g.person_id) FROM given g LEFT JOIN person_merges m ON m.project_id = ? AND m.person_id = g.person_id)
                ORDER BY 1""", projectId, key, projectId));
        List<Changes> changes = List.of(new Changes(key, 0, List.of(), rows));
        write(projectId, changes, Instant.now());
        List<Long> exited = readIds(projectId, rows, sql("""
                SELECT DISTINCT coalesce(m.root_id, g.person_id) FROM given g
                LEFT JOIN person_merges m ON m.project_id = ? AND m.person_id = g.person_id ORDER BY 1""", projectId));
        SetChange written = results(projectId, changes).get(0);
        return new SetChange(key, List.of(), exited, written.size());
    }

    /** Runs a query over the given persons (a temporary table {@code given}) after the project's {@code members}. */
    private List<Long> readIds(long projectId, Collection<Long> personIds, Sql query) {
        if (personIds.isEmpty()) {
            return List.of();
        }
        try (Connection reader = store.reader()) {
            reader.setAutoCommit(false);
            try (Statement statement = reader.createStatement()) {
                statement.execute("CREATE TEMP TABLE given (person_id BIGINT)");
            }
            try (DuckDBAppender appender = reader.unwrap(DuckDBConnection.class).createAppender("temp", DuckDBConnection.DEFAULT_SCHEMA,
                    "given")) {
                for (long person : personIds) {
                    appender.beginRow();
                    appender.append(person);
                    appender.endRow();
                }
            }
            Sql sql = new Sql().append("WITH " + DuckDbPersons.MEMBERS + " ", projectId).include(query);
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement statement = reader.prepareStatement(sql.text())) {
                sql.bind(statement);
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        ids.add(row.getLong(1));
                    }
                }
            }
            reader.rollback();
            return ids;
        }
        catch (SQLException e) {
            throw new EventStoreException("reading set members failed: " + e.getMessage(), e);
        }
    }

    private static Sql sql(String text, Object... parameters) {
        return new Sql().append(text, parameters);
    }

    @Override
    public void drop(long projectId, String key) {
        PersonSets.checkKey(key);
        store.inTransaction("dropping a person set", writer -> {
            try (PreparedStatement statement = writer.prepareStatement("DELETE FROM person_sets WHERE project_id = ? AND set_key = ?")) {
                statement.setLong(1, projectId);
                statement.setString(2, key);
                statement.executeUpdate();
            }
            return null;
        });
    }

    // ---------------------------------------------------------------- reading

    @Override
    public Map<String, Long> sizes(long projectId) {
        return sizes(projectId, null);
    }

    /**
     * Members are counted as roots: rows of persons merged away since they were stored count once
     * with their root. Counted without a distinct count over every row: stored rows of persons
     * never merged away plus the roots of the others that are no members under their own id.
     * Every set is counted and the wanted ones kept: filtering the rows by a list of keys and
     * {@code NOT IN} took several times longer than a grouping of all rows and an anti join.
     */
    private Map<String, Long> sizes(long projectId, List<String> keys) {
        Sql sql = new Sql().append("SELECT set_key, sum(n) FROM (SELECT s.set_key, count(*) AS n FROM person_sets s "
                        + "ANTI JOIN (SELECT person_id FROM person_merges WHERE project_id = ?) x ON x.person_id = s.person_id "
                        + "WHERE s.project_id = ? GROUP BY 1", projectId, projectId)
                .append(" UNION ALL SELECT g.set_key, count(DISTINCT g.root) FROM (SELECT s.set_key, m.root_id AS root FROM person_sets s "
                        + "JOIN person_merges m ON m.project_id = s.project_id AND m.person_id = s.person_id WHERE s.project_id = ?) g",
                        projectId)
                .append(" WHERE NOT EXISTS (SELECT 1 FROM person_sets o WHERE o.project_id = ? AND o.set_key = g.set_key AND o.person_id = g.root)"
                        + " GROUP BY 1) GROUP BY 1 HAVING sum(n) > 0 ORDER BY 1", projectId);
        Set<String> wanted = keys == null ? null : new HashSet<>(keys);
        Map<String, Long> sizes = new TreeMap<>();
        read(sql, row -> {
            if (wanted == null || wanted.contains(row.getString(1))) {
                sizes.put(row.getString(1), row.getLong(2));
            }
        });
        return sizes;
    }

    @Override
    public Map<String, Instant> setsOf(long projectId, long personId) {
        // the person's ids first (its root and every id merged into it), then their rows as a list the scan filters
        // itself, instead of joining every stored membership with the merges for each profile read
        List<Long> ids = new ArrayList<>();
        read(new Sql().append("WITH root AS (SELECT coalesce((SELECT root_id FROM person_merges WHERE project_id = ? AND person_id = ?), ?) AS id) "
                + "SELECT id FROM root UNION SELECT m.person_id FROM person_merges m, root WHERE m.project_id = ? AND m.root_id = root.id",
                projectId, personId, personId, projectId), row -> ids.add(row.getLong(1)));
        Sql sql = new Sql().append("SELECT set_key, epoch_us(min(since)) FROM person_sets WHERE project_id = ? ", projectId)
                .append("AND person_id IN (" + Sql.placeholders(ids.size()) + ") GROUP BY 1 ORDER BY 1", ids.toArray());
        Map<String, Instant> sets = new LinkedHashMap<>();
        read(sql, row -> sets.put(row.getString(1), DuckDbEventStore.instant(row.getLong(2))));
        return sets;
    }

    /** One range scan per edge: events are stored roughly in time order, so each reads few row groups. */
    @Override
    public Set<Long> windowEdges(long projectId, Instant from, Instant to, Set<Integer> lastDays) {
        Set<Long> persons = new HashSet<>();
        if (!to.isAfter(from)) {
            return persons;
        }
        Sql sql = new Sql().append("SELECT DISTINCT person_id FROM events WHERE project_id = ? AND ts >= ? AND ts <= ?", projectId, from, to);
        for (int days : new TreeSet<>(lastDays)) {
            Duration shift = Duration.ofDays(days);
            sql.append(" UNION SELECT person_id FROM events WHERE project_id = ? AND ts >= ? AND ts <= ?", projectId, from.minus(shift),
                    to.minus(shift));
        }
        read(sql, row -> persons.add(row.getLong(1)));
        return persons;
    }

    @Override
    public Map<Long, Set<Long>> drainChanged() {
        return store.drainChanged();
    }

    @FunctionalInterface
    private interface RowConsumer {
        void accept(ResultSet row) throws SQLException;
    }

    private void read(Sql sql, RowConsumer consumer) {
        try (Connection reader = store.reader(); PreparedStatement statement = reader.prepareStatement(sql.text())) {
            sql.bind(statement);
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    consumer.accept(row);
                }
            }
        }
        catch (SQLException e) {
            throw new EventStoreException("reading person sets failed: " + e.getMessage(), e);
        }
    }
}
