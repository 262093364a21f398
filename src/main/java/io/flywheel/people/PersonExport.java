package io.flywheel.people;

import static java.util.Objects.requireNonNull;

import io.flywheel.events.PersonActivity;
import io.flywheel.events.PersonProfile;
import io.flywheel.events.RfmScore;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything Flywheel holds about one person and every person merged into it, for a data-subject
 * access request: ids, profile, traits, activity and every event, oldest first.
 *
 * @param rfm null when the person bought nothing in the last 90 days
 */
public record PersonExport(Instant exportedAt, long projectId, long personId, List<Long> mergedPersonIds, List<String> anonymousIds,
        List<String> userIds, Instant firstSeen, Instant lastSeen, PersonProfile.Touch firstTouch, PersonProfile.Touch lastTouch,
        Map<String, Object> traits, PersonActivity activity, RfmScore rfm, List<ExportedEvent> events) {

    public PersonExport {
        requireNonNull(exportedAt, "exportedAt is null");
        mergedPersonIds = List.copyOf(requireNonNull(mergedPersonIds, "mergedPersonIds is null"));
        anonymousIds = List.copyOf(requireNonNull(anonymousIds, "anonymousIds is null"));
        userIds = List.copyOf(requireNonNull(userIds, "userIds is null"));
        requireNonNull(traits, "traits is null");
        requireNonNull(activity, "activity is null");
        events = List.copyOf(requireNonNull(events, "events is null"));
    }

    /**
     * One stored event as it was received, with its properties and context as JSON.
     *
     * @param personId the person the event was resolved to when it arrived (the root or a merged person)
     */
    public record ExportedEvent(String messageId, String type, String event, long personId, String anonymousId, String userId,
            Instant timestamp, Instant receivedAt, String url, String referrer, String utmSource, String utmMedium, String utmCampaign,
            String channel, String orderId, Double revenue, String currency, Object properties, Object context) {

        public ExportedEvent {
            requireNonNull(messageId, "messageId is null");
            requireNonNull(type, "type is null");
            requireNonNull(event, "event is null");
            requireNonNull(timestamp, "timestamp is null");
            requireNonNull(receivedAt, "receivedAt is null");
        }
    }
}
