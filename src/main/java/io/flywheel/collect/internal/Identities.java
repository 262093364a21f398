package io.flywheel.collect.internal;

import io.flywheel.events.IdentityLink;
import io.flywheel.events.PersonDeleted;
import io.flywheel.events.PersonMerge;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The identity graph, kept in memory by the single applier thread and persisted as links and
 * merges with each applied batch. Rules: an anonymous person is merged into the person of the
 * userId that identifies it; a person that already has a userId is never merged away by identify
 * (a shared device does not join two customers), but alias merges on request.
 */
final class Identities {

    /** What resolving one message changed, to be written with its batch. */
    record Changes(List<IdentityLink> links, List<PersonMerge> merges) {
        Changes() {
            this(new ArrayList<>(), new ArrayList<>());
        }
    }

    private final Map<Long, Map<String, Long>> persons = new HashMap<>();
    private final Map<Long, Map<Long, Long>> roots = new HashMap<>();
    private final Map<Long, Set<Long>> identified = new HashMap<>();
    private final Map<Long, Long> lastPerson = new HashMap<>();

    /** Rebuilds state from a stored link (on start). */
    void load(IdentityLink link) {
        persons.computeIfAbsent(link.projectId(), p -> new HashMap<>()).put(link.distinctId(), link.personId());
        lastPerson.merge(link.projectId(), link.personId(), Math::max);
        if (link.userId()) {
            identified.computeIfAbsent(link.projectId(), p -> new HashSet<>()).add(link.personId());
        }
    }

    /** Rebuilds state from a stored merge (on start). */
    void load(PersonMerge merge) {
        roots.computeIfAbsent(merge.projectId(), p -> new HashMap<>()).put(merge.from(), merge.into());
    }

    /** After loading: a merged person's root counts as identified when any of its persons was. */
    void finishLoading() {
        identified.forEach((project, people) -> {
            Set<Long> rooted = new HashSet<>();
            for (Long person : people) {
                rooted.add(root(project, person));
            }
            people.addAll(rooted);
        });
    }

    /**
     * Forgets a deleted person: its ids resolve to a new person from now on, as after a restart.
     * Person ids are not handed out again.
     */
    void forget(PersonDeleted deleted) {
        long project = deleted.projectId();
        Set<Long> gone = new HashSet<>(deleted.personIds());
        Map<String, Long> projectPersons = persons.get(project);
        if (projectPersons != null) {
            projectPersons.values().removeIf(gone::contains);
        }
        Map<Long, Long> projectRoots = roots.get(project);
        if (projectRoots != null) {
            projectRoots.entrySet().removeIf(entry -> gone.contains(entry.getKey()) || gone.contains(entry.getValue()));
        }
        Set<Long> projectIdentified = identified.get(project);
        if (projectIdentified != null) {
            projectIdentified.removeAll(gone);
        }
    }

    /** Makes sure new person ids stay above ids that events already use (for example the demo's). */
    void reserveUpTo(long projectId, long personId) {
        lastPerson.merge(projectId, personId, Math::max);
    }

    /** Resolves the person of a message, recording new links and merges in {@code changes}. */
    long resolve(Message message, Changes changes) {
        long project = message.projectId();
        if (message.type().equals("alias")) {
            long target = personOf(project, message.userId(), true, changes);
            Long previous = find(project, message.previousId());
            if (previous == null) {
                link(project, message.previousId(), target, false, changes);
            }
            else if (previous != target) {
                merge(project, previous, target, message.timestamp(), changes);
            }
            return root(project, target);
        }
        if (message.userId() == null) {
            return personOf(project, message.anonymousId(), false, changes);
        }
        long user = personOf(project, message.userId(), true, changes);
        if (message.anonymousId() != null) {
            Long anonymous = find(project, message.anonymousId());
            if (anonymous == null) {
                link(project, message.anonymousId(), user, false, changes);
            }
            else if (anonymous != user && !isIdentified(project, anonymous)) {
                merge(project, anonymous, user, message.timestamp(), changes);
            }
        }
        return root(project, user);
    }

    private long personOf(long project, String distinctId, boolean isUserId, Changes changes) {
        Long known = find(project, distinctId);
        if (known != null) {
            if (isUserId) {
                identified.computeIfAbsent(project, p -> new HashSet<>()).add(known);
            }
            return known;
        }
        long person = lastPerson.merge(project, 1L, Long::sum);
        link(project, distinctId, person, isUserId, changes);
        return person;
    }

    private Long find(long project, String distinctId) {
        Long person = persons.getOrDefault(project, Map.of()).get(distinctId);
        return person == null ? null : root(project, person);
    }

    private void link(long project, String distinctId, long person, boolean isUserId, Changes changes) {
        persons.computeIfAbsent(project, p -> new HashMap<>()).put(distinctId, person);
        if (isUserId) {
            identified.computeIfAbsent(project, p -> new HashSet<>()).add(person);
        }
        changes.links().add(new IdentityLink(project, distinctId, person, isUserId));
    }

    private void merge(long project, long from, long into, Instant at, Changes changes) {
        Map<Long, Long> projectRoots = roots.computeIfAbsent(project, p -> new HashMap<>());
        projectRoots.replaceAll((person, root) -> root == from ? into : root);
        projectRoots.put(from, into);
        if (isIdentified(project, from)) {
            identified.get(project).add(into);
        }
        changes.merges().add(new PersonMerge(project, from, into, at));
    }

    private boolean isIdentified(long project, long person) {
        return identified.getOrDefault(project, Set.of()).contains(person);
    }

    long root(long project, long person) {
        Long root = roots.getOrDefault(project, Map.of()).get(person);
        return root == null ? person : root;
    }
}
