package io.flywheel.events;

import static java.util.Objects.requireNonNull;

import io.flywheel.shared.Page;
import io.flywheel.shared.PageRequest;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Evaluates {@link PersonCondition}s over a project's persons and keeps stored person sets: the
 * members of tags (added by hand or kept by a rule) and of segments. Members are merged persons,
 * stored as their roots; a person merged into a member after it was stored counts as that member.
 * Engine specific like {@link EventStore}; callers never see the engine.
 *
 * <p>A set is named by a key {@code kind:id} ({@code tag:12}, {@code segment:7}); the kinds belong to
 * the callers, this store only keeps members.
 */
public interface PersonSets {

    /** {@code kind:id}: a lower-case kind, a colon, and 1 to 64 letters, digits, '-' or '_'. */
    Pattern KEY = Pattern.compile("[a-z]{1,20}:[A-Za-z0-9_-]{1,64}");

    static String checkKey(String key) {
        requireNonNull(key, "key is null");
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("a set key looks like kind:id, not '" + key + "'");
        }
        return key;
    }

    /** How many persons the condition holds for. */
    long count(Audience audience, PersonCondition condition, QueryControl control);

    /**
     * A page of the persons the condition holds for (null for everyone) that also match the list
     * query (text, channel, trait, order), with the number of all of them.
     */
    Page<PersonSummary> matching(Audience audience, PersonCondition condition, PersonQuery query, PageRequest page,
            QueryControl control);

    /** Every person the condition holds for, in person id order (CSV exports). */
    void matching(Audience audience, PersonCondition condition, Consumer<PersonSummary> consumer, QueryControl control);

    /**
     * Materialises rule-kept sets in the given order (a rule may refer to sets earlier in the list):
     * afterwards each set's members are exactly the persons its condition holds for. With
     * {@code onlyPersons} (raw or root person ids), only those persons are evaluated again and every
     * other member stays as it was; null evaluates everyone. One transaction for all of them.
     *
     * @return per rule, who entered and who left the set; its size only when everyone was evaluated
     *         ({@link SetChange#NOT_COUNTED} otherwise: see {@link #sizes})
     */
    List<SetChange> refresh(Audience audience, List<SetRule> rules, Collection<Long> onlyPersons);

    /** Adds persons (raw or root ids; unknown ones are ignored) to a set; members stay as they are. */
    SetChange add(long projectId, String key, Collection<Long> personIds, Instant at);

    /** Adds every person the condition holds for to a set (bulk tagging from a segment or a rule). */
    SetChange addMatching(Audience audience, String key, PersonCondition condition);

    /** Removes persons (raw or root ids) from a set. */
    SetChange remove(long projectId, String key, Collection<Long> personIds);

    /** Removes a set and its members. */
    void drop(long projectId, String key);

    /** The number of members of each non-empty set of the project. */
    Map<String, Long> sizes(long projectId);

    /** The sets a person (raw or root id) is a member of, by key, with the time each membership began. */
    Map<String, Instant> setsOf(long projectId, long personId);

    /**
     * The persons whose events, traits or merges were written since the previous call, per project
     * (root ids at the time of the write). Kept in memory: after a restart callers refresh
     * everything once.
     */
    Map<Long, Set<Long>> drainChanged();

    /**
     * The persons (raw ids) with an event timed in {@code [from - D × 24 h, to - D × 24 h]} for one of
     * the given numbers of days D, or in {@code [from, to]}: the persons for whom a "last D days"
     * window can have changed between the two times without a new event of theirs (events left
     * the window, or events timed ahead of their arrival entered it).
     */
    Set<Long> windowEdges(long projectId, Instant from, Instant to, Set<Integer> lastDays);

    /** A rule-kept set. */
    record SetRule(String key, PersonCondition condition) {
        public SetRule {
            checkKey(key);
            requireNonNull(condition, "condition is null");
        }
    }

    /** Who entered and who left a set, and its size afterwards ({@link #NOT_COUNTED} when it was not counted). */
    record SetChange(String key, List<Long> entered, List<Long> exited, long size) {

        public static final long NOT_COUNTED = -1;

        public SetChange {
            checkKey(key);
            entered = List.copyOf(requireNonNull(entered, "entered is null"));
            exited = List.copyOf(requireNonNull(exited, "exited is null"));
        }
    }
}
