package io.flywheel.people.internal;

import io.flywheel.events.Audience;
import io.flywheel.events.PersonSets;
import io.flywheel.events.PersonSets.SetChange;
import io.flywheel.events.PersonSets.SetRule;
import io.flywheel.events.StageTransition;
import io.flywheel.people.LifecycleStagesChanged;
import io.flywheel.people.Segment;
import io.flywheel.people.Tag;
import io.flywheel.platform.Project;
import io.flywheel.platform.Projects;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Keeps segments and rule tags current. One round runs at a time, on one thread, with a short pause
 * between rounds (while changed persons keep coming, rounds start a refresh delay apart, or back to
 * back when they take longer); a failing project is logged and started over a minute later. A round, per
 * project:
 *
 * <ol>
 * <li>the persons whose events, traits or merges changed since the last round, persons tagged by hand,
 * persons whose lifecycle stage moved, and persons with events at the trailing edge of a "last D
 * days" window (whose membership slides with time) are evaluated again in every rule set of their
 * project, in dependency order, in one call;</li>
 * <li>sets whose rule changed are evaluated for everyone, with the sets that refer to them;</li>
 * <li>the backlog of sets to evaluate for everyone (all of them after a start; RFM rules, which rank
 * a person against all buyers, every {@code fullRefreshInterval} and after midnight in the project's
 * zone, with the sets referring to them) is worked off in dependency order for at most
 * {@code fullPassBudget} per round, so that it holds up the next round's changed persons little (ten
 * times that in a round that had no changed persons or rules); while changed persons keep coming it
 * takes at most {@code fullPassShare} of the refresher's time, resting for some rounds after each
 * round that worked on it.</li>
 * </ol>
 *
 * Who entered and who left is published as {@link Segment.MembershipChanged} and
 * {@link Tag.MembershipChanged}; sizes go to the size history.
 */
