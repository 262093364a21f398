package io.flywheel.events;

import java.time.Instant;

/**
 * What a person did, over all of its events and those of every person merged into it.
 *
 * @param sessions runs of events with gaps under 30 minutes
 * @param orders {@code Order Completed} events, refunded ones included
 * @param refundedOrders of those, the ones whose {@code order_id} has an {@code Order Refunded} event in the project
 * @param revenue revenue of the completed orders that were not refunded
 * @param lastOrderAt timestamp of the latest completed order, null when there is none
 */
public record PersonActivity(long sessions, long orders, long refundedOrders, double revenue, Instant lastOrderAt) {

    public PersonActivity {
        if (sessions < 0 || orders < 0 || refundedOrders < 0 || refundedOrders > orders) {
            throw new IllegalArgumentException("counts must be non-negative, refunds at most the orders");
        }
    }
}
