package io.flywheel.events;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/**
 * A condition on persons, the rule language of segments and rule tags. Persons are merged
 * identities: a root with every person merged into it; a condition holds for the root when it holds
 * for the merged person as a whole (its events, its combined traits, its sets). "Now" and the
 * project's time zone come from the {@link Audience} a condition is evaluated for.
 */
public sealed interface PersonCondition {

    /** Every condition holds. */
    record All(List<PersonCondition> conditions) implements PersonCondition {
        public All {
            conditions = nonEmpty(conditions);
        }
    }

    /** At least one condition holds. */
    record Any(List<PersonCondition> conditions) implements PersonCondition {
        public Any {
            conditions = nonEmpty(conditions);
        }
    }

    /** The condition does not hold (every person of the project who is not matched). */
    record Not(PersonCondition condition) implements PersonCondition {
        public Not {
            requireNonNull(condition, "condition is null");
        }
    }

    /**
     * A top-level trait of the person's combined traits, compared with the operators of event
     * filters: as text for equality, lists and containment, as a number for the numeric operators.
     * The negative operators ({@code NOT_EQUALS}, {@code NOT_IN}, {@code NOT_CONTAINS}) are the
     * negation of the positive ones, so they hold for persons without the trait.
     */
    record Trait(String key, EventFilter.Operator operator, List<String> values) implements PersonCondition {
        public Trait {
            requireNonNull(key, "key is null");
            requireNonNull(operator, "operator is null");
            values = List.copyOf(requireNonNull(values, "values is null"));
            if (!PersonQuery.isValidTraitKey(key)) {
                throw new IllegalArgumentException("a trait name has 1 to 200 characters and no quotes, backslashes or control characters");
            }
            new EventFilter("trait", operator, values); // the same checks on the values
        }
    }

    /**
     * The person did {@code event} (any event when it is {@link #ANY_EVENT}) with every filter
     * holding, a number of times that satisfies {@code count}, inside {@code window}. "Did not" is
     * {@code Count.atMost(0)}.
     */
    record Did(String event, List<EventFilter> filters, Count count, Window window) implements PersonCondition {
        public Did {
            requireNonNull(event, "event is null");
            filters = List.copyOf(requireNonNull(filters, "filters is null"));
            requireNonNull(count, "count is null");
            requireNonNull(window, "window is null");
            if (event.isBlank()) {
                throw new IllegalArgumentException("event is blank");
            }
        }
    }

    /**
     * The person did an event matching {@code first} and, strictly later and at most {@code within}
     * after it, an event matching {@code then}; both inside {@code window}.
     */
    record Sequence(Step first, Step then, Duration within, Window window) implements PersonCondition {
        public Sequence {
            requireNonNull(first, "first is null");
            requireNonNull(then, "then is null");
            requireNonNull(within, "within is null");
            requireNonNull(window, "window is null");
            if (within.isNegative() || within.isZero()) {
                throw new IllegalArgumentException("within must be positive");
            }
        }
    }

    /**
     * How far the person got in an ordered funnel, counted as the funnel report counts it
     * ({@link FunnelSpec}, ClickHouse {@code windowFunnel} default mode): the furthest step reached
     * by a chain of events matching steps 1..k in order (equal timestamps taken in step order, so
     * one event matching two consecutive steps fills both), every event of the chain at most
     * {@code within} after the chain's step-1 event. Only the step-1 event must fall inside
     * {@code window}; later steps may follow up to {@code within} after its end. Holds when the
     * furthest step is at least {@code reached}, or with {@code exactly} equal to it: reached step
     * k and not step k+1 (the drop-off after step k); exactly the last step is "converted".
     */
    record Funnel(List<Step> steps, Duration within, Window window, int reached, boolean exactly) implements PersonCondition {
        public Funnel {
            steps = List.copyOf(requireNonNull(steps, "steps is null"));
            requireNonNull(within, "within is null");
            requireNonNull(window, "window is null");
            if (steps.size() < 2 || steps.size() > FunnelSpec.MAX_STEPS) {
                throw new IllegalArgumentException("a funnel has 2 to " + FunnelSpec.MAX_STEPS + " steps");
            }
            if (within.isNegative() || within.isZero()) {
                throw new IllegalArgumentException("within must be positive");
            }
            if (reached < 1 || reached > steps.size()) {
                throw new IllegalArgumentException("reached must be a step of the funnel, 1 to " + steps.size());
            }
        }
    }

