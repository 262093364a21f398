package io.flywheel.shared;

import static java.util.Objects.requireNonNull;

/**
 * A user error in one named field of a request. Maps to 400 with a field error. An optional message
 * code with arguments lets pages show the detail in the reader's language; the detail itself is
 * English, for the API and the logs.
 */
public class InvalidInputException extends RuntimeException {

    private final String field;
    private final String code;
    private final Object[] arguments;

    public InvalidInputException(String field, String detail) {
        this(field, detail, null);
    }

    public InvalidInputException(String field, String detail, String code, Object... arguments) {
        super(detail);
        this.field = requireNonNull(field, "field is null");
        this.code = code;
        this.arguments = arguments == null ? new Object[0] : arguments.clone();
    }

    public String field() {
        return field;
    }

    /** A message key for the detail, or null. */
    public String code() {
        return code;
    }

    public Object[] arguments() {
        return arguments.clone();
    }
}
