package io.flywheel.analytics;

import java.time.LocalDate;
import java.util.List;

/** The AARRR board: acquisition, activation, retention, revenue and referral of one date range. */
public record AarrrAnswer(String kind, LocalDate from, LocalDate to, Acquisition acquisition, Activation activation,
        Retention retention, Revenue revenue, Referral referral, QueryMeta meta) implements Answer {

    /** New persons of the range and their first-touch channels. */
    public record Acquisition(long newPersons, long visitors, List<ChannelCount> byChannel) {
    }

    public record ChannelCount(String channel, long persons) {
    }

    /** New persons who did the activation event (by the as-of day). */
    public record Activation(String event, long activated, double rate) {
    }

    /** New persons active on their 7th day, and DAU/MAU stickiness of all persons. */
    public record Retention(long retainedDay7, long eligibleDay7, double day7Rate, double stickiness) {
    }

    public record Revenue(double gmv, long orders, long payingPersons, double arpu, double arppu, double conversionRate) {
    }

    /** Persons who did the referral event in the range, and their share of active persons. */
    public record Referral(String event, long persons, double rate) {
    }

    @Override
    public AarrrAnswer withMeta(QueryMeta meta) {
        return new AarrrAnswer(kind, from, to, acquisition, activation, retention, revenue, referral, meta);
    }
}
