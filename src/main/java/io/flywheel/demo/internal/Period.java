package io.flywheel.demo.internal;

import static java.util.Objects.requireNonNull;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * The simulated days in the project's time zone with their rhythm: weekends busier than weekdays,
 * the shopping festivals 618, 双11 and 双12 with their warm-up days, and a daily curve in which
 * people shop at lunch and in the evening and sleep at four in the morning.
 */
final class Period {

    /** Relative activity per hour of the local day. */
    private static final double[] HOURS = {
            0.45, 0.22, 0.10, 0.05, 0.04, 0.05, 0.14, 0.38, 0.62, 0.76, 0.86, 0.92,
            1.05, 0.95, 0.78, 0.76, 0.80, 0.86, 0.92, 1.08, 1.28, 1.38, 1.18, 0.78};
    private static final int HOUR_SLOTS = 4096;
    private static final byte[] HOUR_OF_SLOT = hourTable();
    private static final long HOUR = 3_600_000L;
    private static final long NOMINAL_DAY = 24 * HOUR;

    final ZoneId zone;
    final LocalDate first;
    final int days;
    /** Start of every day and of the day after the last, in epoch milliseconds. */
    final long[] dayStart;
    final double[] activity;
    final double[] buying;
    final double[] acquisition;
    /** The end of the simulated time, exclusive, in epoch milliseconds. */
    final long end;

    Period(ZoneId zone, LocalDate last, int days, Instant cutoff) {
        this.zone = requireNonNull(zone, "zone is null");
        this.days = days;
        this.first = last.minusDays(days - 1L);
        dayStart = new long[days + 1];
        activity = new double[days];
        buying = new double[days];
        acquisition = new double[days];
        for (int day = 0; day <= days; day++) {
            dayStart[day] = first.plusDays(day).atStartOfDay(zone).toInstant().toEpochMilli();
        }
        double growth = StrictMath.log(1.6);
        for (int day = 0; day < days; day++) {
            LocalDate date = first.plusDays(day);
            double festival = festival(date);
            activity[day] = weekday(date.getDayOfWeek()) * festival;
            buying[day] = festival > 1.5 ? 1.35 : festival > 1.0 ? 1.1 : 1.0;
            boolean weekend = date.getDayOfWeek() == DayOfWeek.SATURDAY || date.getDayOfWeek() == DayOfWeek.SUNDAY;
            acquisition[day] = StrictMath.exp(growth * day / Math.max(1, days - 1)) * (weekend ? 1.12 : 1.0) * Math.min(festival, 1.8);
        }
        long endOfLast = dayStart[days];
        end = cutoff == null ? endOfLast : Math.max(dayStart[0], Math.min(endOfLast, cutoff.toEpochMilli()));
    }

    long dayLength(int day) {
        return dayStart[day + 1] - dayStart[day];
    }

    /** Milliseconds since the start of {@code day} at which something happens, following the daily curve. */
    long timeOfDay(int day, Rng rng) {
        long slot = rng.nextLong() >>> 1;
        int hour = HOUR_OF_SLOT[(int) (slot % HOUR_SLOTS)];
        long nominal = hour * HOUR + (slot >>> 12) % HOUR;
        long length = dayLength(day);
        return length == NOMINAL_DAY ? nominal : nominal * length / NOMINAL_DAY;
    }

    /** {@code yyyyMMdd} of a day, as used in order numbers. */
    int dateNumber(int day) {
        LocalDate date = first.plusDays(day);
        return date.getYear() * 10_000 + date.getMonthValue() * 100 + date.getDayOfMonth();
    }

    private static double weekday(DayOfWeek day) {
        return switch (day) {
            case MONDAY, TUESDAY -> 0.93;
            case WEDNESDAY -> 0.95;
            case THURSDAY -> 0.97;
            case FRIDAY -> 1.04;
            case SATURDAY -> 1.30;
            case SUNDAY -> 1.22;
        };
    }

    /** 618 and 双11 double the traffic, their three warm-up days add a third; 双12 half. */
    private static double festival(LocalDate date) {
        int month = date.getMonthValue();
        int day = date.getDayOfMonth();
        if ((month == 6 && day == 18) || (month == 11 && day == 11)) {
            return 2.0;
        }
        if ((month == 6 && day >= 15 && day < 18) || (month == 11 && day >= 8 && day < 11)) {
            return 1.35;
        }
        if (month == 12 && day == 12) {
            return 1.5;
        }
        return 1.0;
    }

    private static byte[] hourTable() {
        double[] cumulative = Rng.cumulative(HOURS);
        double total = cumulative[cumulative.length - 1];
        byte[] table = new byte[HOUR_SLOTS];
        int hour = 0;
        for (int slot = 0; slot < HOUR_SLOTS; slot++) {
            double position = (slot + 0.5) / HOUR_SLOTS * total;
            while (cumulative[hour] < position) {
                hour++;
            }
            table[slot] = (byte) hour;
        }
        return table;
    }
}
