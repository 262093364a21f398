package io.flywheel.people.internal;

import java.util.Arrays;

/**
 * The file cannot be imported at all (empty, wrong encoding, no header, not CSV). The code names a
 * message ({@code people.import.error.<code>}) for pages; the message is English for the API.
 */
public final class ImportRejectedException extends RuntimeException {

    private final String code;
    private final Object[] arguments;

    ImportRejectedException(String code, String detail, Object... arguments) {
        super(detail, null, false, false);
        this.code = code;
        this.arguments = arguments.clone();
    }

    public String code() {
        return code;
    }

    public Object[] arguments() {
        return Arrays.copyOf(arguments, arguments.length);
    }
}
