package io.flywheel.collect.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Validates one Segment tracking message and normalises it: ids, event name, timestamps corrected
 * for client clock skew, UTM and page data pulled out of the context, order fields pulled out of the
 * properties.
 *
 * <p>The rules themselves are the static helpers at the end, shared with {@link StreamingMessageParser}
 * so that both parsers accept, reject and normalise alike; this class only finds the values in a tree.
 * The tracking API reads bodies with the streaming parser; this tree-based reading is kept as the
 * plain statement of the rules that the streaming parser is tested against (differential tests).
 */
public final class MessageParser {

    /** Segment's limit for one message. */
    public static final int MAX_MESSAGE_BYTES = 32 * 1024;
    static final int MAX_ID_LENGTH = 256;
    static final int MAX_EVENT_LENGTH = 200;
    static final Set<String> TYPES = Set.of("track", "page", "screen", "identify", "group", "alias");
    static final Set<String> CLICK_IDS = Set.of("gclid", "msclkid", "bd_vid", "qhclickid", "fbclid", "ttclid", "clickid");
    /** Timestamps further than this in the future are taken to be wrong clocks and replaced by receipt time. */
    private static final Duration MAX_FUTURE = Duration.ofDays(1);

    private final JsonMapper json;

    public MessageParser(JsonMapper json) {
        this.json = json;
    }

    /**
     * @param type the call type from the endpoint, or null for batch items (then the item's type is used)
     */
    public Message parse(long projectId, String type, JsonNode node, Instant receivedAt) {
        if (node == null || !node.isObject()) {
            throw new InvalidMessageException("a message must be a JSON object");
        }
        String callType = callType(type != null ? type : text(node, "type"));
        String anonymousId = id(node, "anonymousId");
        String userId = id(node, "userId");
        requireIdentity(anonymousId, userId);
        String messageId = id(node, "messageId");
        if (messageId == null) {
            messageId = UUID.randomUUID().toString();
        }
        JsonNode properties = object(node, propertiesField(callType));
        JsonNode context = object(node, "context");
        String event = eventName(callType, text(node, "event"));
        String previousId = null;
        String groupId = null;
        if (callType.equals("alias")) {
            previousId = id(node, "previousId");
            requireAlias(previousId, userId);
        }
        if (callType.equals("group")) {
            groupId = id(node, "groupId");
            requireGroup(groupId);
        }
        Instant timestamp = instant(node, "timestamp");
        if (timestamp == null) {
            timestamp = instant(node, "originalTimestamp");
        }
        timestamp = eventTime(timestamp, instant(node, "sentAt"), receivedAt);
        JsonNode page = context == null ? null : context.get("page");
        String url = firstNonBlank(text(properties, "url"), text(page, "url"));
        String referrer = firstNonBlank(text(properties, "referrer"), text(page, "referrer"));
        JsonNode campaign = context == null ? null : context.get("campaign");
        String orderId = firstNonBlank(text(properties, "order_id"), text(properties, "orderId"));
        Double revenue = number(properties, "revenue");
        if (revenue == null) {
            revenue = number(properties, "total");
        }
        String propertiesJson = properties == null ? "{}" : json.writeValueAsString(properties);
        String contextJson = context == null ? "{}" : json.writeValueAsString(context);
        requireSize(utf8Length(propertiesJson) + utf8Length(contextJson));
        return message(projectId, messageId, callType, event, anonymousId, userId, previousId, groupId, timestamp, receivedAt,
                url, referrer, new Campaign(text(campaign, "source"), text(campaign, "medium"), text(campaign, "name")),
                orderId, revenue, text(properties, "currency"), propertiesJson, contextJson);
    }

