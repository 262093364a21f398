package io.flywheel.analytics.web;

import io.flywheel.analytics.RfmAnswer;
import io.flywheel.events.Breakdown;
import java.text.NumberFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/** Number and label formatting for the report pages, in the reader's language ({@code @growthFormat} in templates). */
@Component("growthFormat")
public class GrowthFormat {

    private final MessageSource messages;

    GrowthFormat(MessageSource messages) {
        this.messages = messages;
    }

    public String value(double value, String unit) {
        Locale locale = LocaleContextHolder.getLocale();
        return switch (unit) {
            case "percent" -> String.format(locale, "%.1f%%", value * 100);
            case "money" -> {
                NumberFormat format = NumberFormat.getNumberInstance(locale);
                format.setMinimumFractionDigits(2);
                format.setMaximumFractionDigits(2);
                yield format.format(value);
            }
            case "seconds" -> duration(value);
            default -> value == Math.rint(value) ? NumberFormat.getIntegerInstance(locale).format(value)
                    : String.format(locale, "%,.1f", value);
        };
    }

    private static String duration(double seconds) {
        long total = Math.round(seconds);
        if (total < 60) {
            return total + " s";
        }
        if (total < 3600) {
            return total / 60 + " min " + total % 60 + " s";
        }
        return total / 3600 + " h " + total % 3600 / 60 + " min";
    }

    public String change(Double change) {
        if (change == null) {
            return "";
        }
        return String.format(Locale.ROOT, "%+.1f%%", change * 100);
    }

    public String changeClass(Double change) {
        if (change == null || Math.abs(change) < 0.0005) {
            return "change";
        }
        return change > 0 ? "change up" : "change down";
    }

    public String channel(String channel) {
        if (Breakdown.NONE.equals(channel)) {
            return messages.getMessage("growth.unknownChannel", null, "Unknown", LocaleContextHolder.getLocale());
        }
        if (Breakdown.OTHER.equals(channel)) {
            return messages.getMessage("growth.other", null, "Other", LocaleContextHolder.getLocale());
        }
        return channel;
    }

    /** The segment names in the reader's language, comma separated, for the chart. */
    public String rfmNames(List<RfmAnswer.Segment> segments) {
        Locale locale = LocaleContextHolder.getLocale();
        return segments.stream().map(s -> messages.getMessage("rfm.segment." + s.key(), null, s.key(), locale))
                .collect(Collectors.joining(","));
    }
}
