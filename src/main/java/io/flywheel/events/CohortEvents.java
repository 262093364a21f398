package io.flywheel.events;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;

/**
 * The events that define a project's funnel of growth, and the day up to which outcomes count.
 *
 * @param signUpEvent e.g. {@code Signed Up}
 * @param activationEvent e.g. {@code Product Added}
 * @param asOf outcomes up to and including this day count
 */
public record CohortEvents(String signUpEvent, String activationEvent, LocalDate asOf) {

    public CohortEvents {
        requireNonNull(signUpEvent, "signUpEvent is null");
        requireNonNull(activationEvent, "activationEvent is null");
        requireNonNull(asOf, "asOf is null");
    }
}
