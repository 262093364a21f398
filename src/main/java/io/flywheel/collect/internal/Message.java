package io.flywheel.collect.internal;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A validated, normalised tracking message as it is written to the write-ahead log. Person and
 * channel are resolved later, when the message is applied.
 *
 * @param type Segment call: track, page, screen, identify, group or alias
 * @param event the event name stored ("Page Viewed" for pages, "Identify" for identify calls ...)
 * @param previousId alias only: the id being aliased
 * @param groupId group only
 * @param properties JSON object text of properties (traits for identify and group)
 * @param context JSON object text of the context
 * @param activity false for profile data sent by the server (an imported row): applied to the
 *     identity graph and the profile, but stored as no event
 */
public record Message(
        long projectId,
        String messageId,
        String type,
        String event,
        String anonymousId,
        String userId,
        String previousId,
        String groupId,
        Instant timestamp,
        Instant receivedAt,
        String url,
        String referrer,
        String utmSource,
        String utmMedium,
        String utmCampaign,
        String clickId,
        String orderId,
        Double revenue,
        String currency,
        String properties,
        String context,
        boolean activity) {

    public Message {
        requireNonNull(messageId, "messageId is null");
        requireNonNull(type, "type is null");
        requireNonNull(event, "event is null");
        requireNonNull(timestamp, "timestamp is null");
        requireNonNull(receivedAt, "receivedAt is null");
        requireNonNull(properties, "properties is null");
        requireNonNull(context, "context is null");
    }

    /** The same message in the given project: the streaming parser learns the project only after it has read the body. */
    public Message withProject(long projectId) {
        return new Message(projectId, messageId, type, event, anonymousId, userId, previousId, groupId, timestamp, receivedAt,
                url, referrer, utmSource, utmMedium, utmCampaign, clickId, orderId, revenue, currency, properties, context,
                activity);
    }
}
