package io.flywheel.analytics.web;

import static java.util.Objects.requireNonNull;

import io.flywheel.events.Breakdown;
import io.flywheel.events.TrendSpec;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.context.MessageSource;

/**
 * Numbers, rates, durations and group names as the report pages and their CSV files show them, in
 * the reader's language. Templates call it as {@code fmt}; the methods they call are public because
 * the template language only calls public methods.
 */
final class ReportFormat {

    static final String DASH = "–";
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final MessageSource messages;
    private final Locale locale;
    private final ZoneId zone;

    ReportFormat(MessageSource messages, Locale locale, ZoneId zone) {
        this.messages = requireNonNull(messages, "messages is null");
        this.locale = requireNonNull(locale, "locale is null");
        this.zone = requireNonNull(zone, "zone is null");
    }

    Locale locale() {
        return locale;
    }

    String message(String key, Object... arguments) {
        return messages.getMessage(key, arguments, locale);
    }

    /** Whole numbers with thousands separators, others with two decimals; a dash for no value. */
    public String number(Double value) {
        if (value == null || value.isNaN()) {
            return DASH;
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.format(Locale.ROOT, "%,d", value.longValue());
        }
        return String.format(Locale.ROOT, "%,.2f", value);
    }

    public String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** A rate between 0 and 1 as a percentage with one decimal. */
    public String rate(double rate) {
        return percent(rate * 100);
    }

    public String percent(Double percentage) {
        return percentage == null ? DASH : String.format(Locale.ROOT, "%.1f%%", percentage);
    }

    /** A number for a CSV cell: no separators, no trailing ".0" on whole numbers, empty for no value. */
    static String raw(Double value) {
        if (value == null || value.isNaN()) {
            return "";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString(value.longValue());
        }
        return Double.toString(Math.round(value * 10000d) / 10000d);
    }

    /** Seconds as the two largest units, e.g. "2 h 5 min" or "3 d 4 h"; a dash for no value. */
    public String duration(Double seconds) {
        if (seconds == null || seconds.isNaN()) {
            return DASH;
        }
        long total = Math.round(seconds);
        long days = total / 86_400;
        long hours = total % 86_400 / 3_600;
        long minutes = total % 3_600 / 60;
        long rest = total % 60;
        List<String> parts = new ArrayList<>(2);
        if (days > 0) {
            parts.add(message("reports.duration.days", days));
            parts.add(hours > 0 ? message("reports.duration.hours", hours) : null);
        }
        else if (hours > 0) {
            parts.add(message("reports.duration.hours", hours));
            parts.add(minutes > 0 ? message("reports.duration.minutes", minutes) : null);
        }
        else if (minutes > 0) {
            parts.add(message("reports.duration.minutes", minutes));
            parts.add(rest > 0 ? message("reports.duration.seconds", rest) : null);
        }
        else {
            parts.add(message("reports.duration.seconds", rest));
        }
        return String.join(" ", parts.stream().filter(part -> part != null).toList());
    }

    /** A breakdown group as people read it: the engine's markers for "other" and "no value" named. */
    public String group(String group) {
        if (group == null) {
            return "";
        }
        if (Breakdown.OTHER.equals(group)) {
            return message("reports.group.other");
        }
        if (Breakdown.NONE.equals(group)) {
            return message("reports.group.none");
        }
        return group;
    }

    public String event(String event) {
        return TrendSpec.ANY_EVENT.equals(event) ? message("reports.allEvents") : event;
    }

    /** When an answer was computed, as a wall-clock time in the project's zone. */
    public String time(Instant instant) {
        return instant == null ? DASH : CLOCK.format(instant.atZone(zone));
    }

    /** The background of a retention cell: the stronger the blue, the higher the percentage. */
    public String heat(Double percentage) {
        if (percentage == null) {
            return "";
        }
        double alpha = 0.06 + Math.min(100, Math.max(0, percentage)) / 100 * 0.84;
        return String.format(Locale.ROOT, "background-color: rgba(37, 99, 235, %.2f);%s", alpha, alpha > 0.5 ? " color: #fff;" : "");
    }
}
