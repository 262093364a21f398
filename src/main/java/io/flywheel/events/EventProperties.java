package io.flywheel.events;

import java.util.List;

/** The stored columns that filters and breakdowns can name with a leading {@code $}. */
public final class EventProperties {

    public static final List<String> BUILT_IN = List.of("$channel", "$utm_source", "$utm_medium", "$utm_campaign", "$url",
            "$referrer", "$type", "$event", "$revenue", "$currency", "$order_id", "$user_id");

    private EventProperties() {
    }
}
