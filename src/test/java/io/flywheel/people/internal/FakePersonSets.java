package io.flywheel.people.internal;

import io.flywheel.events.Audience;
import io.flywheel.events.EventFilter;
import io.flywheel.events.PersonCondition;
import io.flywheel.events.PersonQuery;
import io.flywheel.events.PersonSets;
import io.flywheel.events.PersonSummary;
import io.flywheel.events.QueryControl;
import io.flywheel.shared.Page;
import io.flywheel.shared.PageRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Person sets in memory for the refresher's tests: persons with flat traits, and conditions made of
 * groups, trait equality, stages (a trait "stage") and set membership. Records every refresh call.
 */
final class FakePersonSets implements PersonSets {

    /** project → person → traits */
    final Map<Long, Map<Long, Map<String, String>>> persons = new HashMap<>();
    /** "project/key" → members */
    final Map<String, TreeSet<Long>> members = new TreeMap<>();
    final List<String> refreshes = new ArrayList<>();
    Map<Long, Set<Long>> changed = new HashMap<>();
    /** What {@link #windowEdges} answers per project, and how it was asked ("from to [days]"). */
    final Map<Long, Set<Long>> edges = new HashMap<>();
    final List<String> edgeCalls = new ArrayList<>();
    RuntimeException failure;
    /** Runs once at the start of the next refresh, as if it happened while the refresh ran. */
    Runnable duringRefresh;
    /** Runs at the start of every refresh (a test's clock moving on, as if the refresh took time). */
    Runnable eachRefresh = () -> { };

    void person(long projectId, long personId, String key, String value) {
        persons.computeIfAbsent(projectId, id -> new TreeMap<>()).computeIfAbsent(personId, id -> new HashMap<>()).put(key, value);
        changed.computeIfAbsent(projectId, id -> new TreeSet<>()).add(personId);
    }

    TreeSet<Long> members(long projectId, String key) {
        return members.getOrDefault(projectId + "/" + key, new TreeSet<>());
    }

    boolean holds(long projectId, long person, PersonCondition condition) {
        if (condition instanceof PersonCondition.All all) {
            return all.conditions().stream().allMatch(member -> holds(projectId, person, member));
        }
        if (condition instanceof PersonCondition.Any any) {
            return any.conditions().stream().anyMatch(member -> holds(projectId, person, member));
        }
        if (condition instanceof PersonCondition.Not not) {
            return !holds(projectId, person, not.condition());
        }
        if (condition instanceof PersonCondition.InSet set) {
            return members(projectId, set.key()).contains(person);
        }
        if (condition instanceof PersonCondition.Did did) {
            // behaviour stands in as a trait "did:<event>" of the person, whatever the window
            return "yes".equals(persons.get(projectId).get(person).get("did:" + did.event()));
        }
        if (condition instanceof PersonCondition.Rfm rfm) {
            // the RFM segment stands in as a trait "rfm" of the person
            String segment = persons.get(projectId).get(person).get("rfm");
            return segment != null && rfm.segments().contains(segment);
        }
        if (condition instanceof PersonCondition.Stage stage) {
            // the stage stands in as a trait "stage" of the person
            String key = persons.get(projectId).get(person).get("stage");
            return stage.stages().stream().anyMatch(candidate -> candidate.key().equals(key));
        }
        if (condition instanceof PersonCondition.Trait trait && trait.operator() == EventFilter.Operator.EQUALS) {
            return trait.values().contains(persons.get(projectId).get(person).get(trait.key()));
        }
        throw new UnsupportedOperationException(condition.toString());
    }

    private List<Long> all(long projectId) {
        return new ArrayList<>(persons.getOrDefault(projectId, Map.of()).keySet());
    }

    @Override
    public long count(Audience audience, PersonCondition condition, QueryControl control) {
        return all(audience.projectId()).stream().filter(person -> holds(audience.projectId(), person, condition)).count();
    }

    @Override
    public Page<PersonSummary> matching(Audience audience, PersonCondition condition, PersonQuery query, PageRequest page,
            QueryControl control) {
        List<PersonSummary> found = new ArrayList<>();
        matching(audience, condition, found::add, control);
        List<PersonSummary> items = found.subList((int) Math.min(found.size(), page.offset()),
                (int) Math.min(found.size(), page.offset() + page.size()));
        return new Page<>(items, page.page(), page.size(), found.size());
    }

