package io.flywheel.people;

import io.flywheel.events.Event;
import io.flywheel.events.EventAnalytics;
import io.flywheel.events.EventStore;
import io.flywheel.events.PersonActivity;
import io.flywheel.events.PersonDeleted;
import io.flywheel.events.PersonProfile;
import io.flywheel.events.PersonQuery;
import io.flywheel.events.PersonSummary;
import io.flywheel.events.QueryControl;
import io.flywheel.events.RfmScore;
import io.flywheel.events.Scope;
import io.flywheel.platform.AuditLog;
import io.flywheel.platform.Project;
import io.flywheel.shared.InvalidInputException;
import io.flywheel.shared.NotFoundException;
import io.flywheel.shared.Page;
import io.flywheel.shared.PageRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The persons of a project: the list, the profile, the timeline, trait edits, and the
 * data-subject export and deletion. Callers check access to the project first; a person is looked
 * up only inside the given project, so another project's person is not found. Trait edits,
 * exports and deletions are written to the audit log with the trait names, never their values.
 */
@Service
public class People {

    /** Events are read this many at a time for an export. */
    static final int EXPORT_PAGE = PageRequest.MAX_SIZE;
    /** Limits on one trait edit. */
    static final int MAX_TRAITS = 100;
    static final int MAX_PATCH_BYTES = 32 * 1024;
    private static final int RFM_DAYS = 90;
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };
    /** Writes a patch with its nulls, which remove traits; the application's mapper leaves nulls out. */
    private static final JsonMapper PATCH_WRITER = JsonMapper.builder().build();
    private static final Logger log = LoggerFactory.getLogger(People.class);

    private final EventStore events;
    private final EventAnalytics analytics;
    private final AuditLog audit;
    private final ApplicationEventPublisher publisher;
    private final JsonMapper json;
    private final Clock clock;

    public People(EventStore events, EventAnalytics analytics, AuditLog audit, ApplicationEventPublisher publisher, JsonMapper json,
            Clock clock) {
        this.events = events;
        this.analytics = analytics;
        this.audit = audit;
        this.publisher = publisher;
        this.json = json;
        this.clock = clock;
    }

    public Page<PersonListItem> search(long projectId, PersonQuery query, PageRequest page) {
        return items(events.persons(projectId, query, page));
    }

    /** A page of persons as the person list shows them. */
    public Page<PersonListItem> items(Page<PersonSummary> persons) {
        List<PersonListItem> items = new ArrayList<>(persons.items().size());
        for (PersonSummary person : persons.items()) {
            items.add(item(person));
        }
        return new Page<>(items, persons.page(), persons.size(), persons.total());
    }

    /** A person as the person list shows it. */
    public PersonListItem item(PersonSummary person) {
        Map<String, Object> traits = traits(person.traits());
        return new PersonListItem(person.personId(), text(traits.get("name")), person.userId(), text(traits.get("city")),
                text(traits.get("gender")), text(traits.get("age_band")), person.firstTouchChannel(), person.firstSeen(),
                person.lastSeen(), person.events());
    }

    /** The root of a person (itself unless it was merged into another); not found when the person does not exist. */
    public long root(Project project, long personId) {
        return profile(project.id(), personId).personId();
    }

    /** The person's profile; a merged person answers its root's. */
    public PersonView person(Project project, long personId) {
        PersonProfile profile = profile(project.id(), personId);
        PersonActivity activity = events.personActivity(project.id(), profile.personId());
        RfmScore rfm = activity.orders() > activity.refundedOrders() ? rfm(project, profile.personId()) : null;
        List<PersonView.Trait> traits = new ArrayList<>();
        new TreeMap<>(traits(profile.traits())).forEach((key, value) -> traits.add(new PersonView.Trait(key, text(value))));
        return new PersonView(profile, traits, activity, rfm);
    }

    /**
     * A page of the person's events, newest first, optionally only those named {@code event} and
     * those on the days {@code from} to {@code to} (inclusive, in the project's time zone).
     */
    public Page<Event> timeline(Project project, long personId, String event, LocalDate from, LocalDate to, PageRequest page) {
        if (from != null && to != null && to.isBefore(from)) {
            throw new InvalidInputException("to", "to must not be before from");
        }
        PersonProfile profile = profile(project.id(), personId);
        Instant start = from == null ? null : from.atStartOfDay(project.timeZone()).toInstant();
        Instant end = to == null ? null : to.plusDays(1).atStartOfDay(project.timeZone()).toInstant();
        String name = event == null || event.isBlank() ? null : event.strip();
        return events.personEvents(project.id(), profile.personId(), name, start, end, page);
    }

    /**
     * Changes traits as a JSON merge patch: a value sets the trait, null removes it. The audit
     * entry names the traits, not their values.
     */
    public PersonView updateTraits(Project project, long personId, Map<String, Object> patch, String actor) {
        PersonProfile profile = profile(project.id(), personId);
        String text = checkedPatch(patch);
        if (!events.updateTraits(project.id(), profile.personId(), text, clock.instant())) {
            throw notFound(personId);
        }
        audit.record(actor, project.id(), "person.traits.updated", "person:" + profile.personId(),
                "set: " + keys(patch, true) + "; removed: " + keys(patch, false));
        return person(project, profile.personId());
    }

    private static String keys(Map<String, Object> patch, boolean set) {
        return String.join(", ", new TreeSet<>(patch.entrySet().stream()
                .filter(entry -> (entry.getValue() != null) == set).map(Map.Entry::getKey).toList()));
    }

    private String checkedPatch(Map<String, Object> patch) {
        if (patch == null || patch.isEmpty() || patch.size() > MAX_TRAITS) {
            throw new InvalidInputException("traits", "send 1 to " + MAX_TRAITS + " traits");
        }
        for (String key : patch.keySet()) {
            if (!PersonQuery.isValidTraitKey(key) || key.isBlank()) {
                throw new InvalidInputException("traits", "a trait name has 1 to 200 characters and no quotes, backslashes or control characters");
            }
        }
        String text = PATCH_WRITER.writeValueAsString(patch);
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_PATCH_BYTES) {
            throw new InvalidInputException("traits", "the traits may take at most 32 KB");
        }
        return text;
    }

    /** Everything held about the person, every event included; recorded in the audit log. */
    public PersonExport export(Project project, long personId, String actor) {
        PersonView view = person(project, personId);
        PersonProfile profile = view.profile();
        List<PersonExport.ExportedEvent> exported = new ArrayList<>();
        for (int page = 0; ; page++) {
            Page<Event> batch = events.personEvents(project.id(), profile.personId(), null, null, null, new PageRequest(page, EXPORT_PAGE));
            batch.items().forEach(event -> exported.add(exported(event)));
            if (!batch.hasNext()) {
                break;
            }
        }
        Collections.reverse(exported);
        audit.record(actor, project.id(), "person.exported", "person:" + profile.personId(), "events: " + exported.size());
        return new PersonExport(clock.instant(), project.id(), profile.personId(), profile.mergedPersonIds(), profile.anonymousIds(),
                profile.userIds(), profile.firstSeen(), profile.lastSeen(), profile.firstTouch(), profile.lastTouch(),
                traits(profile.traits()), view.activity(), view.rfm(), exported);
    }

    /**
     * Deletes the person and every person merged with it from the event store, records it in the
     * audit log and tells other modules (which forget the person's ids).
     */
    public PersonDeleted delete(Project project, long personId, String actor) {
        PersonDeleted deleted = events.deletePerson(project.id(), personId).orElseThrow(() -> notFound(personId));
        audit.record(actor, project.id(), "person.deleted", "person:" + deleted.personId(),
                "persons: " + deleted.personIds() + "; events: " + deleted.events() + "; ids: " + deleted.distinctIds().size());
        publisher.publishEvent(deleted);
        log.info("Deleted person {} of project {} with {} merged persons and {} events", deleted.personId(), project.id(),
                deleted.personIds().size() - 1, deleted.events());
        return deleted;
    }

    private PersonProfile profile(long projectId, long personId) {
        return events.person(projectId, personId).orElseThrow(() -> notFound(personId));
    }

    private static NotFoundException notFound(long personId) {
        return new NotFoundException("person " + personId + " not found");
    }

    private RfmScore rfm(Project project, long root) {
        LocalDate today = LocalDate.now(clock.withZone(project.timeZone()));
        Scope scope = new Scope(project.id(), project.timeZone(), today.minusDays(RFM_DAYS - 1), today);
        RfmScore[] found = new RfmScore[1];
        analytics.rfm(scope, QueryControl.withTimeout(Duration.ofSeconds(30)), score -> {
            if (score.personId() == root) {
                found[0] = score;
            }
        });
        return found[0];
    }

    private Map<String, Object> traits(String text) {
        try {
            Map<String, Object> traits = json.readValue(text, OBJECT);
            return traits == null ? Map.of() : traits;
        }
        catch (JacksonException e) {
            return new LinkedHashMap<>();
        }
    }

    /** A trait value as text: strings as they are, anything else as JSON. */
    private String text(Object value) {
        if (value == null) {
            return null;
        }
        return value instanceof String string ? string : json.writeValueAsString(value);
    }

    private PersonExport.ExportedEvent exported(Event event) {
        return new PersonExport.ExportedEvent(event.messageId(), event.type(), event.event(), event.personId(), event.anonymousId(),
                event.userId(), event.timestamp(), event.receivedAt(), event.url(), event.referrer(), event.utmSource(), event.utmMedium(),
                event.utmCampaign(), event.channel(), event.orderId(), event.revenue(), event.currency(), jsonValue(event.properties()),
                jsonValue(event.context()));
    }

    private Object jsonValue(String text) {
        try {
            return json.readValue(text, Object.class);
        }
        catch (JacksonException e) {
            return text;
        }
    }
}
