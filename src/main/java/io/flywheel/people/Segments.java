package io.flywheel.people;

import io.flywheel.events.Audience;
import io.flywheel.events.PersonCondition;
import io.flywheel.events.PersonQuery;
import io.flywheel.events.PersonSets;
import io.flywheel.events.PersonSummary;
import io.flywheel.events.QueryControl;
import io.flywheel.people.internal.RuleSets;
import io.flywheel.people.internal.SegmentStore;
import io.flywheel.people.internal.SegmentsProperties;
import io.flywheel.people.internal.SetRefresher;
import io.flywheel.people.internal.SetSizeStore;
import io.flywheel.platform.AuditLog;
import io.flywheel.platform.Project;
import io.flywheel.shared.ConflictException;
import io.flywheel.shared.InvalidInputException;
import io.flywheel.shared.NotFoundException;
import io.flywheel.shared.Page;
import io.flywheel.shared.PageRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.stereotype.Service;

/**
 * Segments of a project: their definitions, live counts of rules, their members (kept current by
 * the refresher) and their size over time. Callers check access to the project first. Creates,
 * changes, deletions and exports are written to the audit log.
 */
@Service
public class Segments {

    static final int MAX_NAME = 200;
    static final int MAX_DESCRIPTION = 2000;

    private final SegmentStore store;
    private final RuleSets ruleSets;
    private final PersonSets sets;
    private final SetRefresher refresher;
    private final SetSizeStore sizes;
    private final AuditLog audit;
    private final Clock clock;
    private final SegmentsProperties properties;

    public Segments(SegmentStore store, RuleSets ruleSets, PersonSets sets, SetRefresher refresher, SetSizeStore sizes, AuditLog audit,
            Clock clock, SegmentsProperties properties) {
        this.store = store;
        this.ruleSets = ruleSets;
        this.sets = sets;
        this.refresher = refresher;
        this.sizes = sizes;
        this.audit = audit;
        this.clock = clock;
        this.properties = properties;
    }

    /**
     * A segment with its current size, the change against the size a day ago (null without a
     * sample that old) and when its members were last evaluated (null before the first time).
     */
    public record Summary(Segment segment, long size, Long change, Instant refreshedAt) {
    }

    /** The project's segments by name. */
    public List<Summary> list(long projectId) {
        Map<String, Long> current = sets.sizes(projectId);
        Map<String, SetSize> dayAgo = sizes.latestBefore(projectId, clock.instant().minus(Duration.ofDays(1)));
        List<Summary> summaries = new ArrayList<>();
        for (Segment segment : store.all(projectId)) {
            long size = current.getOrDefault(segment.key(), 0L);
            SetSize before = dayAgo.get(segment.key());
            summaries.add(new Summary(segment, size, before == null ? null : size - before.size(),
                    refresher.refreshedAt(projectId, segment.key()).orElse(null)));
        }
        return summaries;
    }

    /** The segments a person (raw or root id) is in, by name, with the time each membership began. */
    public Map<Segment, Instant> of(long projectId, long personId) {
        Map<String, Instant> memberships = sets.setsOf(projectId, personId);
        Map<Segment, Instant> found = new LinkedHashMap<>();
        for (Segment segment : store.all(projectId)) {
            Instant since = memberships.get(segment.key());
            if (since != null) {
                found.put(segment, since);
            }
        }
        return found;
    }

    public Segment get(long projectId, long segmentId) {
        return store.find(projectId, segmentId).orElseThrow(() -> new NotFoundException("segment " + segmentId + " not found"));
    }

    public Summary summary(long projectId, long segmentId) {
        Segment segment = get(projectId, segmentId);
        return new Summary(segment, sets.sizes(projectId).getOrDefault(segment.key(), 0L), null,
                refresher.refreshedAt(projectId, segment.key()).orElse(null));
    }

    public Segment create(Project project, Segment.Draft draft, String actor) {
        Segment.Draft checked = checked(project.id(), null, draft);
        long id = store.insert(project.id(), checked, actor, clock.instant());
        audit.record(actor, project.id(), "segment.created", Segment.key(id), "name: " + checked.name());
        refresher.ruleChanged(project.id(), Segment.key(id));
        return get(project.id(), id);
    }

