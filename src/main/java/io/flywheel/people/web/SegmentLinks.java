package io.flywheel.people.web;

import io.flywheel.events.FunnelSpec;
import io.flywheel.events.PersonCondition;
import io.flywheel.events.PersonCondition.Count;
import io.flywheel.events.PersonCondition.Did;
import io.flywheel.events.PersonCondition.Range;
import io.flywheel.events.PersonCondition.Window;
import io.flywheel.people.internal.RuleJson;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
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

    /**
     * Persons of a funnel report's total row: with {@code reached} below the number of steps, those
     * who reached that step and not the next (the drop-off after it); with {@code reached} equal to
     * it, those who converted. The funnel condition counts as the report does, with step 1 in
     * {@code from}..{@code to} (the report's days) and the report's window. Null where the rule
     * would not be the report's: a step named {@code $any} (a name to the report, any event to a
     * rule), a window that is no ISO-8601 duration or longer than a rule allows, missing days.
     */
    public String funnel(long projectId, List<String> steps, String window, LocalDate from, LocalDate to, int reached, String name) {
        if (steps == null || steps.size() < 2 || steps.size() > FunnelSpec.MAX_STEPS || from == null || to == null || to.isBefore(from)
                || reached < 1 || reached > steps.size() || name == null || name.isBlank()) {
            return null;
        }
        if (steps.stream().anyMatch(step -> step == null || step.isBlank() || step.length() > 200 || step.equals(PersonCondition.ANY_EVENT))) {
            return null;
        }
        Duration within;
        try {
            within = Duration.parse(window);
        }
        catch (DateTimeParseException | NullPointerException e) {
            return null;
        }
        if (within.isNegative() || within.isZero() || within.compareTo(Duration.ofDays(3660)) > 0) {
            return null;
        }
        List<PersonCondition.Step> rule = steps.stream().map(step -> new PersonCondition.Step(step.strip(), List.of())).toList();
        return link(projectId, name.length() > 200 ? name.substring(0, 200) : name,
                new PersonCondition.Funnel(rule, within, new Window(null, from, to), reached, reached < steps.size()));
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
