package io.flywheel.analytics;

import java.time.LocalDate;
import java.util.List;

/**
 * Channel quality: persons first seen in the range by first-touch channel, what they did by the
 * as-of day, and what they cost where spend was entered.
 */
public record ChannelsAnswer(String kind, LocalDate from, LocalDate to, LocalDate asOf, List<Row> channels, Row total,
        QueryMeta meta) implements Answer {

    /**
     * @param spend spend of the range, months prorated by their days inside it; null without spend entered
     * @param cac spend per paying person; null without spend or payers
     * @param roi (revenue - spend) / spend; null without spend
     */
    public record Row(String channel, long visitors, long signUps, double signUpRate, long activated, double activationRate,
            long retainedDay7, long eligibleDay7, double day7RetentionRate, long payingPersons, double payingRate, double revenue,
            Double spend, Double cac, Double roi) {
    }

    @Override
    public ChannelsAnswer withMeta(QueryMeta meta) {
        return new ChannelsAnswer(kind, from, to, asOf, channels, total, meta);
    }
}
