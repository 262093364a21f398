package io.flywheel.events.internal;

import io.flywheel.events.Scope;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What is known of the orders and refunds that person sets keep per project in {@code rfm_orders}
 * for RFM: since when the completed orders are kept, and which changed persons were handed out by
 * {@code drainChanged} with orders, refunds or merges (the changes that alter the copy or a buyer's
 * figures) but not yet applied to the copy. An incremental refresh may only bring the copy up to
 * date when it is given every such person, and need only replace theirs; otherwise (a call without RFM rules, a
 * project skipped, a failed call) the copy is rebuilt. Nothing kept means nothing known: after a
 * restart the first call rebuilds.
 */
final class KeptOrders {

    /** Per project: the first instant of the completed orders kept; guarded by this. */
    private final Map<Long, Instant> since = new HashMap<>();
    /**
     * Per project with a kept copy or one being built: persons drained with changed orders since it
     * was last brought up to date; guarded by this.
     */
    private final Map<Long, Set<Long>> owed = new HashMap<>();

    /**
     * Per project and RFM window: the scope whose figures of every buyer {@code rfm_buyers} holds,
     * kept with the orders (brought up to date from the same persons); guarded by this.
     */
    private final Map<Long, Map<Integer, Scope>> buyers = new HashMap<>();
    /** Per project: how often its kept buyers were forgotten, so that a fill read before cannot note them kept; guarded by this. */
    private final Map<Long, Long> forgotten = new HashMap<>();

    /** Notes drained persons whose orders, refunds or merges changed. */
    synchronized void drained(Map<Long, Set<Long>> persons) {
        persons.forEach((projectId, ids) -> {
            if (owed.containsKey(projectId)) {
                owed.computeIfAbsent(projectId, key -> new HashSet<>()).addAll(ids);
            }
        });
    }

    /**
     * Whether the kept copy of the project holds the completed orders from {@code from} on and can
     * be brought up to date from {@code persons} alone.
     */
    synchronized boolean current(long projectId, Instant from, Collection<Long> persons) {
        Instant kept = since.get(projectId);
        if (kept == null || kept.isAfter(from)) {
            return false;
        }
        Set<Long> missing = owed.getOrDefault(projectId, Set.of());
        return missing.isEmpty() || (persons != null && persons.containsAll(missing));
    }

    /** The first instant of the completed orders kept, or null. */
    synchronized Instant since(long projectId) {
        return since.get(projectId);
    }

    /**
     * Notes the copy rebuilt or brought up to date from a snapshot taken after {@code owedBefore}
     * was read; persons drained since are still owed.
     */
    synchronized void updated(long projectId, Instant from, Set<Long> owedBefore) {
        since.put(projectId, from);
        Set<Long> left = owed.getOrDefault(projectId, new HashSet<>());
        left.removeAll(owedBefore);
        owed.put(projectId, left);
    }

    /** Notes a rebuild starting: from now on drained persons are noted for the project. */
    synchronized void rebuilding(long projectId) {
        owed.putIfAbsent(projectId, new HashSet<>());
    }

    /** The persons owed now, for {@link #updated}. */
    synchronized Set<Long> owed(long projectId) {
        return Set.copyOf(owed.getOrDefault(projectId, Set.of()));
    }

    synchronized void forget(long projectId) {
        since.remove(projectId);
        owed.remove(projectId);
        buyersForgotten(projectId);
    }

    /** Whether {@code rfm_buyers} holds the figures of every buyer of the window's scope, kept with the orders. */
    synchronized boolean buyersCurrent(long projectId, int windowDays, Scope scope) {
        return scope.equals(buyers.getOrDefault(projectId, Map.of()).get(windowDays));
    }

    /** A mark to pass to {@link #buyersKept} for a fill that starts now. */
    synchronized long buyersMark(long projectId) {
        return forgotten.getOrDefault(projectId, 0L);
    }

    /**
     * Notes {@code rfm_buyers} filled with every buyer of the window's scope by a fill that began at
     * {@code mark}; unless the project's buyers were forgotten since.
     */
    synchronized void buyersKept(long projectId, int windowDays, Scope scope, long mark) {
        if (mark == buyersMark(projectId)) {
            buyers.computeIfAbsent(projectId, key -> new HashMap<>()).put(windowDays, scope);
        }
    }

    /** Notes the kept figures of the project's buyers no longer to be trusted (the orders were replaced, a person deleted). */
    synchronized void buyersForgotten(long projectId) {
        buyers.remove(projectId);
        forgotten.merge(projectId, 1L, Long::sum);
    }
}
