package io.flywheel.events.internal;

/** The event engine failed; an internal error, never the caller's fault. */
public class EventStoreException extends RuntimeException {

    public EventStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
