package io.flywheel.collect.internal;

/**
 * The fields of one message as sent, collected in document order (a repeated key replaces the earlier
 * value) and judged only once the message, and for a batch the whole body, has been read.
 */
final class RawMessage {

    /** A batch item that is no JSON object. */
    static final RawMessage NOT_AN_OBJECT = new RawMessage();

    RawValue type;
    RawValue anonymousId;
    RawValue userId;
    RawValue messageId;
    RawValue event;
    RawValue previousId;
    RawValue groupId;
    RawValue timestamp;
    RawValue originalTimestamp;
    RawValue sentAt;
    ScannedObject properties;
    ScannedObject traits;
    ScannedObject context;
    /** Whether the message names these fields at all, even as null: only then does it keep its own over the batch's. */
    boolean hasSentAt;
    boolean hasContext;
}
