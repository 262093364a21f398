package io.flywheel.collect.internal;

/** One tracking message is invalid; the reason names the field at fault and is safe to show. */
public class InvalidMessageException extends RuntimeException {

    public InvalidMessageException(String reason) {
        super(reason, null, false, false);
    }
}
