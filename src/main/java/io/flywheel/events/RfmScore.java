package io.flywheel.events;

/**
 * One buyer's RFM figures and scores at the as-of day, over the orders of the window.
 *
 * @param recencyDays days from the last completed order to the as-of day
 * @param frequency completed orders in the window (refunded ones left out)
 * @param monetary their revenue
 * @param r score 1-5 by quintile of recency (most recent = 5); ties share a score
 * @param recencyAbove recency better (fewer days) than the buyers' average
 * @param frequencyAbove frequency above the average
 * @param monetaryAbove monetary above the average
 */
public record RfmScore(long personId, String userId, long recencyDays, long frequency, double monetary, int r, int f, int m,
        boolean recencyAbove, boolean frequencyAbove, boolean monetaryAbove) {
}
