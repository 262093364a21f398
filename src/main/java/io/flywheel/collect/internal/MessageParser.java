package io.flywheel.collect.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
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
        String callType = type != null ? type : text(node, "type");
        if (callType == null) {
            throw new InvalidMessageException("type is required for batch items (track, page, screen, identify, group or alias)");
        }
        callType = callType.toLowerCase(Locale.ROOT);
        if (!TYPES.contains(callType)) {
            throw new InvalidMessageException("type must be one of track, page, screen, identify, group or alias, not '" + callType + "'");
        }
        String anonymousId = id(node, "anonymousId");
        String userId = id(node, "userId");
        if (anonymousId == null && userId == null) {
            throw new InvalidMessageException("anonymousId or userId is required");
        }
        String messageId = id(node, "messageId");
        if (messageId == null) {
            messageId = UUID.randomUUID().toString();
        }
        JsonNode properties = object(node, callType.equals("identify") || callType.equals("group") ? "traits" : "properties");
        JsonNode context = object(node, "context");
        String event = eventName(callType, node);
        String previousId = null;
        String groupId = null;
        if (callType.equals("alias")) {
            previousId = id(node, "previousId");
            if (previousId == null || userId == null) {
                throw new InvalidMessageException("alias needs previousId and userId");
            }
        }
        if (callType.equals("group")) {
            groupId = id(node, "groupId");
            if (groupId == null) {
                throw new InvalidMessageException("groupId is required for group calls");
            }
        }
        Instant timestamp = eventTime(node, receivedAt);
        JsonNode page = context == null ? null : context.get("page");
        String url = firstText(properties, "url", page, "url");
        String referrer = firstText(properties, "referrer", page, "referrer");
        Map<String, String> query = query(url);
        JsonNode campaign = context == null ? null : context.get("campaign");
        String utmSource = firstNonBlank(text(campaign, "source"), query.get("utm_source"));
        String utmMedium = firstNonBlank(text(campaign, "medium"), query.get("utm_medium"));
        String utmCampaign = firstNonBlank(text(campaign, "name"), query.get("utm_campaign"));
        String clickId = query.keySet().stream().filter(CLICK_IDS::contains).sorted().findFirst().orElse(null);
        String orderId = firstNonBlank(text(properties, "order_id"), text(properties, "orderId"));
        Double revenue = number(properties, "revenue");
        if (revenue == null) {
            revenue = number(properties, "total");
        }
        String propertiesJson = properties == null ? "{}" : json.writeValueAsString(properties);
        String contextJson = context == null ? "{}" : json.writeValueAsString(context);
        // properties and context are nearly all of a message; the few other fields fit in the margin
        if (utf8Length(propertiesJson) + utf8Length(contextJson) > MAX_MESSAGE_BYTES - 1024) {
            throw new InvalidMessageException("a message must be at most 32 KB");
        }
        return new Message(projectId, messageId, callType, event, anonymousId, userId, previousId, groupId, timestamp, receivedAt,
                truncate(url, 2048), truncate(referrer, 2048), truncate(utmSource, 200), truncate(utmMedium, 200),
                truncate(utmCampaign, 200), clickId, truncate(orderId, 200), revenue, truncate(text(properties, "currency"), 16),
                propertiesJson, contextJson, true);
    }

    private static int utf8Length(String text) {
        int length = text.length();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                length += c >= 0x800 && !Character.isSurrogate(c) ? 2 : 1;
            }
        }
        return length;
    }

    private static String eventName(String type, JsonNode node) {
        return switch (type) {
            case "track" -> {
                String event = text(node, "event");
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

    /**
     * Segment's skew correction: a client's clock may be off, but the gap between {@code timestamp}
     * and {@code sentAt} was measured on that same clock, so it is applied to our receipt time.
     */
    static Instant eventTime(JsonNode node, Instant receivedAt) {
        Instant timestamp = instant(node, "timestamp");
        if (timestamp == null) {
            timestamp = instant(node, "originalTimestamp");
        }
        Instant sentAt = instant(node, "sentAt");
        if (timestamp == null) {
            return receivedAt;
        }
        Instant corrected = sentAt == null ? timestamp : receivedAt.minus(Duration.between(timestamp, sentAt));
        if (corrected.isAfter(receivedAt.plus(MAX_FUTURE))) {
            return receivedAt;
        }
        return corrected;
    }

    private static Instant instant(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw new InvalidMessageException(field + " must be an ISO-8601 date-time string");
        }
        try {
            return OffsetDateTime.parse(value.stringValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        }
        catch (DateTimeException e) {
            try {
                return Instant.parse(value.stringValue());
            }
            catch (DateTimeException again) {
                throw new InvalidMessageException(field + " must be an ISO-8601 date-time with an offset, e.g. 2026-01-01T08:00:00.000Z");
            }
        }
    }

    /** Ids may be strings or numbers, as Segment accepts; anything else is an error. */
    private static String id(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        String text;
        if (value.isString()) {
            text = value.stringValue().strip();
        }
        else if (value.isIntegralNumber()) {
            text = value.numberValue().toString();
        }
        else {
            throw new InvalidMessageException(field + " must be a string");
        }
        if (text.isEmpty()) {
            return null;
        }
        if (text.length() > MAX_ID_LENGTH) {
            throw new InvalidMessageException(field + " must be at most " + MAX_ID_LENGTH + " characters");
        }
        return text;
    }

    private static JsonNode object(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw new InvalidMessageException(field + " must be a JSON object");
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
            try {
                return Double.valueOf(value.stringValue().strip());
            }
            catch (NumberFormatException e) {
                throw new InvalidMessageException(field + " must be a number");
            }
        }
        throw new InvalidMessageException(field + " must be a number");
    }

    private static String firstText(JsonNode first, String firstField, JsonNode second, String secondField) {
        return firstNonBlank(text(first, firstField), text(second, secondField));
    }

    private static String firstNonBlank(String first, String second) {
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
        java.util.HashMap<String, String> parameters = new java.util.HashMap<>();
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
