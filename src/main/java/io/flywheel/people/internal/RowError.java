package io.flywheel.people.internal;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;

/**
 * One problem in an imported file.
 *
 * @param line the 1-based line of the file the row starts on (1 is the header)
 * @param column the column's header, or null for the whole row
 * @param code the message key's last part ({@code people.import.error.<code>}), with its arguments
 * @param detail the same in English, for the API and the downloadable report
 */
public record RowError(long line, String column, String code, List<String> arguments, String detail) {

    public RowError {
        requireNonNull(code, "code is null");
        requireNonNull(detail, "detail is null");
        arguments = List.copyOf(arguments);
    }

    static RowError of(long line, String column, String code, String detail, Object... arguments) {
        return new RowError(line, column, code, Arrays.stream(arguments).map(String::valueOf).toList(), detail);
    }
}
