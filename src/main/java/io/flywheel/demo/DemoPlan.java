package io.flywheel.demo;

import java.time.LocalDate;

/**
 * What to simulate. The same plan and seed always produce the same events.
 *
 * @param persons persons acquired over the period
 * @param events the number of events to aim at; the activity of the simulated persons is
 *     calibrated so that the real count lands within a few percent of it
 * @param days length of the period in days, ending with {@code endDate}
 * @param seed seed of every random choice
 * @param endDate last day of the period in the project's time zone; {@code null} means today, in
 *     which case no event lies after the moment the load starts
 */
public record DemoPlan(int persons, long events, int days, long seed, LocalDate endDate) {

    public static final int DEFAULT_PERSONS = 20_000;
    public static final long DEFAULT_EVENTS = 1_000_000;
    public static final int DEFAULT_DAYS = 90;
    public static final long DEFAULT_SEED = 42;

    /** Fewer events per person than this cannot be reached: every person has a first visit. */
    public static final int MIN_EVENTS_PER_PERSON = 15;
    public static final int MAX_EVENTS_PER_PERSON = 2_000;
    public static final int MIN_DAYS = 7;
    public static final int MAX_DAYS = 1_000;
    public static final int MAX_PERSONS = 20_000_000;

    public DemoPlan {
        if (persons < 1 || persons > MAX_PERSONS) {
            throw new IllegalArgumentException("persons must be between 1 and " + MAX_PERSONS + ", was " + persons);
        }
        if (days < MIN_DAYS || days > MAX_DAYS) {
            throw new IllegalArgumentException("days must be between " + MIN_DAYS + " and " + MAX_DAYS + ", was " + days);
        }
        if (events < (long) persons * MIN_EVENTS_PER_PERSON) {
            throw new IllegalArgumentException("events must be at least " + MIN_EVENTS_PER_PERSON
                    + " per person (" + (long) persons * MIN_EVENTS_PER_PERSON + " for " + persons + " persons), was " + events);
        }
        if (events > (long) persons * MAX_EVENTS_PER_PERSON) {
            throw new IllegalArgumentException("events must be at most " + MAX_EVENTS_PER_PERSON
                    + " per person (" + (long) persons * MAX_EVENTS_PER_PERSON + " for " + persons + " persons), was " + events);
        }
    }

    /** The default plan: 20,000 persons, about 1,000,000 events over the 90 days up to today. */
    public static DemoPlan defaults() {
        return new DemoPlan(DEFAULT_PERSONS, DEFAULT_EVENTS, DEFAULT_DAYS, DEFAULT_SEED, null);
    }

    public DemoPlan withEndDate(LocalDate newEndDate) {
        return new DemoPlan(persons, events, days, seed, newEndDate);
    }
}