    @Override
    public void matching(Audience audience, PersonCondition condition, Consumer<PersonSummary> consumer, QueryControl control) {
        for (long person : all(audience.projectId())) {
            if (condition == null || holds(audience.projectId(), person, condition)) {
                consumer.accept(new PersonSummary(person, Instant.EPOCH, Instant.EPOCH, 1, "u" + person, null, "{}"));
            }
        }
    }

    @Override
    public List<SetChange> refresh(Audience audience, List<SetRule> rules, Collection<Long> onlyPersons) {
        if (failure != null) {
            throw failure;
        }
        if (duringRefresh != null) {
            Runnable action = duringRefresh;
            duringRefresh = null;
            action.run();
        }
        eachRefresh.run();
        refreshes.add(rules.stream().map(SetRule::key).toList() + (onlyPersons == null ? " everyone" : " " + new TreeSet<>(onlyPersons)));
        List<SetChange> changes = new ArrayList<>();
        for (SetRule rule : rules) {
            TreeSet<Long> set = members.computeIfAbsent(audience.projectId() + "/" + rule.key(), key -> new TreeSet<>());
            List<Long> entered = new ArrayList<>();
            List<Long> exited = new ArrayList<>();
            for (long person : onlyPersons == null ? all(audience.projectId()) : onlyPersons) {
                boolean holds = holds(audience.projectId(), person, rule.condition());
                if (holds && set.add(person)) {
                    entered.add(person);
                }
                else if (!holds && set.remove(person)) {
                    exited.add(person);
                }
            }
            changes.add(new SetChange(rule.key(), entered, exited, onlyPersons == null ? set.size() : SetChange.NOT_COUNTED));
        }
        return changes;
    }

    @Override
    public SetChange add(long projectId, String key, Collection<Long> personIds, Instant at) {
        TreeSet<Long> set = members.computeIfAbsent(projectId + "/" + key, k -> new TreeSet<>());
        List<Long> entered = personIds.stream().filter(set::add).toList();
        return new SetChange(key, entered, List.of(), set.size());
    }

    @Override
    public SetChange addMatching(Audience audience, String key, PersonCondition condition) {
        List<Long> persons = new ArrayList<>();
        matching(audience, condition, person -> persons.add(person.personId()), null);
        return add(audience.projectId(), key, persons, audience.now());
    }

    @Override
    public SetChange remove(long projectId, String key, Collection<Long> personIds) {
        TreeSet<Long> set = members.computeIfAbsent(projectId + "/" + key, k -> new TreeSet<>());
        List<Long> exited = personIds.stream().filter(set::remove).toList();
        return new SetChange(key, List.of(), exited, set.size());
    }

    @Override
    public void drop(long projectId, String key) {
        members.remove(projectId + "/" + key);
    }

    @Override
    public Map<String, Long> sizes(long projectId) {
        Map<String, Long> sizes = new TreeMap<>();
        members.forEach((key, set) -> {
            if (key.startsWith(projectId + "/") && !set.isEmpty()) {
                sizes.put(key.substring(key.indexOf('/') + 1), (long) set.size());
            }
        });
        return sizes;
    }

    @Override
    public Map<String, Instant> setsOf(long projectId, long personId) {
        Map<String, Instant> sets = new TreeMap<>();
        members.forEach((key, set) -> {
            if (key.startsWith(projectId + "/") && set.contains(personId)) {
                sets.put(key.substring(key.indexOf('/') + 1), Instant.EPOCH);
            }
        });
        return sets;
    }

    @Override
    public Set<Long> windowEdges(long projectId, Instant from, Instant to, Set<Integer> lastDays) {
        edgeCalls.add(from + " " + to + " " + new TreeSet<>(lastDays));
        return edges.getOrDefault(projectId, Set.of());
    }

    @Override
    public Map<Long, Set<Long>> drainChanged() {
        Map<Long, Set<Long>> drained = changed;
        changed = new HashMap<>();
        return drained;
    }
}
