package io.flywheel.events.internal;

import io.flywheel.events.Audience;
import io.flywheel.events.Breakdown;
import io.flywheel.events.LifecycleStage;
import io.flywheel.events.PersonCondition;
import io.flywheel.events.Scope;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a {@link PersonCondition} into common table expressions, each holding a set of root
 * person ids in its column {@code person}. Every expression is restricted to a universe (everyone
 * of the project, or a smaller set such as the persons of an incremental refresh or the matches
 * of the previous conditions of an AND group), so that conditions of a group are evaluated on the
 * persons still in question only, the cheap and selective ones first. The expressions follow the
 * {@code members} expression of {@link DuckDbPersons#MEMBERS}.
 */
final class ConditionSql {

    /**
     * The orders and refunds of {@code table} as RFM conditions rank them when the call did not score
     * them already, without the user id, which conditions do not need (reading it means decoding the
     * whole column).
     */
    static String orders(String table) {
        return "(SELECT project_id, event, person_id, ts, order_id, revenue, CAST(NULL AS VARCHAR) AS user_id FROM " + table + ")";
    }

    /** The universe of every root of the project. */
    static final String EVERYONE = "everyone";

    /**
     * Where the engine reads from: the events (a relation aliased {@code e} with the columns of
     * {@code events}) and the expression of their root person, the person rows (with the columns of
     * {@code members}), the sets being refreshed in the same
     * call (key to table), and precomputed RFM scores (window days to table).
     */
    record Sources(String events, String person, String members, Map<String, String> freshSets, Map<Integer, String> rfm, String orders,
            Map<IndexedAnswers.Question, Integer> answers, Map<String, String> traits) {

        /** Every event; RFM conditions rank the orders of {@code orderEvents} (the store's {@code order_events}). */
        static Sources full(String orderEvents) {
            return new Sources("events e " + Sql.MERGES, Sql.PERSON, "members", Map.of(), Map.of(), orderEvents, Map.of(), Map.of());
        }
    }

    /**
     * The traits of {@link Sources#traits()} resolved once per root person (column {@code person}),
     * one column per key, as {@link #trait} resolves a key over the rows of the members.
     */
    static final String TRAITS = "dirty_traits";

    /**
     * The statement that makes {@link #TRAITS} from the person rows of {@code members} for the keys,
     * each in the column the map gives it: one parse of the traits per row instead of one per
     * condition, and one aggregation per root.
     */
    static Sql resolvedTraits(String members, Map<String, String> columns) {
        StringBuilder paths = new StringBuilder();
        StringBuilder values = new StringBuilder();
        int index = 1;
        for (Map.Entry<String, String> column : columns.entrySet()) {
            paths.append(index == 1 ? "" : ", ").append(path(column.getKey()));
            values.append(", arg_max(v[").append(index).append("], ord) FILTER (WHERE v[").append(index).append("] IS NOT NULL) AS ")
                    .append(column.getValue());
            index++;
        }
        return new Sql().append("CREATE TEMP TABLE " + TRAITS + " AS SELECT root AS person" + values + " FROM (SELECT root, "
                + "json_extract_string(traits, [" + paths + "]) AS v, " + TRAIT_ORDER + " AS ord FROM " + members + ") GROUP BY root");
    }

    /** Which person row's value of a key counts for its root: the latest updated, the root's own on a tie. */
    private static final String TRAIT_ORDER = "{'t': coalesce(traits_updated_at, TIMESTAMP '0001-01-01'), 'r': person_id = root}";

    /** The JSON path of a trait key; the key cannot close the quoted literal: Trait allows no quotes, backslashes or control characters. */
    private static String path(String key) {
        return "'$.\"" + key + "\"'";
    }

    /**
     * The answers computed from the time index (question, root person, answer), for the questions
     * of {@link Sources#answers()}: a count of events, or 1 for a sequence done.
     */
    static final String ANSWERS = "dirty_answers";

    private final Audience audience;
    private final Sources sources;
    private final List<Sql> expressions = new ArrayList<>();
    private final Map<String, String> defined = new HashMap<>();
    private boolean everyoneDefined;
    private int next;

    ConditionSql(Audience audience, Sources sources) {
        this.audience = audience;
        this.sources = sources;
    }

    /** The expressions, each preceded by a comma, to follow {@code WITH members AS (...)}. */
    Sql expressions() {
        Sql all = new Sql();
        expressions.forEach(all::include);
        return all;
    }

    /** Compiles the condition restricted to {@code universe}; returns the name of the expression holding the result. */
    String compile(PersonCondition condition, String universe) {
        if (condition instanceof PersonCondition.All all) {
            return all(all, universe);
        }
        if (condition instanceof PersonCondition.Any any) {
            StringBuilder union = new StringBuilder();
            for (PersonCondition child : any.conditions()) {
                union.append(union.isEmpty() ? "" : " UNION ").append("SELECT person FROM ").append(compile(child, universe));
            }
            return define(new Sql().append(union.toString()));
        }
        if (condition instanceof PersonCondition.Not not) {
            String inner = compile(not.condition(), universe);
            return define(new Sql().append("SELECT person FROM " + rows(universe) + " EXCEPT SELECT person FROM " + inner));
        }
        if (condition instanceof PersonCondition.Trait trait) {
            return trait(trait, universe);
        }
        if (condition instanceof PersonCondition.Did did) {
            return did(did, universe);
        }
        if (condition instanceof PersonCondition.Sequence sequence) {
            return sequence(sequence, universe);
        }
        if (condition instanceof PersonCondition.Funnel funnel) {
            return funnel(funnel, universe);
        }
        if (condition instanceof PersonCondition.Rfm rfm) {
            return rfm(rfm, universe);
        }
        if (condition instanceof PersonCondition.Stage stage) {
            return stage(stage, universe);
        }
        if (condition instanceof PersonCondition.Touch touch) {
            return touch(touch, universe);
        }
        if (condition instanceof PersonCondition.InSet set) {
            return inSet(set, universe);
        }
        throw new IllegalArgumentException("unknown condition " + condition.getClass().getSimpleName());
    }

    /** Each condition on the matches of the ones before it, the cheapest first. */
    private String all(PersonCondition.All all, String universe) {
        List<PersonCondition> ordered = new ArrayList<>(all.conditions());
        ordered.sort(Comparator.comparingInt(ConditionSql::cost));
        String current = universe;
        for (PersonCondition child : ordered) {
            current = compile(child, current);
        }
        return current;
    }

    /** A rough rank of how much a condition reads when evaluated over everyone. */
    private static int cost(PersonCondition condition) {
        if (condition instanceof PersonCondition.InSet || condition instanceof PersonCondition.Stage) {
            return 1;
        }
        if (condition instanceof PersonCondition.Touch) {
            return 2;
        }
        if (condition instanceof PersonCondition.Did did) {
            return positive(did.count()) ? 3 : 7;
        }
        if (condition instanceof PersonCondition.Rfm) {
            return 4;
        }
        if (condition instanceof PersonCondition.Sequence || condition instanceof PersonCondition.Funnel) {
            return 5;
        }
        if (condition instanceof PersonCondition.Trait) {
            return 6;
        }
        if (condition instanceof PersonCondition.All all) {
            return all.conditions().stream().mapToInt(ConditionSql::cost).min().orElse(8);
        }
        if (condition instanceof PersonCondition.Any any) {
            return any.conditions().stream().mapToInt(ConditionSql::cost).max().orElse(8);
        }
        return 8 + (condition instanceof PersonCondition.Not not ? cost(not.condition()) : 0);
    }

    /** Whether only persons with a matching event can satisfy the count. */
    private static boolean positive(PersonCondition.Count count) {
        return count.value() > 0 && count.comparison() != PersonCondition.Count.Comparison.AT_MOST;
    }

    private String trait(PersonCondition.Trait trait, String universe) {
        String restricted = universe.equals(EVERYONE) ? "" : " WHERE %s IN (SELECT person FROM " + universe + ")";
        String column = sources.traits().get(trait.key());
        Sql sql;
        if (column != null) {
            sql = new Sql().append("SELECT person FROM (SELECT person, " + column + " AS v FROM " + TRAITS + restricted.formatted("person")
                    + ") WHERE ");
        }
        else {
            sql = new Sql().append("SELECT person FROM (SELECT root AS person, arg_max(v, ord) FILTER (WHERE v IS NOT NULL) AS v FROM ("
                            + "SELECT root, json_extract_string(traits, " + path(trait.key()) + ") AS v, " + TRAIT_ORDER + " AS ord FROM "
                            + sources.members())
                    .append(restricted.formatted("root"))
                    .append(") GROUP BY root) WHERE ");
        }
        sql.condition("v", "TRY_CAST(v AS DOUBLE)", trait.operator(), trait.values());
        return define(sql);
    }

    private String did(PersonCondition.Did did, String universe) {
        PersonCondition.Count count = did.count();
        boolean positive = positive(count);
        if (count.comparison() == PersonCondition.Count.Comparison.AT_LEAST && count.value() == 0) {
            return universe.equals(EVERYONE) ? rows(EVERYONE) : universe;
        }
        Integer answered = answered(did);
        Sql hits;
        if (answered != null) {
            hits = new Sql().append("SELECT person, answer AS n FROM " + ANSWERS + " WHERE question = ?", answered);
            if (positive && !universe.equals(EVERYONE)) {
                hits.append(" AND person IN (SELECT person FROM " + universe + ")");
            }
        }
        else {
            hits = new Sql().append("SELECT " + sources.person() + " AS person, count(*) AS n FROM " + sources.events()
                    + " WHERE e.project_id = ?", audience.projectId());
            event(hits, did.event());
            window(hits, did.window());
            hits.filters(did.filters());
            if (positive && !universe.equals(EVERYONE)) {
                hits.append(" AND " + sources.person() + " IN (SELECT person FROM " + universe + ")");
            }
            hits.append(" GROUP BY 1");
        }
        String counted = define(hits);
        if (positive) {
            String comparison = count.comparison() == PersonCondition.Count.Comparison.EXACTLY ? " = ?" : " >= ?";
            return define(new Sql().append("SELECT person FROM " + counted + " WHERE n" + comparison, count.value()));
        }
        // at most N (and exactly 0): everyone in question but those with more
        return define(new Sql().append("SELECT person FROM " + rows(universe) + " EXCEPT SELECT person FROM " + counted + " WHERE n > ?",
                count.value()));
    }

    /**
     * The events of the second step first (usually the rarer one), then those of the first step of
     * the same persons only; for each second-step event the latest first-step event strictly
     * before it (an ASOF join) decides: if that one is too early, every earlier one is too.
     */
    private String sequence(PersonCondition.Sequence sequence, String universe) {
        Integer answered = answered(sequence);
        if (answered != null) {
            return define(within(new Sql().append("SELECT person FROM " + ANSWERS + " WHERE question = ?", answered), universe));
        }
        Sql then = new Sql().append("SELECT " + sources.person() + " AS person, e.ts FROM " + sources.events() + " WHERE e.project_id = ?",
                audience.projectId());
        window(then, sequence.window());
        then.append(" AND ").include(step(sequence.then()));
        if (!universe.equals(EVERYONE)) {
            then.append(" AND " + sources.person() + " IN (SELECT person FROM " + universe + ")");
        }
        String seconds = define(then);
        Sql first = new Sql().append("SELECT " + sources.person() + " AS person, e.ts FROM " + sources.events() + " WHERE e.project_id = ?",
                audience.projectId());
        window(first, sequence.window());
        first.append(" AND ").include(step(sequence.first())).append(" AND " + sources.person() + " IN (SELECT person FROM " + seconds + ")");
        String firsts = define(first);
        long within = sequence.within().toNanos() / 1_000;
        return define(new Sql().append("SELECT DISTINCT b.person FROM " + seconds + " b ASOF JOIN " + firsts
                + " a ON b.person = a.person AND b.ts > a.ts WHERE b.ts - a.ts <= INTERVAL '" + within + " microseconds'"));
    }

    /**
     * The funnel report's {@code windowFunnel} level, by chains: for every step-1 event {@code s} in
     * the window, the greedy chain from it takes for each next step the earliest matching event at
     * or after the previous step's time (an ASOF join; at the same time is allowed because equal
     * timestamps go in step order, and one event may fill consecutive steps it matches) and stops
     * where that event is more than {@code within} after {@code s}. Taking the earliest event is
     * never worse for the steps after it, so the furthest step over every {@code s} is the report's
     * level. Chains at the same step and time keep only the latest start, which reaches at least as
     * far as any earlier one.
     */
    private String funnel(PersonCondition.Funnel funnel, String universe) {
        List<PersonCondition.Step> steps = funnel.steps();
        Sql first = new Sql().append("SELECT DISTINCT " + sources.person() + " AS person, e.ts AS s, e.ts AS t FROM " + sources.events()
                + " WHERE e.project_id = ?", audience.projectId());
        window(first, funnel.window());
        first.append(" AND ").include(step(steps.get(0)));
        if (!universe.equals(EVERYONE)) {
            first.append(" AND " + sources.person() + " IN (SELECT person FROM " + universe + ")");
        }
        List<String> chains = new ArrayList<>();
        chains.add(define(first));
        String within = "INTERVAL '" + funnel.within().toNanos() / 1_000 + " microseconds'";
        int deepest = funnel.exactly() && funnel.reached() < steps.size() ? funnel.reached() + 1 : funnel.reached();
        for (int index = 1; index < deepest; index++) {
            String previous = chains.get(index - 1);
            Sql events = new Sql().append("SELECT " + sources.person() + " AS person, e.ts FROM " + sources.events() + " WHERE e.project_id = ?",
                    audience.projectId());
            laterSteps(events, funnel.window(), funnel.within());
            events.append(" AND ").include(step(steps.get(index)))
                    .append(" AND " + sources.person() + " IN (SELECT person FROM " + previous + ")");
            String matching = define(events);
            chains.add(define(new Sql().append("SELECT c.person, max(c.s) AS s, x.ts AS t FROM " + previous + " c ASOF JOIN " + matching
                    + " x ON c.person = x.person AND c.t <= x.ts WHERE x.ts <= c.s + " + within + " GROUP BY c.person, x.ts")));
        }
        String reached = chains.get(funnel.reached() - 1);
        if (deepest == funnel.reached()) {
            return define(new Sql().append("SELECT DISTINCT person FROM " + reached));
        }
        return define(new Sql().append("SELECT person FROM " + reached + " EXCEPT SELECT person FROM " + chains.get(deepest - 1)));
    }

    /**
     * Bounds for the events of the steps after the first: none is before the window's start, and
     * none more than {@code within} after its end (for the last days, now).
     */
    private void laterSteps(Sql sql, PersonCondition.Window window, java.time.Duration within) {
        if (window.lastDays() != null) {
            Instant now = audience.now();
            sql.append(" AND e.ts >= ? AND e.ts <= ?", now.minusSeconds(86_400L * window.lastDays()), now.plus(within));
            return;
        }
        if (window.from() != null) {
            sql.append(" AND e.ts >= ?", window.from().atStartOfDay(audience.zone()).toInstant());
        }
        if (window.to() != null) {
            sql.append(" AND e.ts < ?", window.to().plusDays(1).atStartOfDay(audience.zone()).toInstant().plus(within));
        }
    }

    private static Sql step(PersonCondition.Step step) {
        Sql sql = new Sql().append("(");
        if (step.event().equals(PersonCondition.ANY_EVENT)) {
            sql.append("TRUE");
        }
        else {
            sql.append("e.event = ?", step.event());
        }
        return sql.filters(step.filters()).append(")");
    }

    private static void event(Sql sql, String event) {
        if (!event.equals(PersonCondition.ANY_EVENT)) {
            sql.append(" AND e.event = ?", event);
        }
    }

    private void window(Sql sql, PersonCondition.Window window) {
        if (window.lastDays() != null) {
            Instant now = audience.now();
            sql.append(" AND e.ts >= ? AND e.ts <= ?", now.minusSeconds(86_400L * window.lastDays()), now);
            return;
        }
        if (window.from() != null) {
            sql.append(" AND e.ts >= ?", window.from().atStartOfDay(audience.zone()).toInstant());
        }
        if (window.to() != null) {
            sql.append(" AND e.ts < ?", window.to().plusDays(1).atStartOfDay(audience.zone()).toInstant());
        }
    }

    /** The RFM scope of a window: the report's, as of today in the project's zone. */
    static Scope rfmScope(Audience audience, int windowDays) {
        LocalDate today = LocalDate.ofInstant(audience.now(), audience.zone());
        return new Scope(audience.projectId(), audience.zone(), today.minusDays(windowDays - 1L), today);
    }

    private String rfm(PersonCondition.Rfm rfm, String universe) {
        String scores = sources.rfm().get(rfm.windowDays());
        if (scores == null) {
            scores = define(DuckDbEventAnalytics.rfmScores(rfmScope(audience, rfm.windowDays()), orders(sources.orders())));
        }
        Sql sql = new Sql().append("SELECT person FROM " + scores + " WHERE r BETWEEN ? AND ? AND f BETWEEN ? AND ? AND m BETWEEN ? AND ?",
                rfm.r().min(), rfm.r().max(), rfm.f().min(), rfm.f().max(), rfm.m().min(), rfm.m().max());
        if (!rfm.segments().isEmpty()) {
            List<String> segments = rfm.segments().stream().sorted().toList();
            sql.append(" AND (CASE WHEN monetary_above THEN 'important_' ELSE 'general_' END || CASE WHEN recency_above "
                    + "THEN (CASE WHEN frequency_above THEN 'value' ELSE 'develop' END) "
                    + "ELSE (CASE WHEN frequency_above THEN 'keep' ELSE 'win_back' END) END) IN (" + Sql.placeholders(segments.size()) + ")",
                    segments.toArray());
        }
        return define(within(sql, universe));
    }

    private String stage(PersonCondition.Stage stage, String universe) {
        List<String> keys = stage.stages().stream().map(LifecycleStage::key).sorted().toList();
        Sql sql = new Sql().append("SELECT DISTINCT coalesce(m.root_id, s.person_id) AS person FROM person_stages s "
                + "LEFT JOIN person_merges m ON m.project_id = s.project_id AND m.person_id = s.person_id "
                + "WHERE s.project_id = ? AND s.stage IN (" + Sql.placeholders(keys.size()) + ")", audience.projectId());
        keys.forEach(sql::parameterValue);
        return define(within(new Sql().append("SELECT person FROM (").include(sql).append(") WHERE TRUE"), universe));
    }

    private String touch(PersonCondition.Touch touch, String universe) {
        String channel = touch.firstTouch()
                ? "arg_min(first_touch_channel, first_touch_at) FILTER (WHERE first_touch_at IS NOT NULL)"
                : "arg_max(last_touch_channel, last_touch_at) FILTER (WHERE last_touch_at IS NOT NULL)";
        Sql sql = new Sql().append("SELECT person FROM (SELECT root AS person, " + channel + " AS channel FROM " + sources.members())
                .append(universe.equals(EVERYONE) ? "" : " WHERE root IN (SELECT person FROM " + universe + ")")
                .append(" GROUP BY root) WHERE FALSE");
        List<String> named = touch.channels().stream().filter(name -> !name.equals(Breakdown.NONE)).sorted().toList();
        if (!named.isEmpty()) {
            sql.append(" OR channel IN (" + Sql.placeholders(named.size()) + ")", named.toArray());
        }
        if (touch.channels().contains(Breakdown.NONE)) {
            sql.append(" OR channel IS NULL");
        }
        return define(sql);
    }

    private String inSet(PersonCondition.InSet set, String universe) {
        String fresh = sources.freshSets().get(set.key());
        if (fresh != null) {
            return define(within(new Sql().append("SELECT person FROM " + fresh + " WHERE TRUE"), universe));
        }
        Sql stored = new Sql().append("SELECT person FROM (SELECT DISTINCT coalesce(m.root_id, s.person_id) AS person FROM person_sets s "
                + "LEFT JOIN person_merges m ON m.project_id = s.project_id AND m.person_id = s.person_id "
                + "WHERE s.project_id = ? AND s.set_key = ?) WHERE TRUE", audience.projectId(), set.key());
        return define(within(stored, universe));
    }

    /** The number of the condition's question among the answers from the time index, or null when it was not answered there. */
    private Integer answered(PersonCondition condition) {
        if (sources.answers().isEmpty() || !IndexedAnswers.answerable(condition)) {
            return null;
        }
        return sources.answers().get(IndexedAnswers.question(condition, audience));
    }

    /** Appends the restriction to the universe to a statement that ends in a WHERE clause over {@code person}. */
    private static Sql within(Sql sql, String universe) {
        if (!universe.equals(EVERYONE)) {
            sql.append(" AND person IN (SELECT person FROM " + universe + ")");
        }
        return sql;
    }

    /** The relation holding a universe's persons, defining everyone's when first needed. */
    private String rows(String universe) {
        if (universe.equals(EVERYONE) && !everyoneDefined) {
            everyoneDefined = true;
            expressions.add(0, new Sql().append(", " + EVERYONE + " AS MATERIALIZED (SELECT DISTINCT root AS person FROM members)"));
        }
        return universe;
    }

    /** Defines an expression, or reuses the same one defined before: rules compiled together share what they read alike. */
    private String define(Sql body) {
        return defined.computeIfAbsent(body.identity(), identity -> {
            String name = "c" + next++;
            expressions.add(new Sql().append(", " + name + " AS MATERIALIZED (").include(body).append(")"));
            return name;
        });
    }
}
