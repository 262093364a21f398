package io.flywheel.people;

import io.flywheel.events.Audience;
import io.flywheel.events.PersonCondition;
import io.flywheel.events.PersonQuery;
import io.flywheel.events.PersonSets;
import io.flywheel.events.PersonSets.SetChange;
import io.flywheel.events.PersonSummary;
import io.flywheel.events.QueryControl;
import io.flywheel.people.internal.RuleSets;
import io.flywheel.people.internal.SegmentsProperties;
import io.flywheel.people.internal.SetRefresher;
import io.flywheel.people.internal.SetSizeStore;
import io.flywheel.people.internal.TagStore;
import io.flywheel.platform.AuditLog;
import io.flywheel.platform.Project;
import io.flywheel.shared.ConflictException;
import io.flywheel.shared.InvalidInputException;
import io.flywheel.shared.NotFoundException;
import io.flywheel.shared.Page;
import io.flywheel.shared.PageRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Tags of a project and their groups. Manual tags are put on and taken off by hand (one person,
 * a list, or everyone a rule holds for, such as a segment's members); rule tags are kept true by the
 * refresher like segments. Changes are written to the audit log; persons tagged or untagged by
 * hand are published as {@link Tag.MembershipChanged}.
 */
@Service
public class Tags {

    static final int MAX_NAME = 100;
    static final int MAX_PERSONS = 10_000;

    private final TagStore store;
    private final RuleSets ruleSets;
    private final PersonSets sets;
    private final SetRefresher refresher;
    private final SetSizeStore sizes;
    private final AuditLog audit;
    private final ApplicationEventPublisher publisher;
    private final TransactionOperations transactions;
    private final Clock clock;
    private final SegmentsProperties properties;

    public Tags(TagStore store, RuleSets ruleSets, PersonSets sets, SetRefresher refresher, SetSizeStore sizes, AuditLog audit,
            ApplicationEventPublisher publisher, TransactionOperations transactions, Clock clock, SegmentsProperties properties) {
        this.store = store;
        this.ruleSets = ruleSets;
        this.sets = sets;
        this.refresher = refresher;
        this.sizes = sizes;
        this.audit = audit;
        this.publisher = publisher;
        this.transactions = transactions;
        this.clock = clock;
        this.properties = properties;
    }

    /** A tag with its group's name (null without a group) and its number of members. */
    public record Summary(Tag tag, String group, long size) {
    }

    /** A tag a person has, and since when. */
    public record Held(Tag tag, String group, Instant since) {
    }

    public List<Tag> list(long projectId) {
        return store.all(projectId);
    }

    public List<Summary> summaries(long projectId) {
        Map<String, Long> current = sets.sizes(projectId);
        Map<Long, String> groups = groupNames(projectId);
        List<Summary> summaries = new ArrayList<>();
        for (Tag tag : store.all(projectId)) {
            summaries.add(new Summary(tag, tag.groupId() == null ? null : groups.get(tag.groupId()), current.getOrDefault(tag.key(), 0L)));
        }
        return summaries;
    }

    private Map<Long, String> groupNames(long projectId) {
        Map<Long, String> names = new HashMap<>();
        store.groups(projectId).forEach(group -> names.put(group.id(), group.name()));
        return names;
    }

    public Tag get(long projectId, long tagId) {
        return store.find(projectId, tagId).orElseThrow(() -> new NotFoundException("tag " + tagId + " not found"));
    }

    public List<Tag.Group> groups(long projectId) {
        return store.groups(projectId);
    }

    public Tag.Group createGroup(Project project, String name, String actor) {
        String checked = name(name, "name");
        try {
            long id = store.insertGroup(project.id(), checked, actor, clock.instant());
            audit.record(actor, project.id(), "tag-group.created", "tag-group:" + id, "name: " + checked);
            return new Tag.Group(id, project.id(), checked);
        }
        catch (DuplicateKeyException e) {
            throw new ConflictException("a tag group named '" + checked + "' exists already");
        }
    }

    public void renameGroup(Project project, long groupId, String name, String actor) {
        String checked = name(name, "name");
        try {
            if (!store.renameGroup(project.id(), groupId, checked)) {
                throw new NotFoundException("tag group " + groupId + " not found");
            }
        }
        catch (DuplicateKeyException e) {
            throw new ConflictException("a tag group named '" + checked + "' exists already");
        }
        audit.record(actor, project.id(), "tag-group.renamed", "tag-group:" + groupId, "name: " + checked);
    }

    /** Removes a group; its tags stay, without a group. */
    public void deleteGroup(Project project, long groupId, String actor) {
        if (!store.deleteGroup(project.id(), groupId)) {
            throw new NotFoundException("tag group " + groupId + " not found");
        }
        audit.record(actor, project.id(), "tag-group.deleted", "tag-group:" + groupId, "");
    }

    public Tag create(Project project, Tag.Draft draft, String actor) {
        Tag.Draft checked = checked(project.id(), null, draft);
        long id;
        try {
            id = store.insert(project.id(), checked, actor, clock.instant());
        }
        catch (DuplicateKeyException e) {
            throw new ConflictException("a tag named '" + checked.name() + "' exists already");
        }
        audit.record(actor, project.id(), "tag.created", Tag.key(id), "name: " + checked.name() + (checked.rule() == null ? "" : "; rule"));
        if (checked.rule() != null) {
            refresher.ruleChanged(project.id(), Tag.key(id));
        }
        return get(project.id(), id);
    }

    /** Changes a tag; a manual tag that gets a rule keeps exactly the persons the rule holds for. */
    public Tag update(Project project, long tagId, Tag.Draft draft, String actor) {
        Tag before = get(project.id(), tagId);
        Tag.Draft checked = checked(project.id(), before, draft);
        try {
            store.update(project.id(), tagId, checked, actor, clock.instant());
        }
        catch (DuplicateKeyException e) {
            throw new ConflictException("a tag named '" + checked.name() + "' exists already");
        }
        boolean ruleChanged = before.rule() == null ? checked.rule() != null : !before.rule().equals(checked.rule());
        audit.record(actor, project.id(), "tag.updated", before.key(), "name: " + checked.name() + (ruleChanged ? "; rule changed" : ""));
        if (ruleChanged && checked.rule() != null) {
            refresher.ruleChanged(project.id(), before.key());
        }
        return get(project.id(), tagId);
    }

    /** Deletes a tag and its memberships; refused while a rule refers to it. */
    public void delete(Project project, long tagId, String actor) {
        Tag tag = get(project.id(), tagId);
        List<String> referring = ruleSets.graph(project.id()).referring(tag.key());
        if (!referring.isEmpty()) {
            throw new ConflictException("tag " + tagId + " is used by the rules of " + String.join(", ", referring));
        }
        store.delete(project.id(), tagId);
        refresher.drop(project.id(), tag.key());
        audit.record(actor, project.id(), "tag.deleted", tag.key(), "name: " + tag.name());
    }

    private Tag.Draft checked(long projectId, Tag existing, Tag.Draft draft) {
        String name = name(draft.name(), "name");
        String description = draft.description().strip();
        if (description.length() > 2000) {
            throw new InvalidInputException("description", "a description has at most 2000 characters");
        }
        if (draft.groupId() != null && store.group(projectId, draft.groupId()).isEmpty()) {
            throw new InvalidInputException("groupId", "tag group " + draft.groupId() + " does not exist in this project");
        }
        if (draft.rule() != null) {
            ruleSets.check(projectId, existing == null ? null : existing.key(), draft.rule());
        }
        return new Tag.Draft(name, description, draft.groupId(), draft.rule());
    }

    private static String name(String name, String field) {
        String stripped = name == null ? "" : name.strip();
        if (stripped.isEmpty() || stripped.length() > MAX_NAME) {
            throw new InvalidInputException(field, "a name has 1 to " + MAX_NAME + " characters");
        }
        return stripped;
    }

    // ------------------------------------------------------------ members

    /** Puts a manual tag on persons (raw or root ids; unknown ones are ignored). */
    public SetChange tag(Project project, long tagId, Collection<Long> personIds, String actor) {
        Tag tag = manual(project.id(), tagId);
        checkCount(personIds);
        SetChange change = sets.add(project.id(), tag.key(), personIds, clock.instant());
        changed(project, tag, change, actor, "tag.added");
        return change;
    }

    /** Takes a manual tag off persons. */
    public SetChange untag(Project project, long tagId, Collection<Long> personIds, String actor) {
        Tag tag = manual(project.id(), tagId);
        checkCount(personIds);
        SetChange change = sets.remove(project.id(), tag.key(), personIds);
        changed(project, tag, change, actor, "tag.removed");
        return change;
    }

    /** Puts a manual tag on everyone a condition holds for (a segment's members, a filtered list). */
    public SetChange tagMatching(Project project, long tagId, PersonCondition condition, String actor) {
        Tag tag = manual(project.id(), tagId);
        ruleSets.check(project.id(), null, condition);
        SetChange change = sets.addMatching(new Audience(project.id(), project.timeZone(), clock.instant()), tag.key(), condition);
        changed(project, tag, change, actor, "tag.added");
        return change;
    }

    private void changed(Project project, Tag tag, SetChange change, String actor, String action) {
        audit.record(actor, project.id(), action, tag.key(), "persons: " + (change.entered().size() + change.exited().size()));
        if (change.entered().isEmpty() && change.exited().isEmpty()) {
            return;
        }
        List<Long> persons = new ArrayList<>(change.entered());
        persons.addAll(change.exited());
        refresher.personsChanged(project.id(), persons);
        Tag.MembershipChanged event = new Tag.MembershipChanged(project.id(), tag.id(), change.entered(), change.exited());
        transactions.executeWithoutResult(status -> publisher.publishEvent(event));
    }

    private static void checkCount(Collection<Long> personIds) {
        if (personIds == null || personIds.isEmpty() || personIds.size() > MAX_PERSONS) {
            throw new InvalidInputException("personIds", "send 1 to " + MAX_PERSONS + " person ids");
        }
    }

    private Tag manual(long projectId, long tagId) {
        Tag tag = get(projectId, tagId);
        if (!tag.manual()) {
            throw new ConflictException("tag " + tagId + " is kept by its rule; change the rule instead");
        }
        return tag;
    }

    /** The size at the end of each day from {@code from} to {@code to} (days in the project's zone) that has a sample. */
    public List<SetSize> history(Project project, long tagId, LocalDate from, LocalDate to) {
        Tag tag = get(project.id(), tagId);
        return sizes.daily(project.id(), project.timeZone(), tag.key(), from, to);
    }

    /** A page of the tag's members. */
    public Page<PersonSummary> members(Project project, long tagId, PageRequest page) {
        Tag tag = get(project.id(), tagId);
        return sets.matching(new Audience(project.id(), project.timeZone(), clock.instant()), new PersonCondition.InSet(tag.key()),
                PersonQuery.everyone(), page, QueryControl.withTimeout(properties.countTimeout()));
    }

    /** The tags a person has, by name. */
    public List<Held> of(long projectId, long personId) {
        Map<String, Instant> memberships = sets.setsOf(projectId, personId);
        Map<Long, String> groups = groupNames(projectId);
        List<Held> held = new ArrayList<>();
        for (Tag tag : store.all(projectId)) {
            Instant since = memberships.get(tag.key());
            if (since != null) {
                held.add(new Held(tag, tag.groupId() == null ? null : groups.get(tag.groupId()), since));
            }
        }
        return held;
    }
}
