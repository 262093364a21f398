package io.flywheel.events;

import static java.util.Objects.requireNonNull;

/**
 * What to split a result by: a property of the event (same names as {@link EventFilter}), or the
 * person's first-touch channel.
 */
public record Breakdown(Kind kind, String name, int limit, java.util.List<String> groups) {

    public enum Kind { EVENT_PROPERTY, FIRST_TOUCH_CHANNEL }

    /** The group that collects every value outside the top {@code limit}. */
    public static final String OTHER = "$other";
    /** The group of events or persons without a value. */
    public static final String NONE = "$none";

    /** A breakdown into the top {@code limit} groups, the rest in {@link #OTHER}. */
    public Breakdown(Kind kind, String name, int limit) {
        this(kind, name, limit, java.util.List.of());
    }

    /**
     * @param groups when not empty, exactly these groups (the rest in {@link #OTHER}) instead of the top ones;
     *               used to compare a period with the groups of another
     */
    public Breakdown {
        requireNonNull(kind, "kind is null");
        groups = java.util.List.copyOf(requireNonNull(groups, "groups is null"));
        if (kind == Kind.EVENT_PROPERTY && (name == null || name.isBlank())) {
            throw new IllegalArgumentException("an event property breakdown needs a property name");
        }
        if (limit < 1 || limit > 50) {
            throw new IllegalArgumentException("limit must be between 1 and 50");
        }
    }

    /** The same breakdown, fixed to the given groups. */
    public Breakdown onlyGroups(java.util.List<String> fixed) {
        return new Breakdown(kind, name, Math.max(1, Math.min(50, fixed.size())), fixed);
    }

    public static Breakdown firstTouchChannel(int limit) {
        return new Breakdown(Kind.FIRST_TOUCH_CHANNEL, null, limit);
    }
}
