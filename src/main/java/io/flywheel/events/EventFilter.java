package io.flywheel.events;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A condition on one property of an event. A property whose name starts with {@code $} is one of
 * the stored columns ({@code $channel}, {@code $utm_source}, {@code $utm_medium}, {@code $utm_campaign},
 * {@code $url}, {@code $referrer}, {@code $type}, {@code $revenue}, {@code $currency}, {@code $order_id},
 * {@code $user_id}); any other name is a key of the event's properties, dots reaching into nested
 * objects ({@code product.category}).
 *
 * @param values compared as text for equality and containment, as numbers for the numeric operators;
 *               empty for {@code IS_SET} and {@code IS_NOT_SET}
 */
public record EventFilter(String property, Operator operator, List<String> values) {

    public enum Operator {
        EQUALS, NOT_EQUALS, CONTAINS, NOT_CONTAINS, IN, NOT_IN, GT, GTE, LT, LTE, IS_SET, IS_NOT_SET;

        public boolean numeric() {
            return this == GT || this == GTE || this == LT || this == LTE;
        }

        public boolean takesValues() {
            return this != IS_SET && this != IS_NOT_SET;
        }
    }

    public EventFilter {
        requireNonNull(property, "property is null");
        requireNonNull(operator, "operator is null");
        values = List.copyOf(requireNonNull(values, "values is null"));
        if (property.isBlank()) {
            throw new IllegalArgumentException("property is blank");
        }
        if (operator.takesValues() && values.isEmpty()) {
            throw new IllegalArgumentException(operator + " needs a value");
        }
        if (operator.numeric()) {
            for (String value : values) {
                try {
                    Double.parseDouble(value);
                }
                catch (NumberFormatException e) {
                    throw new IllegalArgumentException(operator + " needs a number, not '" + value + "'");
                }
            }
        }
    }
}
