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
 * Keeps segments and rule tags current. One round runs at a time, on one thread, with a pause
 * between rounds; a failing project is logged and retried with a full refresh a minute later. A
 * round:
 *
 * <ol>
 * <li>sets whose rule changed are evaluated for everyone, with the sets that refer to them;</li>
 * <li>the persons whose events, traits or merges changed since the last round (and persons tagged by
 * hand) are evaluated again in every rule set of their project, in dependency order, in one call;</li>
 * <li>every rule set of a project is evaluated for everyone at start; rules whose truth slides with
 * time ("last D days", RFM as of today, lifecycle stages) and the sets referring to them again every
 * {@code fullRefreshInterval} and after midnight in the project's zone.</li>
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
    /** When each project was last refreshed for everyone, and on which day of its zone. */
    private final Map<Long, Instant> lastFull = new ConcurrentHashMap<>();
    private final Map<Long, LocalDate> lastFullDay = new ConcurrentHashMap<>();
    /** When a project failed: no full refresh before this. */
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

    /** One round; never throws, so that the schedule goes on. */
    public void round() {
        try {
            refreshAll();
        }
        catch (RuntimeException e) {
            log.error("A round of the segment refresher failed", e);
        }
    }

    private void refreshAll() {
        Map<Long, Set<Long>> persons;
        try {
            persons = new HashMap<>(sets.drainChanged());
        }
        catch (RuntimeException e) {
            log.error("Could not read the changed persons; refreshing everything next", e);
            lastFull.clear();
            return;
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
        for (long projectId : projectIds) {
            try {
                refreshProject(projectId, persons.getOrDefault(projectId, Set.of()));
                retryAt.remove(projectId);
            }
            catch (RuntimeException e) {
                log.error("Refreshing the segments and tags of project {} failed; retrying everything in {}", projectId, RETRY, e);
                lastFull.remove(projectId);
                retryAt.put(projectId, clock.instant().plus(RETRY));
            }
        }
    }

    private void refreshProject(long projectId, Set<Long> persons) {
        Optional<Project> project = projects.find(projectId);
        Set<String> changed = changedRules.remove(projectId);
        if (project.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        Audience audience = new Audience(projectId, project.get().timeZone(), now);
        RuleGraph graph = ruleSets.graph(projectId);
        List<SetRule> all = graph.ordered();
        if (all.isEmpty()) {
            return;
        }
        if (fullRefreshDue(projectId, audience)) {
            boolean first = !lastFull.containsKey(projectId);
            Set<String> keys = new HashSet<>(graph.sliding());
            if (changed != null) {
                keys.addAll(changed);
            }
            // at start everything; later only what slides with time (and what refers to it)
            List<SetRule> rules = first ? all : graph.withDependents(keys);
            if (!rules.isEmpty()) {
                refresh(audience, rules, null);
            }
            lastFull.put(projectId, now);
            lastFullDay.put(projectId, LocalDate.ofInstant(now, audience.zone()));
            if (first) {
                return;
            }
            changed = null;
        }
        if (changed != null && !changed.isEmpty()) {
            List<SetRule> rules = graph.withDependents(changed);
            if (!rules.isEmpty()) {
                refresh(audience, rules, null);
            }
        }
        if (!persons.isEmpty()) {
            refresh(audience, all, persons);
        }
    }

    private boolean fullRefreshDue(long projectId, Audience audience) {
        Instant retry = retryAt.get(projectId);
        if (retry != null && audience.now().isBefore(retry)) {
            return false;
        }
        Instant last = lastFull.get(projectId);
        if (last == null || !audience.now().isBefore(last.plus(properties.fullRefreshInterval()))) {
            return true;
        }
        return !LocalDate.ofInstant(audience.now(), audience.zone()).equals(lastFullDay.get(projectId));
    }

    private void refresh(Audience audience, List<SetRule> rules, Collection<Long> persons) {
        long started = System.nanoTime();
        List<SetChange> changes = sets.refresh(audience, rules, persons);
        log.debug("Refreshed {} sets of project {} for {} in {} ms", rules.size(), audience.projectId(),
                persons == null ? "everyone" : persons.size() + " persons", (System.nanoTime() - started) / 1_000_000);
        for (SetChange change : changes) {
            if (dropped.contains(audience.projectId() + "/" + change.key())) {
                sets.drop(audience.projectId(), change.key());
                continue;
            }
            refreshed.put(audience.projectId() + "/" + change.key(), audience.now());
            sample(audience.projectId(), change, audience.now());
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

    private void sample(long projectId, SetChange change, Instant now) {
        String key = projectId + "/" + change.key();
        synchronized (samples) {
            Sample last = samples.get(key);
            boolean newHour = last == null || !last.at().truncatedTo(ChronoUnit.HOURS).equals(now.truncatedTo(ChronoUnit.HOURS));
            boolean moved = last != null && last.size() != change.size() && !now.isBefore(last.at().plus(properties.sampleInterval()));
            if (newHour || moved) {
                sizes.record(projectId, change.key(), now, change.size());
                samples.put(key, new Sample(now, change.size()));
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
        long delay = properties.refreshDelay().toMillis();
        executor.scheduleWithFixedDelay(this::round, delay, delay, TimeUnit.MILLISECONDS);
        started = true;
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
