package io.flywheel.collect.internal;

import java.time.Instant;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * A scalar field of a message as it was sent, kept until the whole message (and, in a batch, the whole
 * body) has been read, so that the fields can be judged in {@link MessageParser}'s order. JSON null and
 * an absent field are both a Java null.
 *
 * <p>The conversions mirror what {@link MessageParser} reads from a Jackson tree: {@code text()} as its
 * {@code asString()} of strings, numbers and booleans; ids as strings or integral numbers.
 *
 * @param string the text of a string or a boolean
 * @param number an {@link Integer}, {@link Long} or {@link java.math.BigInteger} for integral numbers,
 *     a {@link Double} for others (as the tree's number nodes)
 */
record RawValue(Kind kind, String string, Number number) {

    enum Kind { STRING, INTEGRAL, FLOAT, BOOLEAN, CONTAINER }

    /** An object or array where a scalar was expected: never a valid id, text or date-time. */
    static final RawValue CONTAINER = new RawValue(Kind.CONTAINER, null, null);
    private static final RawValue TRUE = new RawValue(Kind.BOOLEAN, "true", null);
    private static final RawValue FALSE = new RawValue(Kind.BOOLEAN, "false", null);

    /** The value at the parser's current token, skipping a container; null for JSON null. */
    static RawValue read(JsonParser parser) {
        JsonToken token = parser.currentToken();
        return switch (token) {
            case VALUE_STRING -> new RawValue(Kind.STRING, parser.getString(), null);
            case VALUE_NUMBER_INT -> new RawValue(Kind.INTEGRAL, null, parser.getNumberValue());
            case VALUE_NUMBER_FLOAT -> new RawValue(Kind.FLOAT, null, parser.getDoubleValue());
            case VALUE_TRUE -> TRUE;
            case VALUE_FALSE -> FALSE;
            case VALUE_NULL -> null;
            default -> {
                parser.skipChildren();
                yield CONTAINER;
            }
        };
    }

    /** A string, or the text of a number or boolean; null for containers and absent values. */
    static String text(RawValue value) {
        if (value == null) {
            return null;
        }
        return switch (value.kind) {
            case STRING, BOOLEAN -> value.string;
            // as the tree's DoubleNode.asString(), which is String.valueOf(double)
            case FLOAT -> String.valueOf(value.number.doubleValue());
            case INTEGRAL -> value.number.toString();
            case CONTAINER -> null;
        };
    }

    static String id(RawValue value, String field) {
        if (value == null) {
            return null;
        }
        return switch (value.kind) {
            case STRING -> MessageParser.id(field, value.string);
            case INTEGRAL -> MessageParser.id(field, value.number.toString());
            default -> throw MessageParser.notAString(field);
        };
    }

    static Instant instant(RawValue value, String field) {
        if (value == null) {
            return null;
        }
        if (value.kind != Kind.STRING) {
            throw MessageParser.notADateTimeString(field);
        }
        return MessageParser.instant(field, value.string);
    }

    static Double number(RawValue value, String field) {
        if (value == null) {
            return null;
        }
        return switch (value.kind) {
            case INTEGRAL, FLOAT -> value.number.doubleValue();
            case STRING -> MessageParser.number(field, value.string);
            default -> throw MessageParser.notANumber(field);
        };
    }
}
