package io.flywheel.collect.internal;

import static java.util.Objects.requireNonNull;

import io.flywheel.collect.internal.MalformedBodyException.Reason;
import io.flywheel.collect.internal.MessageParser.Campaign;
import io.flywheel.collect.internal.ObjectScanner.Scope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a tracking request body (UTF-8 JSON) straight into {@link Message}s in one pass of Jackson's
 * streaming parser, with the decisions, normalised fields and reasons of {@link MessageParser} on a
 * Jackson tree. No tree is built: {@code properties}, {@code traits} and {@code context} are kept as
 * the text sliced from the body, after the parser has checked it.
 *
 * <p>Fields come in document order but are judged in {@link MessageParser}'s order once a message (and,
 * for a batch, the whole body, whose {@code sentAt} and {@code context} may follow the items) has been
 * read, so that the first failure reported is the same.
 *
 * <p>It mirrors the mapper's tree in its default number handling (doubles, not BigDecimal, for
 * fractions) and with repeated keys allowed, the last one winning.
 */
public final class StreamingMessageParser {

    private static final String NOT_A_MESSAGE = "a message must be a JSON object";

    private final JsonMapper json;
    private final ObjectScanner.Writing writing;
    private final boolean failOnTrailingTokens;

    public StreamingMessageParser(JsonMapper json) {
        this.json = requireNonNull(json, "json is null");
        this.writing = ObjectScanner.Writing.of(json);
        this.failOnTrailingTokens = json.isEnabled(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * The messages of a batch body, in project 0 (see {@link Message#withProject}).
     *
     * @param body      a body of a {@code batch} array with optional {@code sentAt}, {@code context} and {@code writeKey}
     * @throws MalformedBodyException when the body is no JSON object with a {@code batch} array
     */
    public Body parseBatch(byte[] body, Instant receivedAt) {
        return parse(body, null, receivedAt);
    }

    /**
     * The message of a single call; an invalid message is the one rejection, at index 0.
     *
     * @param type the call from the URL: track, page, screen, identify, group or alias
     * @throws MalformedBodyException when the body is no JSON object
     */
    public Body parseSingle(byte[] body, String type, Instant receivedAt) {
        return parse(body, requireNonNull(type, "type is null"), receivedAt);
    }

    private Body parse(byte[] body, String type, Instant receivedAt) {
        requireNonNull(body, "body is null");
        requireNonNull(receivedAt, "receivedAt is null");
        Read read;
        try (JsonParser parser = json.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first != null && parser.currentTokenLocation().getByteOffset() < 0) {
                return parse(utf8(body), type, receivedAt);
            }
            if (first != JsonToken.START_OBJECT) {
                parser.skipChildren();
                verifyEnd(parser);
                throw new MalformedBodyException(Reason.NOT_AN_OBJECT, null);
            }
            BodyReader reader = new BodyReader(parser, type);
            read = type == null ? reader.batch() : reader.single();
            verifyEnd(parser);
        }
        catch (JacksonException e) {
            throw new MalformedBodyException(Reason.NOT_JSON, null);
        }
        if (read.messages == null) {
            throw new MalformedBodyException(Reason.BATCH_NOT_AN_ARRAY, read.writeKey);
        }
        return finish(read, body, type, receivedAt);
    }

    /**
     * The body in UTF-8, from the UTF-16 or UTF-32 Jackson also detects: such bodies are read through
     * a tree, once, as no library sends them and slicing needs byte offsets into UTF-8.
     */
    private byte[] utf8(byte[] body) {
        return json.writeValueAsBytes(json.readTree(body));
    }

    /** As the tree's reader, which fails on a second value after the first one. */
    private void verifyEnd(JsonParser parser) {
        if (failOnTrailingTokens && parser.nextToken() != null) {
            throw new MalformedBodyException(Reason.NOT_JSON, null);
        }
    }

    private static Body finish(Read read, byte[] body, String type, Instant receivedAt) {
        List<Message> messages = new ArrayList<>(read.messages.size());
        List<Rejection> rejected = new ArrayList<>();
        for (int index = 0; index < read.messages.size(); index++) {
            RawMessage message = read.messages.get(index);
            if (message == RawMessage.NOT_AN_OBJECT) {
                rejected.add(new Rejection(index, NOT_A_MESSAGE));
                continue;
            }
            try {
                messages.add(message(message, read, body, type, receivedAt));
            }
            catch (InvalidMessageException e) {
                rejected.add(new Rejection(index, e.getMessage()));
            }
        }
        return new Body(read.writeKey, messages, rejected, read.messages.size());
    }

    /** {@link MessageParser#parse}, step by step on the values as sent. */
    private static Message message(RawMessage raw, Read read, byte[] body, String type, Instant receivedAt) {
        String callType = MessageParser.callType(type != null ? type : RawValue.text(raw.type));
        String anonymousId = RawValue.id(raw.anonymousId, "anonymousId");
        String userId = RawValue.id(raw.userId, "userId");
        MessageParser.requireIdentity(anonymousId, userId);
        String messageId = RawValue.id(raw.messageId, "messageId");
        if (messageId == null) {
            messageId = UUID.randomUUID().toString();
        }
        String propertiesField = MessageParser.propertiesField(callType);
        ScannedObject properties = object(propertiesField.equals("traits") ? raw.traits : raw.properties, propertiesField);
        // batch-level sentAt and context apply to items that do not carry their own, as in Segment
        ScannedObject context = object(raw.hasContext || !read.hasContext ? raw.context : read.context, "context");
        RawValue sentAt = raw.hasSentAt || !read.hasSentAt ? raw.sentAt : read.sentAt;
        String event = MessageParser.eventName(callType, RawValue.text(raw.event));
        String previousId = null;
        String groupId = null;
        if (callType.equals("alias")) {
            previousId = RawValue.id(raw.previousId, "previousId");
            MessageParser.requireAlias(previousId, userId);
        }
        if (callType.equals("group")) {
            groupId = RawValue.id(raw.groupId, "groupId");
            MessageParser.requireGroup(groupId);
        }
        Instant timestamp = RawValue.instant(raw.timestamp, "timestamp");
        if (timestamp == null) {
            timestamp = RawValue.instant(raw.originalTimestamp, "originalTimestamp");
        }
        timestamp = MessageParser.eventTime(timestamp, RawValue.instant(sentAt, "sentAt"), receivedAt);
        Double revenue = RawValue.number(properties.revenue, "revenue");
        if (revenue == null) {
            revenue = RawValue.number(properties.total, "total");
        }
        MessageParser.requireSize(properties.compactLength + context.compactLength);
        return MessageParser.message(0, messageId, callType, event, anonymousId, userId, previousId, groupId, timestamp, receivedAt,
                firstNonBlank(properties.url, context.pageUrl), firstNonBlank(properties.referrer, context.pageReferrer),
                new Campaign(RawValue.text(context.campaignSource), RawValue.text(context.campaignMedium), RawValue.text(context.campaignName)),
                firstNonBlank(properties.orderIdSnakeCase, properties.orderIdCamelCase), revenue, RawValue.text(properties.currency),
                properties.text(body), context.text(body));
    }

    /** @return {@link ScannedObject#ABSENT} for an absent or null object */
    private static ScannedObject object(ScannedObject object, String field) {
        if (object == ScannedObject.NOT_AN_OBJECT) {
            throw MessageParser.notAnObject(field);
        }
        return object == null ? ScannedObject.ABSENT : object;
    }

    private static String firstNonBlank(RawValue first, RawValue second) {
        return MessageParser.firstNonBlank(RawValue.text(first), RawValue.text(second));
    }

    /**
     * What a body holds, before its messages are judged.
     *
     * @param messages null when a batch body has no {@code batch} array
     */
    private record Read(String writeKey, List<RawMessage> messages, boolean hasSentAt, RawValue sentAt,
            boolean hasContext, ScannedObject context) {
    }

    /** Reads one body; the parser stands on the opening brace of the body's object. */
    private final class BodyReader {

        private final JsonParser parser;
        private final ObjectScanner scanner;
        /** The call type of a single call, or null in a batch, where each item names its own. */
        private final String type;

        BodyReader(JsonParser parser, String type) {
            this.parser = parser;
            this.scanner = new ObjectScanner(parser, writing);
            this.type = type == null ? null : type.toLowerCase(Locale.ROOT);
        }

        Read single() {
            RawMessage message = new RawMessage();
            String writeKey = null;
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (name.equals("writeKey")) {
                    writeKey = writeKey();
                }
                else {
                    field(message, name);
                }
            }
            return new Read(writeKey, List.of(message), false, null, false, null);
        }

        Read batch() {
            String writeKey = null;
            List<RawMessage> messages = null;
            boolean hasSentAt = false;
            RawValue sentAt = null;
            boolean hasContext = false;
            ScannedObject context = null;
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "batch" -> messages = items();
                    case "sentAt" -> {
                        hasSentAt = true;
                        sentAt = RawValue.read(parser);
                    }
                    case "context" -> {
                        hasContext = true;
                        context = scanner.object(Scope.CONTEXT);
                    }
                    case "writeKey" -> writeKey = writeKey();
                    default -> parser.skipChildren();
                }
            }
            return new Read(writeKey, messages, hasSentAt, sentAt, hasContext, context);
        }

        private String writeKey() {
            if (parser.currentToken() == JsonToken.VALUE_STRING) {
                return parser.getString();
            }
            parser.skipChildren();
            return null;
        }

        /** @return null when the value is no array */
        private List<RawMessage> items() {
            if (parser.currentToken() != JsonToken.START_ARRAY) {
                parser.skipChildren();
                return null;
            }
            List<RawMessage> messages = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (parser.currentToken() != JsonToken.START_OBJECT) {
                    parser.skipChildren();
                    messages.add(RawMessage.NOT_AN_OBJECT);
                    continue;
                }
                RawMessage message = new RawMessage();
                while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    field(message, name);
                }
                messages.add(message);
            }
            return messages;
        }

        /** Keeps one field of a message, the parser on its value; fields no message uses are skipped unread. */
        private void field(RawMessage message, String name) {
            switch (name) {
                case "type" -> message.type = RawValue.read(parser);
                case "anonymousId" -> message.anonymousId = RawValue.read(parser);
                case "userId" -> message.userId = RawValue.read(parser);
                case "messageId" -> message.messageId = RawValue.read(parser);
                case "event" -> message.event = RawValue.read(parser);
                case "previousId" -> message.previousId = RawValue.read(parser);
                case "groupId" -> message.groupId = RawValue.read(parser);
                case "timestamp" -> message.timestamp = RawValue.read(parser);
                case "originalTimestamp" -> message.originalTimestamp = RawValue.read(parser);
                case "sentAt" -> {
                    message.hasSentAt = true;
                    message.sentAt = RawValue.read(parser);
                }
                case "properties" -> message.properties = propertiesObject("properties");
                case "traits" -> message.traits = propertiesObject("traits");
                case "context" -> {
                    message.hasContext = true;
                    message.context = scanner.object(Scope.CONTEXT);
                }
                default -> parser.skipChildren();
            }
        }

        /** A single call's type says whether properties or traits count; a batch item may name its type last. */
        private ScannedObject propertiesObject(String field) {
            if (type != null && !MessageParser.propertiesField(type).equals(field)) {
                parser.skipChildren();
                return null;
            }
            return scanner.object(Scope.PROPERTIES);
        }
    }

    /**
     * @param writeKey the body's {@code writeKey} if it is a string (the caller may have one from the HTTP header instead)
     * @param messages the valid messages, in project 0
     * @param rejected the invalid ones, by index in the batch (0 for a single call)
     * @param size     how many messages the body holds, valid or not
     */
    public record Body(String writeKey, List<Message> messages, List<Rejection> rejected, int size) {

        public Body {
            messages = List.copyOf(messages);
            rejected = List.copyOf(rejected);
        }
    }

    /** @param reason why the message at this index was not accepted, safe to show */
    public record Rejection(int index, String reason) {

        public Rejection {
            requireNonNull(reason, "reason is null");
        }
    }
}
