package io.flywheel.events;

/**
 * The standard operations metrics of one date range. Persons are merged identities.
 *
 * @param pageViews page and screen calls
 * @param visitors persons with a page or screen call
 * @param activePersons persons with any event
 * @param sessions runs of one person's events with gaps under 30 minutes (cut at the range's edges)
 * @param averageSessionSeconds mean time from a session's first to its last event
 * @param bounceRate share of sessions with a single event
 * @param averageDailyActive mean over the range's days of that day's active persons (DAU)
 * @param weeklyActive persons active in the 7 days ending on the range's last day (WAU)
 * @param monthlyActive persons active in the 30 days ending on the range's last day (MAU)
 * @param newPersons persons whose first event ever falls in the range
 * @param orders {@code Order Completed} events
 * @param refundedOrders orders of the range refunded by now ({@code Order Refunded} with the same order id)
 * @param gmv revenue of the range's completed orders that were not refunded
 * @param payingPersons persons with a completed order
 */
public record MetricValues(long pageViews, long visitors, long activePersons, long sessions, double averageSessionSeconds,
        double bounceRate, double averageDailyActive, long weeklyActive, long monthlyActive, long newPersons, long orders,
        long refundedOrders, double gmv, long payingPersons) {

    /** DAU / MAU. */
    public double stickiness() {
        return monthlyActive == 0 ? 0 : averageDailyActive / monthlyActive;
    }

    /** GMV per active person. */
    public double arpu() {
        return activePersons == 0 ? 0 : gmv / activePersons;
    }

    /** GMV per paying person. */
    public double arppu() {
        return payingPersons == 0 ? 0 : gmv / payingPersons;
    }

    /** Paying persons among active persons. */
    public double conversionRate() {
        return activePersons == 0 ? 0 : (double) payingPersons / activePersons;
    }
}
