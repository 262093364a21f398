package io.flywheel.people.web;

import io.flywheel.shared.InvalidInputException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** Days given as request parameters: ISO dates such as {@code 2026-03-01}. */
final class Days {

    private Days() {
    }

    /**
     * The day, or {@code fallback} when none was given.
     *
     * @throws InvalidInputException on {@code field} when the text is no day
     */
    static LocalDate parse(String text, String field, LocalDate fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(text.strip());
        }
        catch (DateTimeParseException e) {
            throw new InvalidInputException(field, field + " must be a day such as 2026-03-01, not '" + text.strip() + "'");
        }
    }
}
