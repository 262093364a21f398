package io.flywheel.events;

import static java.util.Objects.requireNonNull;

/**
 * What the persons first seen in a range, grouped by their first-touch channel, went on to do by
 * the as-of day.
 *
 * @param channel first-touch channel, or {@link Breakdown#NONE} for persons never seen with a touch
 * @param visitors persons first seen in the range
 * @param signUps of them, persons who did the sign-up event
 * @param activated of them, persons who did the activation event
 * @param retainedDay7 of them, persons active on the 7th day after the day they were first seen
 * @param eligibleDay7 of them, persons whose 7th day has come by the as-of day
 * @param payingPersons of them, persons with a completed order
 * @param revenue their completed orders' revenue, refunded orders left out
 */
public record ChannelQuality(String channel, long visitors, long signUps, long activated, long retainedDay7, long eligibleDay7,
        long payingPersons, double revenue) {

    public ChannelQuality {
        requireNonNull(channel, "channel is null");
    }
}