    /**
     * The person's RFM figures as the RFM report computes them at today (in the project's zone)
     * over the completed orders of the last {@code windowDays} days: in one of {@code segments}
     * (names as in the RFM report, e.g. {@code important_value}; empty for any) and with scores in
     * the given ranges. Persons without a completed order in the window have no RFM and never match.
     */
    record Rfm(int windowDays, Set<String> segments, Range r, Range f, Range m) implements PersonCondition {
        public Rfm {
            segments = Set.copyOf(requireNonNull(segments, "segments is null"));
            requireNonNull(r, "r is null");
            requireNonNull(f, "f is null");
            requireNonNull(m, "m is null");
            if (windowDays < 1 || windowDays > 3660) {
                throw new IllegalArgumentException("windowDays must be 1 to 3660");
            }
        }
    }

    /** The person's current lifecycle stage is one of {@code stages}. */
    record Stage(Set<LifecycleStage> stages) implements PersonCondition {
        public Stage {
            stages = Set.copyOf(requireNonNull(stages, "stages is null"));
            if (stages.isEmpty()) {
                throw new IllegalArgumentException("stages is empty");
            }
        }
    }

    /**
     * The person's first-touch (or last-touch) channel is one of {@code channels};
     * {@link Breakdown#NONE} stands for persons without a touch.
     */
    record Touch(boolean firstTouch, Set<String> channels) implements PersonCondition {
        public Touch {
            channels = Set.copyOf(requireNonNull(channels, "channels is null"));
            if (channels.isEmpty()) {
                throw new IllegalArgumentException("channels is empty");
            }
        }
    }

    /** The person is a member of a stored person set (a tag or a segment), see {@link PersonSets}. */
    record InSet(String key) implements PersonCondition {
        public InSet {
            PersonSets.checkKey(key);
        }
    }

    /** Stands for any event in {@link Did} and {@link Step} (sequences and funnels). */
    String ANY_EVENT = "$any";

    /** An event name with property filters. */
    record Step(String event, List<EventFilter> filters) {
        public Step {
            requireNonNull(event, "event is null");
            filters = List.copyOf(requireNonNull(filters, "filters is null"));
            if (event.isBlank()) {
                throw new IllegalArgumentException("event is blank");
            }
        }
    }

    /** How many matching events: at least, at most or exactly {@code value}. */
    record Count(Comparison comparison, long value) {
        public enum Comparison {
            AT_LEAST, AT_MOST, EXACTLY
        }

        public Count {
            requireNonNull(comparison, "comparison is null");
            if (value < 0) {
                throw new IllegalArgumentException("a count must not be negative");
            }
        }

        public static Count atLeast(long value) {
            return new Count(Comparison.AT_LEAST, value);
        }

        public static Count atMost(long value) {
            return new Count(Comparison.AT_MOST, value);
        }

        public boolean test(long n) {
            return switch (comparison) {
                case AT_LEAST -> n >= value;
                case AT_MOST -> n <= value;
                case EXACTLY -> n == value;
            };
        }
    }

    /**
     * Which events count. {@code lastDays}: timestamps in {@code [now - lastDays × 24 h, now]};
     * {@code from}/{@code to}: inclusive days in the project's zone (either may be open); all null:
     * every event.
     */
    record Window(Integer lastDays, LocalDate from, LocalDate to) {
        public Window {
            if (lastDays != null && (from != null || to != null)) {
                throw new IllegalArgumentException("a window is either the last days or a range of dates");
            }
            if (lastDays != null && (lastDays < 1 || lastDays > 3660)) {
                throw new IllegalArgumentException("lastDays must be 1 to 3660");
            }
            if (from != null && to != null && to.isBefore(from)) {
                throw new IllegalArgumentException("to must not be before from");
            }
        }

        public static Window ever() {
            return new Window(null, null, null);
        }

        public static Window lastDays(int days) {
            return new Window(days, null, null);
        }
    }

    /** An inclusive range of RFM scores 1..5. */
    record Range(int min, int max) {
        public Range {
            if (min < 1 || max > 5 || max < min) {
                throw new IllegalArgumentException("a score range lies within 1..5");
            }
        }

        public static Range all() {
            return new Range(1, 5);
        }
    }

    private static List<PersonCondition> nonEmpty(List<PersonCondition> conditions) {
        List<PersonCondition> copy = List.copyOf(requireNonNull(conditions, "conditions is null"));
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("a group needs at least one condition");
        }
        return copy;
    }
}
