package io.flywheel.analytics;

/** The answer to one query of the query API. */
public sealed interface Answer permits TrendAnswer, FunnelAnswer, RetentionAnswer, MetricsAnswer, ChannelsAnswer, RfmAnswer, AarrrAnswer {

    String kind();

    QueryMeta meta();

    Answer withMeta(QueryMeta meta);
}