    private static Instant instant(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw notADateTimeString(field);
        }
        return instant(field, value.stringValue());
    }

    /** Ids may be strings or numbers, as Segment accepts; anything else is an error. */
    private static String id(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isString()) {
            return id(field, value.stringValue());
        }
        if (value.isIntegralNumber()) {
            return id(field, value.numberValue().toString());
        }
        throw notAString(field);
    }

    private static JsonNode object(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw notAnObject(field);
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isString()) {
            return value.stringValue();
        }
        return value.isNumber() || value.isBoolean() ? value.asString() : null;
    }

    private static Double number(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isString()) {
            return number(field, value.stringValue());
        }
        throw notANumber(field);
    }

    // The rules below are shared with StreamingMessageParser; each takes values as sent, already found.

    /** The campaign fields of a message's context ({@code context.campaign}), as sent. */
    record Campaign(String source, String medium, String name) {

        static final Campaign NONE = new Campaign(null, null, null);
    }

    /** @param text the call type as sent (endpoint or item {@code type}), or null when there is none */
    static String callType(String text) {
        if (text == null) {
            throw new InvalidMessageException("type is required for batch items (track, page, screen, identify, group or alias)");
        }
        String type = text.toLowerCase(Locale.ROOT);
        if (!TYPES.contains(type)) {
            throw new InvalidMessageException("type must be one of track, page, screen, identify, group or alias, not '" + type + "'");
        }
        return type;
    }

    /** Identify and group calls carry traits where the others carry properties. */
    static String propertiesField(String type) {
        return type.equals("identify") || type.equals("group") ? "traits" : "properties";
    }

    /** @param text a string id or the decimal text of an integral number id */
    static String id(String field, String text) {
        String id = text.strip();
        if (id.isEmpty()) {
            return null;
        }
        if (id.length() > MAX_ID_LENGTH) {
            throw new InvalidMessageException(field + " must be at most " + MAX_ID_LENGTH + " characters");
        }
        return id;
    }

    static InvalidMessageException notAString(String field) {
        return new InvalidMessageException(field + " must be a string");
    }

    static InvalidMessageException notAnObject(String field) {
        return new InvalidMessageException(field + " must be a JSON object");
    }

    static void requireIdentity(String anonymousId, String userId) {
        if (anonymousId == null && userId == null) {
            throw new InvalidMessageException("anonymousId or userId is required");
        }
    }

    static void requireAlias(String previousId, String userId) {
        if (previousId == null || userId == null) {
            throw new InvalidMessageException("alias needs previousId and userId");
        }
    }

    static void requireGroup(String groupId) {
        if (groupId == null) {
            throw new InvalidMessageException("groupId is required for group calls");
        }
    }

    /** @param event the {@code event} field as text, or null; only track calls name their event */
    static String eventName(String type, String event) {
        return switch (type) {
            case "track" -> {
                if (event == null || event.isBlank()) {
                    throw new InvalidMessageException("event is required for track calls");
                }
                if (event.length() > MAX_EVENT_LENGTH) {
                    throw new InvalidMessageException("event must be at most " + MAX_EVENT_LENGTH + " characters");
                }
                yield event.strip();
            }
            case "page" -> "Page Viewed";
            case "screen" -> "Screen Viewed";
            case "identify" -> "Identify";
            case "group" -> "Group";
            default -> "Alias";
        };
    }

    static InvalidMessageException notADateTimeString(String field) {
        return new InvalidMessageException(field + " must be an ISO-8601 date-time string");
    }

    static Instant instant(String field, String text) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        }
        catch (DateTimeException e) {
            try {
                return Instant.parse(text);
            }
            catch (DateTimeException again) {
                throw new InvalidMessageException(field + " must be an ISO-8601 date-time with an offset, e.g. 2026-01-01T08:00:00.000Z");
            }
        }
    }

    /**
     * Segment's skew correction: a client's clock may be off, but the gap between {@code timestamp}
     * and {@code sentAt} was measured on that same clock, so it is applied to our receipt time.
     *
     * @param timestamp {@code timestamp}, else {@code originalTimestamp}, or null when the message has neither
     */
    static Instant eventTime(Instant timestamp, Instant sentAt, Instant receivedAt) {
        if (timestamp == null) {
            return receivedAt;
        }
        Instant corrected = sentAt == null ? timestamp : receivedAt.minus(Duration.between(timestamp, sentAt));
        if (corrected.isAfter(receivedAt.plus(MAX_FUTURE))) {
            return receivedAt;
        }
        return corrected;
    }

    /** A number sent as a string, as some libraries send money. */
    static Double number(String field, String text) {
        try {
            return Double.valueOf(text.strip());
        }
        catch (NumberFormatException e) {
            throw notANumber(field);
        }
    }

    static InvalidMessageException notANumber(String field) {
        return new InvalidMessageException(field + " must be a number");
    }

    /** @param bytes UTF-8 length of the compact properties and context JSON */
    static void requireSize(long bytes) {
        // properties and context are nearly all of a message; the few other fields fit in the margin
        if (bytes > MAX_MESSAGE_BYTES - 1024) {
            throw new InvalidMessageException("a message must be at most 32 KB");
        }
    }

    /** The stored message, with the attribution derived from the URL and campaign and the texts cut to their columns. */
    static Message message(long projectId, String messageId, String type, String event, String anonymousId, String userId,
            String previousId, String groupId, Instant timestamp, Instant receivedAt, String url, String referrer,
            Campaign campaign, String orderId, Double revenue, String currency, String properties, String context) {
        Map<String, String> query = query(url);
        String utmSource = firstNonBlank(campaign.source(), query.get("utm_source"));
        String utmMedium = firstNonBlank(campaign.medium(), query.get("utm_medium"));
        String utmCampaign = firstNonBlank(campaign.name(), query.get("utm_campaign"));
        String clickId = query.keySet().stream().filter(CLICK_IDS::contains).sorted().findFirst().orElse(null);
        return new Message(projectId, messageId, type, event, anonymousId, userId, previousId, groupId, timestamp, receivedAt,
                truncate(url, 2048), truncate(referrer, 2048), truncate(utmSource, 200), truncate(utmMedium, 200),
                truncate(utmCampaign, 200), clickId, truncate(orderId, 200), revenue, truncate(currency, 16),
                properties, context, true);
    }

    static int utf8Length(String text) {
        int length = text.length();
        for (int i = 0; i < text.length(); i++) {
            length += extraUtf8Bytes(text.charAt(i));
        }
        return length;
    }

    /**
     * Bytes beyond the first that a char takes in UTF-8; a surrogate counts one extra, so a pair makes
     * four bytes (an unpaired one, which a JSON escape can carry, two).
     */
    static int extraUtf8Bytes(char c) {
        if (c < 0x80) {
            return 0;
        }
        return c >= 0x800 && !Character.isSurrogate(c) ? 2 : 1;
    }

    static String firstNonBlank(String first, String second) {
        if (first != null && !first.isBlank()) {
            return first.strip();
        }
        return second == null || second.isBlank() ? null : second.strip();
    }

    private static String truncate(String value, int length) {
        return value == null || value.length() <= length ? value : value.substring(0, length);
    }

    /** The query parameters of a URL, lower-case names; empty when there is no parsable query. */
    static Map<String, String> query(String url) {
        if (url == null) {
            return Map.of();
        }
        // the text between '?' and '#', without building a java.net.URI for every message (a hot path)
        int fragment = url.indexOf('#');
        int end = fragment < 0 ? url.length() : fragment;
        int mark = url.indexOf('?');
        String raw = mark < 0 || mark >= end ? null : url.substring(mark + 1, end).strip();
        if (raw == null || raw.isEmpty()) {
            return Map.of();
        }
        HashMap<String, String> parameters = new HashMap<>();
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            try {
                parameters.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT),
                        URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
            catch (IllegalArgumentException e) {
                // a malformed escape in one parameter does not make the message invalid
            }
        }
        return parameters;
    }
}
