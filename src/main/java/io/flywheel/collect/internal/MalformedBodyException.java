package io.flywheel.collect.internal;

import static java.util.Objects.requireNonNull;

/**
 * A tracking request body that cannot be read as messages at all, as opposed to one invalid message
 * ({@link InvalidMessageException}). The reason is safe to show.
 */
public final class MalformedBodyException extends RuntimeException {

    /** What is wrong with the body, each with the text the tracking API answers. */
    public enum Reason {
        NOT_JSON("the body is not valid JSON"),
        NOT_AN_OBJECT("the body must be a JSON object"),
        BATCH_NOT_AN_ARRAY("batch must be an array of messages");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    private final Reason reason;
    private final String writeKey;

    MalformedBodyException(Reason reason, String writeKey) {
        super(requireNonNull(reason, "reason is null").text(), null, false, false);
        this.reason = reason;
        this.writeKey = writeKey;
    }

    public Reason reason() {
        return reason;
    }

    /**
     * The body's {@code writeKey} when the body was a JSON object (a batch whose {@code batch} is no
     * array), else null: the API authenticates such a request before it answers that the batch is wrong.
     */
    public String writeKey() {
        return writeKey;
    }
}
