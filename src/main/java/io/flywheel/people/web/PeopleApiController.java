package io.flywheel.people.web;

import io.flywheel.events.Event;
import io.flywheel.events.PersonActivity;
import io.flywheel.events.PersonProfile;
import io.flywheel.events.PersonQuery;
import io.flywheel.events.RfmScore;
import io.flywheel.people.People;
import io.flywheel.people.PersonExport;
import io.flywheel.people.PersonListItem;
import io.flywheel.people.PersonView;
import io.flywheel.people.Segments;
import io.flywheel.people.Tags;
import io.flywheel.platform.Access;
import io.flywheel.platform.Capability;
import io.flywheel.platform.Project;
import io.flywheel.shared.InvalidInputException;
import io.flywheel.shared.Page;
import io.flywheel.shared.PageRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@RestController
@RequestMapping("/api/v1/projects/{projectId}/persons")
@Tag(name = "Persons", description = "Persons (merged identities): list, profile, events, trait edits, data-subject export and deletion")
class PeopleApiController {

    private final People people;
    private final Segments segments;
    private final Tags tags;
    private final Access access;
    private final JsonMapper json;

    PeopleApiController(People people, Segments segments, Tags tags, Access access, JsonMapper json) {
        this.people = people;
        this.segments = segments;
        this.tags = tags;
        this.access = access;
        this.json = json;
    }

    @GetMapping
    @Operation(summary = "Search persons", description = "q matches userIds, anonymousIds and trait values (substring, any case) and "
            + "person ids (exactly); channel is the first-touch channel ($none for persons without one); trait and value ask for a "
            + "trait equal to a value. sort is lastSeen (default), firstSeen or events; order is desc (default) or asc.")
    Page<PersonListItem> search(@PathVariable long projectId, @RequestParam(required = false) String q,
            @RequestParam(required = false) String channel, @RequestParam(required = false) String trait,
            @RequestParam(required = false) String value, @RequestParam(required = false) String sort,
            @RequestParam(required = false) String order, @RequestParam(required = false) Integer page,
            @RequestParam(required = false) @Parameter(description = "1 to 500, default 50") Integer size) {
        Project project = access.project(projectId, Capability.READ);
        return people.search(project.id(), query(q, channel, trait, value, sort, order), PageRequest.of(page, size));
    }

    private static PersonQuery query(String q, String channel, String trait, String value, String sort, String order) {
        if (sort != null && !List.of("lastSeen", "firstSeen", "events").contains(sort)) {
            throw new InvalidInputException("sort", "sort must be lastSeen, firstSeen or events");
        }
        if (order != null && !List.of("asc", "desc").contains(order)) {
            throw new InvalidInputException("order", "order must be asc or desc");
        }
        if (trait != null && !trait.isBlank() && !PersonQuery.isValidTraitKey(trait.strip())) {
            throw new InvalidInputException("trait", "a trait name has 1 to 200 characters and no quotes, backslashes or control characters");
        }
        return new PersonQuery(q, channel, trait, value == null ? "" : value, PeopleController.sort(sort), "asc".equals(order));
    }

    /** A person as the API shows it: the profile with its traits as JSON, activity and RFM. */
    record PersonResponse(long personId, List<Long> mergedPersonIds, String userId, List<String> userIds, List<String> anonymousIds,
            Instant firstSeen, Instant lastSeen, long events, PersonProfile.Touch firstTouch, PersonProfile.Touch lastTouch,
            JsonNode traits, PersonActivity activity, RfmScore rfm, String rfmSegment) {
    }

    @GetMapping("/{personId}")
    @Operation(summary = "A person's profile", description = "A merged person id answers its root's profile. RFM covers the completed "
            + "orders of the last 90 days and is absent when the person bought nothing then.")
    PersonResponse person(@PathVariable long projectId, @PathVariable long personId) {
        Project project = access.project(projectId, Capability.READ);
        return response(people.person(project, personId));
    }

    private PersonResponse response(PersonView view) {
        PersonProfile profile = view.profile();
        return new PersonResponse(profile.personId(), profile.mergedPersonIds(), profile.userId(), profile.userIds(), profile.anonymousIds(),
                profile.firstSeen(), profile.lastSeen(), profile.events(), profile.firstTouch(), profile.lastTouch(), tree(profile.traits()),
                view.activity(), view.rfm(), view.rfmSegment());
    }

