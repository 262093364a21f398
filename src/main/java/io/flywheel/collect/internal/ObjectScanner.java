package io.flywheel.collect.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.io.CharTypes;
import tools.jackson.core.io.NumberOutput;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a {@code properties}, {@code traits} or {@code context} object token by token, without building
 * it, into a {@link ScannedObject}: its place in the body, the fields the message's columns come from,
 * and its length as the mapper would write it compactly from a tree.
 *
 * <p>That length keeps the 32 KB rule exactly where {@link MessageParser} drew it, which measured the
 * re-serialised tree: without whitespace, with Jackson's escapes and number forms, a repeated key once
 * (at its first place, with its last value). One scanner serves one body; it is not thread-safe.
 */
final class ObjectScanner {

    /** How the mapper writes JSON, in the respects that change a written length. */
    record Writing(int[] escapes, boolean escapeNonAscii, boolean fastDoubleWriter, boolean nanAsStrings) {

        static Writing of(JsonMapper json) {
            return new Writing(CharTypes.get7BitOutputEscapes('"', json.isEnabled(JsonWriteFeature.ESCAPE_FORWARD_SLASHES)),
                    json.isEnabled(JsonWriteFeature.ESCAPE_NON_ASCII), json.isEnabled(StreamWriteFeature.USE_FAST_DOUBLE_WRITER),
                    json.isEnabled(JsonWriteFeature.WRITE_NAN_AS_STRINGS));
        }
    }

    /** Which fields of an object are kept; the others are only measured. */
    enum Scope {
        PROPERTIES, CONTEXT, PAGE, CAMPAIGN, NONE;

        Scope child(String name) {
            if (this != CONTEXT) {
                return NONE;
            }
            return switch (name) {
                case "page" -> PAGE;
                case "campaign" -> CAMPAIGN;
                default -> NONE;
            };
        }
    }

    private final JsonParser parser;
    private final Writing writing;
    /** Keys seen in the open object at each depth, reused from object to object. */
    private final List<Keys> keysByDepth = new ArrayList<>();

    ObjectScanner(JsonParser parser, Writing writing) {
        this.parser = parser;
        this.writing = writing;
    }

