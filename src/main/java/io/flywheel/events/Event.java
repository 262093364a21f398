package io.flywheel.events;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One stored event. Field names follow Segment's spec; the person is the identity the event was
 * resolved to when it was received (later merges are applied at query time, never by rewriting).
 * A message that is profile data rather than behaviour ({@code activity} false, e.g. a row of an
 * imported customer list) travels in the same batches, in arrival order, but a store keeps only
 * what it does to the profile: it is stored as no event.
 *
 * @param type Segment call type: track, page, screen, identify, group or alias
 * @param event event name ("Order Completed"); page calls are stored as "Page Viewed"
 * @param channel acquisition channel of this touch when the event carried campaign or referrer data
 * @param revenue order revenue for e-commerce events, otherwise null
 * @param properties the event's properties as a JSON object text
 * @param context the event's context as a JSON object text
 * @param activity true for behaviour (every event a store reads back); false for an identify call
 *     that is only profile data: it sets the userId and traits of the person's profile, but is no
 *     event, no active hour, and moves neither first nor last seen, the event count nor a touch
 */
public record Event(
        long projectId,
        String messageId,
        String type,
        String event,
        long personId,
        String anonymousId,
        String userId,
        Instant timestamp,
        Instant receivedAt,
        String url,
        String referrer,
        String utmSource,
        String utmMedium,
        String utmCampaign,
        String channel,
        String orderId,
        Double revenue,
        String currency,
        String properties,
        String context,
        boolean activity) {

    /** An event that is activity, as every tracked event is. */
    public Event(long projectId, String messageId, String type, String event, long personId, String anonymousId, String userId,
            Instant timestamp, Instant receivedAt, String url, String referrer, String utmSource, String utmMedium, String utmCampaign,
            String channel, String orderId, Double revenue, String currency, String properties, String context) {
        this(projectId, messageId, type, event, personId, anonymousId, userId, timestamp, receivedAt, url, referrer, utmSource, utmMedium,
                utmCampaign, channel, orderId, revenue, currency, properties, context, true);
    }

    public Event {
        requireNonNull(messageId, "messageId is null");
        requireNonNull(type, "type is null");
        requireNonNull(event, "event is null");
        requireNonNull(timestamp, "timestamp is null");
        requireNonNull(receivedAt, "receivedAt is null");
        if (anonymousId == null && userId == null) {
            throw new IllegalArgumentException("an event needs an anonymousId or a userId");
        }
        properties = properties == null ? "{}" : properties;
        context = context == null ? "{}" : context;
        if (!activity && !type.equals("identify")) {
            throw new IllegalArgumentException("only an identify call can be profile data without activity");
        }
    }
}
