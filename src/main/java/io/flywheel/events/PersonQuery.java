package io.flywheel.events;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * Which persons a person list holds and in which order. Persons are merged identities: a root
 * with every person merged into it, listed once.
 *
 * @param text matched case-insensitively as a substring of the persons' userIds, anonymousIds and
 *     trait values, and exactly against a person id; null for everyone
 * @param channel the first-touch channel; {@link Breakdown#NONE} for persons without a touch; null for any
 * @param traitKey a top-level trait whose value must equal {@code traitValue}; null for any
 * @param traitValue the value the trait must have, as text
 * @param ascending oldest, fewest first instead of latest, most first
 */
public record PersonQuery(String text, String channel, String traitKey, String traitValue, Sort sort, boolean ascending) {

    /** Trait names travel inside a JSON path, so they may not contain quotes, backslashes or control characters. */
    private static final Pattern TRAIT_KEY = Pattern.compile("[^\"'\\\\\\p{Cntrl}]{1,200}");

    /** What the list is ordered by; ties are broken by person id. */
    public enum Sort {
        LAST_SEEN, FIRST_SEEN, EVENTS
    }

    public PersonQuery {
        text = blankToNull(text);
        channel = blankToNull(channel);
        traitKey = blankToNull(traitKey);
        requireNonNull(sort, "sort is null");
        if (traitKey != null) {
            if (!TRAIT_KEY.matcher(traitKey).matches()) {
                throw new IllegalArgumentException("a trait name has 1 to 200 characters and no quotes, backslashes or control characters");
            }
            requireNonNull(traitValue, "traitValue is null");
        }
        else {
            traitValue = null;
        }
    }

    /** Everyone, the most recently seen first. */
    public static PersonQuery everyone() {
        return new PersonQuery(null, null, null, null, Sort.LAST_SEEN, false);
    }

    /** Whether {@code name} may name a trait in a query. */
    public static boolean isValidTraitKey(String name) {
        return name != null && TRAIT_KEY.matcher(name).matches();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