    /** A segment or tag the person belongs to, since when (the start of the current membership). */
    record MembershipResponse(long id, String name, String group, Instant since) {
    }

    @GetMapping("/{personId}/segments")
    @Operation(summary = "The segments a person belongs to", description = "By name, with the time each membership began. Membership is "
            + "kept current in the background: a change in events or traits shows here within seconds.")
    List<MembershipResponse> segments(@PathVariable long projectId, @PathVariable long personId) {
        Project project = access.project(projectId, Capability.READ);
        long root = people.root(project, personId);
        return segments.of(project.id(), root).entrySet().stream()
                .map(entry -> new MembershipResponse(entry.getKey().id(), entry.getKey().name(), null, entry.getValue())).toList();
    }

    @GetMapping("/{personId}/tags")
    @Operation(summary = "The tags a person has", description = "By name, with the tag's group and the time the person got it.")
    List<MembershipResponse> tags(@PathVariable long projectId, @PathVariable long personId) {
        Project project = access.project(projectId, Capability.READ);
        long root = people.root(project, personId);
        return tags.of(project.id(), root).stream().map(held -> new MembershipResponse(held.tag().id(), held.tag().name(), held.group(),
                held.since())).toList();
    }

    /** One event of a person, its properties and context as JSON. */
    record EventResponse(String messageId, String type, String event, long personId, String anonymousId, String userId, Instant timestamp,
            Instant receivedAt, String url, String referrer, String utmSource, String utmMedium, String utmCampaign, String channel,
            String orderId, Double revenue, String currency, JsonNode properties, JsonNode context) {
    }

    @GetMapping("/{personId}/events")
    @Operation(summary = "A person's events, newest first", description = "Events of the person and of every person merged with it. "
            + "event keeps one event name; from and to are inclusive days in the project's time zone.")
    Page<EventResponse> events(@PathVariable long projectId, @PathVariable long personId, @RequestParam(required = false) String event,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        Project project = access.project(projectId, Capability.READ);
        Page<Event> events = people.timeline(project, personId, event, Days.parse(from, "from", null), Days.parse(to, "to", null),
                PageRequest.of(page, size));
        return new Page<>(events.items().stream().map(this::response).toList(), events.page(), events.size(), events.total());
    }

    private EventResponse response(Event event) {
        return new EventResponse(event.messageId(), event.type(), event.event(), event.personId(), event.anonymousId(), event.userId(),
                event.timestamp(), event.receivedAt(), event.url(), event.referrer(), event.utmSource(), event.utmMedium(), event.utmCampaign(),
                event.channel(), event.orderId(), event.revenue(), event.currency(), tree(event.properties()), tree(event.context()));
    }

    @PatchMapping("/{personId}/traits")
    @Operation(summary = "Change a person's traits", description = "The body is a JSON merge patch (RFC 7396) of the traits: "
            + "{\"city\":\"Hangzhou\",\"plan\":null} sets city and removes plan. At most 100 traits and 32 KB. The audit log names "
            + "the changed traits, not their values.")
    PersonResponse updateTraits(@PathVariable long projectId, @PathVariable long personId, @RequestBody Map<String, Object> patch) {
        Project project = access.project(projectId, Capability.OPERATE);
        return response(people.updateTraits(project, personId, patch, access.current().name()));
    }

    @GetMapping("/{personId}/export")
    @Operation(summary = "Export everything held about a person", description = "For data-subject access requests: ids, profile, "
            + "traits, activity and every event of the person and of every person merged with it, oldest first. Recorded in the audit log.")
    PersonExport export(@PathVariable long projectId, @PathVariable long personId) {
        Project project = access.project(projectId, Capability.READ);
        return people.export(project, personId, access.current().name());
    }

    @DeleteMapping("/{personId}")
    @Operation(summary = "Delete a person everywhere", description = "Removes the events, identity links, merges and profile of the "
            + "person and of every person merged with it. Recorded in the audit log. Cannot be undone.")
    ResponseEntity<Void> delete(@PathVariable long projectId, @PathVariable long personId) {
        Project project = access.project(projectId, Capability.OPERATE);
        people.delete(project, personId, access.current().name());
        return ResponseEntity.noContent().build();
    }

    private JsonNode tree(String text) {
        try {
            return json.readTree(text);
        }
        catch (JacksonException e) {
            return json.valueToTree(text);
        }
    }
}