    /**
     * Reads the value at the current token as an object field of a message.
     *
     * @return null for JSON null, {@link ScannedObject#NOT_AN_OBJECT} for any other value that is no object
     */
    ScannedObject object(Scope scope) {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return ScannedObject.NOT_AN_OBJECT;
        }
        ScannedObject object = new ScannedObject(offset());
        object.compactLength = objectLength(scope, object, 0);
        object.end = offset();
        return object;
    }

    private int offset() {
        // offsets into a byte array fit an int
        return (int) parser.currentTokenLocation().getByteOffset();
    }

    private long objectLength(Scope scope, ScannedObject object, int depth) {
        Keys keys = keys(depth);
        long length = 2;
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            Scope child = scope.child(name);
            if (child != Scope.NONE) {
                clear(object, child);
            }
            keep(scope, name, object);
            long entry = stringLength(name) + 1 + valueLength(child, object, depth + 1);
            length += keys.put(name, entry);
        }
        return length;
    }

    private long arrayLength(int depth) {
        long length = 2;
        int count = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            length += valueLength(Scope.NONE, null, depth + 1) + (count++ > 0 ? 1 : 0);
        }
        return length;
    }

    private long valueLength(Scope scope, ScannedObject object, int depth) {
        return switch (parser.currentToken()) {
            case START_OBJECT -> objectLength(scope, object, depth);
            case START_ARRAY -> arrayLength(depth);
            case VALUE_STRING -> stringLength(parser.getStringCharacters(), parser.getStringOffset(), parser.getStringLength());
            case VALUE_NUMBER_INT -> integerLength();
            case VALUE_NUMBER_FLOAT -> floatLength(parser.getDoubleValue());
            case VALUE_TRUE, VALUE_NULL -> 4;
            case VALUE_FALSE -> 5;
            default -> throw new IllegalStateException("unexpected token " + parser.currentToken());
        };
    }

    /** A repeated page or campaign replaces the earlier one entirely, as in a tree. */
    private static void clear(ScannedObject object, Scope scope) {
        if (scope == Scope.PAGE) {
            object.pageUrl = null;
            object.pageReferrer = null;
        }
        else {
            object.campaignSource = null;
            object.campaignMedium = null;
            object.campaignName = null;
        }
    }

    /** Keeps the value at the current token if the message needs it; the parser stays on the token. */
    private void keep(Scope scope, String name, ScannedObject object) {
        switch (scope) {
            case PROPERTIES -> {
                switch (name) {
                    case "url" -> object.url = scalar();
                    case "referrer" -> object.referrer = scalar();
                    case "order_id" -> object.orderIdSnakeCase = scalar();
                    case "orderId" -> object.orderIdCamelCase = scalar();
                    case "revenue" -> object.revenue = scalar();
                    case "total" -> object.total = scalar();
                    case "currency" -> object.currency = scalar();
                    default -> { }
                }
            }
            case PAGE -> {
                switch (name) {
                    case "url" -> object.pageUrl = scalar();
                    case "referrer" -> object.pageReferrer = scalar();
                    default -> { }
                }
            }
            case CAMPAIGN -> {
                switch (name) {
                    case "source" -> object.campaignSource = scalar();
                    case "medium" -> object.campaignMedium = scalar();
                    case "name" -> object.campaignName = scalar();
                    default -> { }
                }
            }
            default -> { }
        }
    }

    /** The scalar at the current token, or {@link RawValue#CONTAINER} without leaving the container's start. */
    private RawValue scalar() {
        JsonToken token = parser.currentToken();
        return token.isStructStart() ? RawValue.CONTAINER : RawValue.read(parser);
    }

    private long integerLength() {
        // the tree keeps the number's value, so "-0" is written "0"
        return switch (parser.getNumberType()) {
            case INT, LONG -> decimalLength(parser.getLongValue());
            default -> parser.getBigIntegerValue().toString().length();
        };
    }

    private long floatLength(double value) {
        int length = NumberOutput.toString(value, writing.fastDoubleWriter()).length();
        return NumberOutput.notFinite(value) && writing.nanAsStrings() ? length + 2 : length;
    }

    static int decimalLength(long value) {
        int length = value < 0 ? 1 : 0;
        // counted on the negative side, which also holds Long.MIN_VALUE
        long rest = value < 0 ? value : -value;
        do {
            length++;
            rest /= 10;
        } while (rest != 0);
        return length;
    }

    private long stringLength(String text) {
        long length = 2 + text.length();
        for (int i = 0; i < text.length(); i++) {
            length += extraBytes(text.charAt(i));
        }
        return length;
    }

    private long stringLength(char[] characters, int offset, int count) {
        long length = 2 + count;
        for (int i = offset; i < offset + count; i++) {
            length += extraBytes(characters[i]);
        }
        return length;
    }

    /** Bytes beyond one that a char of a string takes once escaped and encoded. */
    private int extraBytes(char c) {
        if (c < 128) {
            int escape = writing.escapes()[c];
            // a negative code is a \\u00XX escape, a positive one a two-character escape such as \n
            return escape == 0 ? 0 : escape < 0 ? 5 : 1;
        }
        return writing.escapeNonAscii() ? 5 : MessageParser.extraUtf8Bytes(c);
    }

    private Keys keys(int depth) {
        while (keysByDepth.size() <= depth) {
            keysByDepth.add(new Keys());
        }
        Keys keys = keysByDepth.get(depth);
        keys.clear();
        return keys;
    }

    /** The keys of one object with the written length of each entry, to count a repeated key once. */
    private static final class Keys {

        /** Few objects have more keys than this; past it, a map finds repeats. */
        private static final int LINEAR_SEARCH_LIMIT = 8;
        private String[] names = new String[LINEAR_SEARCH_LIMIT];
        private long[] lengths = new long[LINEAR_SEARCH_LIMIT];
        private int size;
        private final Map<String, Integer> indexes = new HashMap<>();

        void clear() {
            if (size > LINEAR_SEARCH_LIMIT) {
                indexes.clear();
            }
            size = 0;
        }

        /** @return how much the object's written length grows: the entry and its comma, or the change of a repeated key's value */
        long put(String name, long entryLength) {
            int index = indexOf(name);
            if (index >= 0) {
                long growth = entryLength - lengths[index];
                lengths[index] = entryLength;
                return growth;
            }
            add(name, entryLength);
            return size > 1 ? entryLength + 1 : entryLength;
        }

        private int indexOf(String name) {
            if (size > LINEAR_SEARCH_LIMIT) {
                Integer index = indexes.get(name);
                return index == null ? -1 : index;
            }
            for (int i = 0; i < size; i++) {
                if (names[i].equals(name)) {
                    return i;
                }
            }
            return -1;
        }

        private void add(String name, long entryLength) {
            if (size == names.length) {
                names = Arrays.copyOf(names, size * 2);
                lengths = Arrays.copyOf(lengths, size * 2);
            }
            names[size] = name;
            lengths[size] = entryLength;
            size++;
            if (size == LINEAR_SEARCH_LIMIT + 1) {
                for (int i = 0; i < size; i++) {
                    indexes.put(names[i], i);
                }
            }
            else if (size > LINEAR_SEARCH_LIMIT + 1) {
                indexes.put(name, size - 1);
            }
        }
    }
}