    public Segment update(Project project, long segmentId, Segment.Draft draft, String actor) {
        Segment before = get(project.id(), segmentId);
        Segment.Draft checked = checked(project.id(), before, draft);
        store.update(project.id(), segmentId, checked, actor, clock.instant());
        String detail = "name: " + checked.name() + (before.rule().equals(checked.rule()) ? "" : "; rule changed");
        audit.record(actor, project.id(), "segment.updated", before.key(), detail);
        if (!before.rule().equals(checked.rule())) {
            refresher.ruleChanged(project.id(), before.key());
        }
        return get(project.id(), segmentId);
    }

    /** Deletes a segment and its members; refused while another rule refers to it. */
    public void delete(Project project, long segmentId, String actor) {
        Segment segment = get(project.id(), segmentId);
        List<String> referring = ruleSets.graph(project.id()).referring(segment.key());
        if (!referring.isEmpty()) {
            throw new ConflictException("segment " + segmentId + " is used by the rules of " + String.join(", ", referring));
        }
        store.delete(project.id(), segmentId);
        refresher.drop(project.id(), segment.key());
        audit.record(actor, project.id(), "segment.deleted", segment.key(), "name: " + segment.name());
    }

    private Segment.Draft checked(long projectId, Segment existing, Segment.Draft draft) {
        String name = draft.name().strip();
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw new InvalidInputException("name", "a name has 1 to " + MAX_NAME + " characters", "segments.error.name", MAX_NAME);
        }
        String description = draft.description().strip();
        if (description.length() > MAX_DESCRIPTION) {
            throw new InvalidInputException("description", "a description has at most " + MAX_DESCRIPTION + " characters");
        }
        store.findByName(projectId, name).filter(other -> existing == null || other.id() != existing.id()).ifPresent(other -> {
            throw new ConflictException("a segment named '" + name + "' exists already");
        });
        ruleSets.check(projectId, existing == null ? null : existing.key(), draft.rule());
        return new Segment.Draft(name, description, draft.rule());
    }

    /** How many persons a rule holds for now (the live count while editing; nothing is saved). */
    public long count(Project project, PersonCondition rule) {
        ruleSets.check(project.id(), null, rule);
        return sets.count(audience(project), rule, control());
    }

    /** A page of the persons a condition holds for that also match the list query (the person list filtered by tag or stage). */
    public Page<PersonSummary> matching(Project project, PersonCondition condition, PersonQuery query, PageRequest page) {
        ruleSets.check(project.id(), null, condition);
        return sets.matching(audience(project), condition, query, page, control());
    }

    /** A page of the segment's members that also match the list query. */
    public Page<PersonSummary> members(Project project, long segmentId, PersonQuery query, PageRequest page) {
        Segment segment = get(project.id(), segmentId);
        return sets.matching(audience(project), new PersonCondition.InSet(segment.key()), query, page, control());
    }

    /** Every member, in person id order, for a CSV export; recorded in the audit log. */
    public void export(Project project, long segmentId, String actor, Consumer<PersonSummary> consumer) {
        Segment segment = get(project.id(), segmentId);
        long[] count = {0};
        sets.matching(audience(project), new PersonCondition.InSet(segment.key()), person -> {
            count[0]++;
            consumer.accept(person);
        }, control());
        audit.record(actor, project.id(), "segment.exported", segment.key(), "persons: " + count[0]);
    }

    /** The size at the end of each day from {@code from} to {@code to} (days in the project's zone) that has a sample. */
    public List<SetSize> history(Project project, long segmentId, LocalDate from, LocalDate to) {
        Segment segment = get(project.id(), segmentId);
        return sizes.daily(project.id(), project.timeZone(), segment.key(), from, to);
    }

    private Audience audience(Project project) {
        return new Audience(project.id(), project.timeZone(), clock.instant());
    }

    private QueryControl control() {
        return QueryControl.withTimeout(properties.countTimeout());
    }
}
