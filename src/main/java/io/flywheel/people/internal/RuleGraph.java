package io.flywheel.people.internal;

import io.flywheel.events.PersonCondition;
import io.flywheel.events.PersonSets.SetRule;
import io.flywheel.shared.InvalidInputException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rule-kept sets of a project (segments and rule tags) and the sets their rules refer to:
 * the order in which to refresh them (every set after the sets it refers to), cycles, and which
 * sets depend on a given one.
 */
public final class RuleGraph {

    private final Map<String, PersonCondition> rules;

    /** @param rules the rule of each rule-kept set, by key */
    public RuleGraph(Map<String, PersonCondition> rules) {
        this.rules = new LinkedHashMap<>(rules);
    }

    /**
     * Every rule in refresh order: a set comes after every set its rule refers to, otherwise in
     * the given order.
     *
     * @throws InvalidInputException on field {@code rule} when rules refer to each other in a cycle
     */
    public List<SetRule> ordered() {
        List<SetRule> ordered = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (String key : rules.keySet()) {
            visit(key, done, new LinkedHashSet<>(), ordered);
        }
        return ordered;
    }

    private void visit(String key, Set<String> done, LinkedHashSet<String> path, List<SetRule> ordered) {
        if (done.contains(key) || !rules.containsKey(key)) {
            return;
        }
        if (!path.add(key)) {
            List<String> cycle = new ArrayList<>(path);
            cycle = cycle.subList(cycle.indexOf(key), cycle.size());
            throw new InvalidInputException("rule", "rules refer to each other in a cycle: " + String.join(" → ", cycle) + " → " + key,
                    "segments.error.cycle", String.join(" → ", cycle) + " → " + key);
        }
        for (String reference : RuleJson.references(rules.get(key))) {
            visit(reference, done, path, ordered);
        }
        path.remove(key);
        done.add(key);
        ordered.add(new SetRule(key, rules.get(key)));
    }

    /** The given sets and every rule-kept set that refers to them, directly or not, in refresh order. */
    public List<SetRule> withDependents(Collection<String> keys) {
        Map<String, Set<String>> dependents = new HashMap<>();
        rules.forEach((key, rule) -> RuleJson.references(rule).forEach(reference -> dependents.computeIfAbsent(reference, k -> new HashSet<>())
                .add(key)));
        Set<String> wanted = new HashSet<>();
        List<String> queue = new ArrayList<>(keys);
        while (!queue.isEmpty()) {
            String key = queue.remove(queue.size() - 1);
            if (wanted.add(key)) {
                queue.addAll(dependents.getOrDefault(key, Set.of()));
            }
        }
        return ordered().stream().filter(rule -> wanted.contains(rule.key())).toList();
    }

    /**
     * The sets whose rules rank a person against everyone (RFM scores are quantiles of all buyers
     * as of today): a new order of one person can move others, so these are evaluated again for
     * everyone from time to time and after midnight.
     */
    public List<String> ranked() {
        return rules.entrySet().stream().filter(entry -> ranks(entry.getValue())).map(Map.Entry::getKey).toList();
    }

    static boolean ranks(PersonCondition condition) {
        if (condition instanceof PersonCondition.All all) {
            return all.conditions().stream().anyMatch(RuleGraph::ranks);
        }
        if (condition instanceof PersonCondition.Any any) {
            return any.conditions().stream().anyMatch(RuleGraph::ranks);
        }
        if (condition instanceof PersonCondition.Not not) {
            return ranks(not.condition());
        }
        return condition instanceof PersonCondition.Rfm;
    }

    /**
     * The lengths of the "last D days" windows of every rule: such a window slides with time, so
     * persons with events at its trailing edge are evaluated again (windows between fixed dates do
     * not slide: events arriving in them refresh their persons).
     */
    public Set<Integer> windowDays() {
        Set<Integer> days = new HashSet<>();
        rules.values().forEach(rule -> windowDays(rule, days));
        return days;
    }

    private static void windowDays(PersonCondition condition, Set<Integer> days) {
        if (condition instanceof PersonCondition.All all) {
            all.conditions().forEach(member -> windowDays(member, days));
        }
        else if (condition instanceof PersonCondition.Any any) {
            any.conditions().forEach(member -> windowDays(member, days));
        }
        else if (condition instanceof PersonCondition.Not not) {
            windowDays(not.condition(), days);
        }
        else if (condition instanceof PersonCondition.Did did && did.window().lastDays() != null) {
            days.add(did.window().lastDays());
        }
        else if (condition instanceof PersonCondition.Sequence sequence && sequence.window().lastDays() != null) {
            days.add(sequence.window().lastDays());
        }
        else if (condition instanceof PersonCondition.Funnel funnel && funnel.window().lastDays() != null) {
            days.add(funnel.window().lastDays());
        }
    }

    /** The rule-kept sets whose rules ask for a lifecycle stage. */
    public List<String> staged() {
        return rules.entrySet().stream().filter(entry -> asksForStage(entry.getValue())).map(Map.Entry::getKey).toList();
    }

    static boolean asksForStage(PersonCondition condition) {
        if (condition instanceof PersonCondition.All all) {
            return all.conditions().stream().anyMatch(RuleGraph::asksForStage);
        }
        if (condition instanceof PersonCondition.Any any) {
            return any.conditions().stream().anyMatch(RuleGraph::asksForStage);
        }
        if (condition instanceof PersonCondition.Not not) {
            return asksForStage(not.condition());
        }
        return condition instanceof PersonCondition.Stage;
    }

    /** The rule-kept sets whose rules refer to {@code key} directly. */
    public List<String> referring(String key) {
        return rules.entrySet().stream().filter(entry -> RuleJson.references(entry.getValue()).contains(key)).map(Map.Entry::getKey).toList();
    }
}
