package io.flywheel.shared;

/** The request contradicts the current state (a duplicate name, a stale change). Maps to 409. */
public class ConflictException extends RuntimeException {

    public ConflictException(String detail) {
        super(detail);
    }
}