@Component
public class SetRefresher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SetRefresher.class);
    private static final Duration RETRY = Duration.ofMinutes(1);
    /** More persons than this moving between stages re-evaluate the stage rules for everyone. */
    static final int MAX_MOVED_PERSONS = 50_000;
    /** How many times {@code fullPassBudget} the backlog may take in a round without changed persons or rules. */
    static final int IDLE_BUDGET_FACTOR = 10;
    /** Window edges are read a little wider than the time passed: events on an edge count on both sides. */
    private static final Duration EDGE_MARGIN = Duration.ofMillis(1);

    private final PersonSets sets;
    private final RuleSets ruleSets;
    private final SegmentStore segments;
    private final SetSizeStore sizes;
    private final Projects projects;
    private final ApplicationEventPublisher publisher;
    private final TransactionOperations transactions;
    private final Clock clock;
    private final SegmentsProperties properties;

    /** Sets whose rule changed, per project. */
    private final Map<Long, Set<String>> changedRules = new ConcurrentHashMap<>();
    /** Persons changed by this module (manual tags), per project. */
    private final Map<Long, Set<Long>> changedPersons = new ConcurrentHashMap<>();
    /** What the refresher knows of each project since the start (or since the project last failed). */
    private final Map<Long, ProjectState> states = new ConcurrentHashMap<>();
    /** When a project failed: nothing is evaluated for it before this. */
    private final Map<Long, Instant> retryAt = new ConcurrentHashMap<>();
    /** Sets deleted since the start ("project/key"): a round that was running when one went drops it again. */
    private final Set<String> dropped = ConcurrentHashMap.newKeySet();
    /** When each set was last evaluated. */
    private final Map<String, Instant> refreshed = new ConcurrentHashMap<>();
    private final Map<String, Sample> samples = new HashMap<>();
    private volatile boolean started;
    private ScheduledExecutorService executor;

    private record Sample(Instant at, long size) {
    }

    /** Guarded by the refresher's single thread. */
    private static final class ProjectState {
        /** Sets still to be evaluated for everyone, in no particular order (taken in dependency order). */
        final Set<String> backlog = new HashSet<>();
        /** Sets evaluated for everyone since the start: only their members are known to be current. */
        final Set<String> current = new HashSet<>();
        /** Up to when the trailing edges of the windows were followed. */
        Instant edgesUntil;
        /** When the sizes of every set were last sampled. */
        Instant sizedAt;
        /** Before this, rounds with changed persons leave the backlog alone (see {@code fullPassShare}). */
        Instant backlogRestsUntil;
        /** When the ranked rules were last queued, and on which day of the project's zone. */
        Instant rankedAt;
        LocalDate rankedDay;
    }

    public SetRefresher(PersonSets sets, RuleSets ruleSets, SegmentStore segments, SetSizeStore sizes, Projects projects,
            ApplicationEventPublisher publisher, TransactionOperations transactions, Clock clock, SegmentsProperties properties) {
        this.sets = sets;
        this.ruleSets = ruleSets;
        this.segments = segments;
        this.sizes = sizes;
        this.projects = projects;
        this.publisher = publisher;
        this.transactions = transactions;
        this.clock = clock;
        this.properties = properties;
    }

    /** The set's rule changed (or the set is new): it and the sets referring to it are evaluated again for everyone. */
    public void ruleChanged(long projectId, String key) {
        changedRules.computeIfAbsent(projectId, id -> ConcurrentHashMap.newKeySet()).add(key);
    }

    /** Persons changed in a way the event store does not see (manual tags): rules are evaluated again for them. */
    public void personsChanged(long projectId, Collection<Long> personIds) {
        changedPersons.computeIfAbsent(projectId, id -> ConcurrentHashMap.newKeySet()).addAll(personIds);
    }

    /**
     * A lifecycle recompute moved persons between stages: rules asking for a stage are evaluated
     * again for those persons, or for everyone when so many moved (a threshold change) that one
     * evaluation of the whole rule is cheaper.
     */
    @EventListener
    public void stagesChanged(LifecycleStagesChanged changed) {
        if (changed.transitions().size() > MAX_MOVED_PERSONS) {
            ruleSets.graph(changed.projectId()).staged().forEach(key -> ruleChanged(changed.projectId(), key));
            return;
        }
        personsChanged(changed.projectId(), changed.transitions().stream().map(StageTransition::personId).toList());
    }

    /** Removes a set whose definition was deleted: its members, its size history, and what this refresher keeps of it. */
    public void drop(long projectId, String key) {
        sets.drop(projectId, key);
        sizes.delete(projectId, key);
        forget(projectId, key);
    }

    /** The set is gone (its members were dropped). */
    public void forget(long projectId, String key) {
        dropped.add(projectId + "/" + key);
        refreshed.remove(projectId + "/" + key);
        synchronized (samples) {
            samples.remove(projectId + "/" + key);
        }
    }

    /** When the set was last evaluated since the start, if it was. */
    public Optional<Instant> refreshedAt(long projectId, String key) {
        return Optional.ofNullable(refreshed.get(projectId + "/" + key));
    }

    /** One round; never throws, so that the schedule goes on. Answers whether it evaluated changed persons. */
    public boolean round() {
        try {
            return refreshAll();
        }
        catch (RuntimeException e) {
            log.error("A round of the segment refresher failed", e);
            return false;
        }
    }

    /**
     * A round of the schedule, and the next one: a round that evaluated changed persons is followed
     * by the next one a refresh delay after it started (at once when it took longer, since more
     * changed persons are waiting by then), any other one a refresh delay after it ended.
     */
    private void scheduledRound() {
        long began = System.nanoTime();
        boolean busy = round();
        long delay = properties.refreshDelay().toNanos();
        if (busy) {
            delay = Math.max(0, delay - (System.nanoTime() - began));
        }
        if (started) {
            try {
                executor.schedule(this::scheduledRound, delay, TimeUnit.NANOSECONDS);
            }
            catch (java.util.concurrent.RejectedExecutionException e) {
                log.debug("The segment refresher is stopping");
            }
        }
    }

    private boolean refreshAll() {
        Map<Long, Set<Long>> persons;
        try {
            persons = new HashMap<>(sets.drainChanged());
        }
        catch (RuntimeException e) {
            log.error("Could not read the changed persons; evaluating everything again", e);
            states.clear();
            return false;
        }
        for (Long projectId : List.copyOf(changedPersons.keySet())) {
            Set<Long> ids = changedPersons.remove(projectId);
            if (ids != null) {
                persons.computeIfAbsent(projectId, id -> new HashSet<>()).addAll(ids);
            }
        }
        Set<Long> projectIds;
        try {
            projectIds = new HashSet<>(segments.projectsWithRules());
        }
        catch (RuntimeException e) {
            persons.forEach(this::personsChanged);
            throw e;
        }
        projectIds.addAll(changedRules.keySet());
        boolean busy = false;
        for (long projectId : projectIds) {
            try {
                busy |= refreshProject(projectId, persons.getOrDefault(projectId, Set.of()));
                retryAt.remove(projectId);
            }
            catch (RuntimeException e) {
                log.error("Refreshing the segments and tags of project {} failed; starting over in {}", projectId, RETRY, e);
                states.remove(projectId);
                retryAt.put(projectId, clock.instant().plus(RETRY));
            }
        }
        return busy;
    }

    /** One project's part of a round; answers whether it evaluated changed persons. */
    private boolean refreshProject(long projectId, Set<Long> persons) {
        Instant now = clock.instant();
        Instant retry = retryAt.get(projectId);
        if (retry != null && now.isBefore(retry)) {
            personsChanged(projectId, persons);
            return false;
        }
        Optional<Project> project = projects.find(projectId);
        Set<String> changed = changedRules.remove(projectId);
        if (project.isEmpty()) {
            states.remove(projectId);
            return false;
        }
        Audience audience = new Audience(projectId, project.get().timeZone(), now);
        RuleGraph graph = ruleSets.graph(projectId);
        List<SetRule> all = graph.ordered();
        if (all.isEmpty()) {
            return false;
        }
        LocalDate today = LocalDate.ofInstant(now, audience.zone());
        ProjectState state = states.get(projectId);
        if (state == null) {
            // members stored before the start may miss changes that were never evaluated: everything once, bit by bit
            state = new ProjectState();
            for (SetRule rule : all) {
                state.backlog.add(rule.key());
            }
            state.edgesUntil = now;
            state.rankedAt = now;
            state.rankedDay = today;
            states.put(projectId, state);
        }
        else if (!now.isBefore(state.rankedAt.plus(properties.fullRefreshInterval())) || !today.equals(state.rankedDay)) {
            for (SetRule rule : graph.withDependents(graph.ranked())) {
                state.backlog.add(rule.key());
            }
            state.rankedAt = now;
            state.rankedDay = today;
        }
        // changed persons first, so that their membership follows as soon as it can
        Set<Long> due = new HashSet<>(persons);
        Set<Integer> days = graph.windowDays();
        if (!days.isEmpty()) {
            due.addAll(sets.windowEdges(projectId, state.edgesUntil.minus(EDGE_MARGIN), now.plus(EDGE_MARGIN), days));
        }
        state.edgesUntil = now;
        if (!due.isEmpty()) {
            refresh(audience, all, due, state);
        }
        if (changed != null && !changed.isEmpty()) {
            List<SetRule> rules = graph.withDependents(changed);
            if (!rules.isEmpty()) {
                refresh(audience, rules, null, state);
                for (SetRule rule : rules) {
                    state.backlog.remove(rule.key());
                }
            }
        }
        // a round that had nothing else to do gives the backlog more time: after a start without traffic it is done sooner
        boolean idle = due.isEmpty() && (changed == null || changed.isEmpty());
        if (idle || state.backlogRestsUntil == null || !clock.instant().isBefore(state.backlogRestsUntil)) {
            Instant from = clock.instant();
            boolean worked = workOffBacklog(audience, all, state,
                    idle ? properties.fullPassBudget().multipliedBy(IDLE_BUDGET_FACTOR) : properties.fullPassBudget());
            if (worked && !idle) {
                // while changed persons keep coming, the backlog gets at most its share of the refresher's time
                Instant to = clock.instant();
                long spent = Duration.between(from, to).toNanos();
                state.backlogRestsUntil = to.plusNanos((long) (spent * (1 - properties.fullPassShare()) / properties.fullPassShare()));
            }
        }
        sampleAll(projectId, all, state, now);
        return !persons.isEmpty();
    }

    /**
     * Evaluates sets of the backlog for everyone, in dependency order, until the budget is spent (at
     * least one); answers whether it evaluated any.
     */
    private boolean workOffBacklog(Audience audience, List<SetRule> all, ProjectState state, Duration budget) {
        state.backlog.retainAll(all.stream().map(SetRule::key).toList());
        Instant until = clock.instant().plus(budget);
        boolean first = true;
        for (SetRule rule : all) {
            if (state.backlog.isEmpty() || !first && !clock.instant().isBefore(until)) {
                break;
            }
            if (state.backlog.remove(rule.key())) {
                refresh(audience, List.of(rule), null, state);
                first = false;
            }
        }
        return !first;
    }

    private void refresh(Audience audience, List<SetRule> rules, Collection<Long> persons, ProjectState state) {
        long started = System.nanoTime();
        List<SetChange> changes = sets.refresh(audience, rules, persons);
        log.debug("Refreshed {} sets of project {} for {} in {} ms", rules.size(), audience.projectId(),
                persons == null ? "everyone" : persons.size() + " persons", (System.nanoTime() - started) / 1_000_000);
        for (SetChange change : changes) {
            if (dropped.contains(audience.projectId() + "/" + change.key())) {
                sets.drop(audience.projectId(), change.key());
                continue;
            }
            if (persons == null) {
                state.current.add(change.key());
            }
            if (state.current.contains(change.key())) {
                refreshed.put(audience.projectId() + "/" + change.key(), audience.now());
            }
            if (change.size() != SetChange.NOT_COUNTED) {
                sample(audience.projectId(), change.key(), change.size(), audience.now());
            }
            if (!change.entered().isEmpty() || !change.exited().isEmpty()) {
                publish(audience.projectId(), change);
            }
        }
    }

    private void publish(long projectId, SetChange change) {
        String[] parts = change.key().split(":", 2);
        long id = Long.parseLong(parts[1]);
        Object event = parts[0].equals("tag") ? new Tag.MembershipChanged(projectId, id, change.entered(), change.exited())
                : new Segment.MembershipChanged(projectId, id, change.entered(), change.exited());
        transactions.executeWithoutResult(status -> publisher.publishEvent(event));
    }

    /**
     * Samples the size of every set of the project at most once per {@code sampleInterval} (and at a
     * new hour): an incremental refresh does not count members, which takes a scan of them all.
     */
    private void sampleAll(long projectId, List<SetRule> all, ProjectState state, Instant now) {
        boolean newHour = state.sizedAt != null && !state.sizedAt.truncatedTo(ChronoUnit.HOURS).equals(now.truncatedTo(ChronoUnit.HOURS));
        if (state.sizedAt != null && !newHour && now.isBefore(state.sizedAt.plus(properties.sampleInterval()))) {
            return;
        }
        Map<String, Long> current = sets.sizes(projectId);
        for (SetRule rule : all) {
            if (!dropped.contains(projectId + "/" + rule.key())) {
                sample(projectId, rule.key(), current.getOrDefault(rule.key(), 0L), now);
            }
        }
        state.sizedAt = now;
    }

    private void sample(long projectId, String setKey, long size, Instant now) {
        String key = projectId + "/" + setKey;
        synchronized (samples) {
            Sample last = samples.get(key);
            boolean newHour = last == null || !last.at().truncatedTo(ChronoUnit.HOURS).equals(now.truncatedTo(ChronoUnit.HOURS));
            boolean moved = last != null && last.size() != size && !now.isBefore(last.at().plus(properties.sampleInterval()));
            if (newHour || moved) {
                sizes.record(projectId, setKey, now, size);
                samples.put(key, new Sample(now, size));
            }
        }
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "segment-refresher");
            thread.setDaemon(true);
            return thread;
        });
        started = true;
        executor.schedule(this::scheduledRound, properties.refreshDelay().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        started = false;
        if (executor != null) {
            executor.shutdown();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return started;
    }
}
