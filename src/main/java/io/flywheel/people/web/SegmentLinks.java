package io.flywheel.people.web;

import io.flywheel.people.internal.RuleJson;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import org.springframework.stereotype.Component;

/**
 * Links from reports to the segment editor, prefilled with the rule that selects the persons of a
 * report's cell: used by report templates as {@code @segmentLinks}. Only cells the rule language
 * expresses exactly get a link.
 */
@Component("segmentLinks")
public class SegmentLinks {

    /**
     * An RFM segment of the RFM report over {@code from}..{@code to}; null unless the report ends
     * today, because the rule's RFM is computed as of today.
     */
    public String rfm(long projectId, ZoneId zone, String segment, LocalDate from, LocalDate to) {
        if (segment == null || !RuleJson.RFM_SEGMENTS.contains(segment) || from == null || to == null || !to.equals(LocalDate.now(zone))) {
            return null;
        }
        long days = ChronoUnit.DAYS.between(from, to) + 1;
        return link(projectId, "RFM " + segment, "{\"rfm\": {\"segments\": [\"" + segment + "\"], \"windowDays\": " + days + "}}");
    }

    /** Everyone whose first touch was the channel ({@code $none}: no touch). */
    public String channel(long projectId, String channel) {
        if (channel == null || channel.isBlank() || channel.contains("\"") || channel.contains("\\")) {
            return null;
        }
        return link(projectId, channel, "{\"firstTouch\": [\"" + channel + "\"]}");
    }

    private static String link(long projectId, String name, String rule) {
        return "/p/" + projectId + "/segments/new?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "&rule="
                + URLEncoder.encode(rule, StandardCharsets.UTF_8);
    }
}
