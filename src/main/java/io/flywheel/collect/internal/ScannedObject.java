package io.flywheel.collect.internal;

import java.nio.charset.StandardCharsets;

/**
 * A message's {@code properties}, {@code traits} or {@code context} object as read by
 * {@link ObjectScanner}: where it lies in the body, how long Jackson would write it, and the few fields
 * a message's columns are taken from. Fields of another kind of object stay null.
 */
final class ScannedObject {

    /** A value that is present but no object, where an object was required. */
    static final ScannedObject NOT_AN_OBJECT = new ScannedObject(-1);
    /** An absent or null object, stored (and measured by the size rule) as {@code {}}. */
    static final ScannedObject ABSENT = new ScannedObject(-1, "{}");

    /** Byte offset of the opening brace in the body. */
    final int start;
    /** Byte offset of the closing brace in the body. */
    int end;
    /**
     * UTF-8 length of the object as Jackson writes it compactly, as {@link MessageParser} measured the
     * size rule: the raw text may carry whitespace and escapes, so it cannot be measured itself.
     */
    long compactLength;

    // properties and traits
    RawValue url;
    RawValue referrer;
    RawValue orderIdSnakeCase;
    RawValue orderIdCamelCase;
    RawValue revenue;
    RawValue total;
    RawValue currency;

    // context
    RawValue pageUrl;
    RawValue pageReferrer;
    RawValue campaignSource;
    RawValue campaignMedium;
    RawValue campaignName;

    /** A batch's context serves many messages; its text is sliced once. */
    private String text;

    ScannedObject(int start) {
        this.start = start;
    }

    private ScannedObject(int start, String text) {
        this.start = start;
        this.text = text;
        this.compactLength = text.length();
    }

    /** The object's text exactly as sent. */
    String text(byte[] body) {
        if (text == null) {
            text = new String(body, start, end - start + 1, StandardCharsets.UTF_8);
        }
        return text;
    }
}
