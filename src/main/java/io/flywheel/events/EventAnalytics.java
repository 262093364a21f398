package io.flywheel.events;

import java.util.List;

/**
 * Analytical queries over the events of one project, answered by the engine. Persons are merged
 * identities (merges applied at query time); days are taken in the scope's time zone. Every call
 * honours the {@link QueryControl}'s time limit and cancellation.
 */
public interface EventAnalytics {

    List<TrendRow> trend(TrendSpec spec, QueryControl control);

    FunnelResult funnel(FunnelSpec spec, QueryControl control);

    List<RetentionCohort> retention(RetentionSpec spec, QueryControl control);

    /** The standard metrics of the scope's days. */
    MetricValues metrics(Scope scope, QueryControl control);

    /** Persons first seen in the scope's days, by first-touch channel, largest first. */
    List<ChannelQuality> channels(Scope scope, CohortEvents events, QueryControl control);

    /** Persons who did {@code event} in the scope's days. */
    long personsWhoDid(Scope scope, String event, QueryControl control);

    /**
     * Every buyer's RFM scores over the completed orders of the scope's days, as of its last day.
     * Persons are streamed to keep memory flat.
     */
    void rfm(Scope scope, QueryControl control, java.util.function.Consumer<RfmScore> consumer);

    /** The project's event names with how often each occurred, most frequent first, at most {@code limit}. */
    List<EventName> eventNames(long projectId, int limit);

    /** An event name and its number of events. */
    record EventName(String name, long count) {
    }
}
