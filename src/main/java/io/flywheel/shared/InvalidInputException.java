package io.flywheel.shared;

import static java.util.Objects.requireNonNull;

/** A user error in one named field of a request. Maps to 400 with a field error. */
public class InvalidInputException extends RuntimeException {

    private final String field;

    public InvalidInputException(String field, String detail) {
        super(detail);
        this.field = requireNonNull(field, "field is null");
    }

    public String field() {
        return field;
    }
}
