package io.flywheel.events;

/** The width of a time bucket; weeks start on Monday. */
public enum Interval {
    HOUR, DAY, WEEK, MONTH
}
