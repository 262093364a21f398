package io.flywheel.people.web;

import io.flywheel.events.PersonCondition;
import io.flywheel.events.PersonCondition.Count;
import io.flywheel.events.PersonCondition.Did;
import io.flywheel.events.PersonCondition.Range;
import io.flywheel.events.PersonCondition.Window;
import io.flywheel.people.internal.RuleJson;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Links from reports to the segment editor, prefilled with the rule that selects the persons of a
 * report's cell: used by report templates as {@code @segmentLinks}. Only cells the rule language
 * expresses exactly get a link (null otherwise).
 */
@Component("segmentLinks")
public class SegmentLinks {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * An RFM segment of the RFM report over {@code from}..{@code to}; only when the report ends
     * today, because the rule's RFM is computed as of today.
     */
    public String rfm(long projectId, ZoneId zone, String segment, LocalDate from, LocalDate to) {
        if (segment == null || !RuleJson.RFM_SEGMENTS.contains(segment) || from == null || to == null || !to.equals(LocalDate.now(zone))) {
            return null;
        }
        int days = (int) ChronoUnit.DAYS.between(from, to) + 1;
        return link(projectId, "RFM " + segment, new PersonCondition.Rfm(days, Set.of(segment), Range.all(), Range.all(), Range.all()));
    }

    /** Everyone whose first touch was the channel ({@code $none}: no touch). */
    public String channel(long projectId, String channel) {
        if (channel == null || channel.isBlank()) {
            return null;
        }
        return link(projectId, channel, new PersonCondition.Touch(true, Set.of(channel)));
    }

    /**
     * Cell {@code k} of the retention cohort starting {@code start}: persons whose first
     * {@code cohortEvent} falls in the cohort's period (did it then and never before) and who did
     * {@code returnEvent} in the k-th period after, up to today.
     */
    public String retention(long projectId, ZoneId zone, String cohortEvent, String returnEvent, String period, LocalDate start, int k) {
        if (cohortEvent == null || returnEvent == null || start == null || k < 0 || !List.of("day", "week", "month").contains(period)) {
            return null;
        }
        LocalDate today = LocalDate.now(zone);
        LocalDate returnStart = plus(start, period, k);
        if (returnStart.isAfter(today)) {
            return null;
        }
        LocalDate returnEnd = min(plus(start, period, k + 1).minusDays(1), today);
        PersonCondition rule = new PersonCondition.All(List.of(
                new Did(cohortEvent, List.of(), Count.atMost(0), new Window(null, null, start.minusDays(1))),
                new Did(cohortEvent, List.of(), Count.atLeast(1), new Window(null, start, plus(start, period, 1).minusDays(1))),
                new Did(returnEvent, List.of(), Count.atLeast(1), new Window(null, returnStart, returnEnd))));
        return link(projectId, cohortEvent + " " + start + " +" + k, rule);
    }

    private static LocalDate plus(LocalDate day, String period, int amount) {
        return switch (period) {
            case "week" -> day.plusWeeks(amount);
            case "month" -> day.plusMonths(amount);
            default -> day.plusDays(amount);
        };
    }

    private static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }

    private static String link(long projectId, String name, PersonCondition rule) {
        return "/p/" + projectId + "/segments/new?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "&rule="
                + URLEncoder.encode(JSON.writeValueAsString(RuleJson.write(rule)), StandardCharsets.UTF_8);
    }
}
