package io.flywheel.people.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.events.PersonCondition;
import io.flywheel.people.internal.RuleJson;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Links from report cells to a prefilled segment editor, only where the rule expresses the cell exactly. */
class SegmentLinksTests {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private final SegmentLinks links = new SegmentLinks();

    private static PersonCondition rule(String link) {
        String query = URI.create(link).getRawQuery();
        String rule = query.substring(query.indexOf("rule=") + 5);
        return RuleJson.parse(JsonMapper.builder().build().readTree(URLDecoder.decode(rule, StandardCharsets.UTF_8)));
    }

    @Test
    void anRfmCellOfAReportEndingTodayBecomesAnRfmRuleOverTheSameDays() {
        LocalDate today = LocalDate.now(SHANGHAI);
        String link = links.rfm(7, SHANGHAI, "important_value", today.minusDays(89), today);
        assertThat(link).startsWith("/p/7/segments/new?name=RFM+important_value&rule=");
        assertThat(rule(link)).isEqualTo(new PersonCondition.Rfm(90, Set.of("important_value"), PersonCondition.Range.all(),
                PersonCondition.Range.all(), PersonCondition.Range.all()));
        assertThat(links.rfm(7, SHANGHAI, "important_value", today.minusDays(30), today.minusDays(1))).as("as of another day").isNull();
        assertThat(links.rfm(7, SHANGHAI, "whales", today.minusDays(30), today)).isNull();
        assertThat(links.rfm(7, SHANGHAI, null, today.minusDays(30), today)).isNull();
    }

    @Test
    void aFunnelStepBecomesTheDropOffAfterItAndTheLastStepWhoConverted() {
        LocalDate from = LocalDate.of(2026, 3, 1);
        LocalDate to = LocalDate.of(2026, 3, 31);
        List<String> steps = List.of("Product Viewed", "Product Added", "Order Completed");
        List<PersonCondition.Step> rule = steps.stream().map(step -> new PersonCondition.Step(step, List.of())).toList();
        PersonCondition.Window days = new PersonCondition.Window(null, from, to);

        String dropOff = links.funnel(7, steps, "P7D", from, to, 2, "stopped after step 2");
        assertThat(dropOff).startsWith("/p/7/segments/new?name=stopped+after+step+2&rule=");
        assertThat(rule(dropOff)).isEqualTo(new PersonCondition.Funnel(rule, Duration.ofDays(7), days, 2, true));
        assertThat(rule(links.funnel(7, steps, "PT1H", from, to, 3, "converted")))
                .isEqualTo(new PersonCondition.Funnel(rule, Duration.ofHours(1), days, 3, false));

        assertThat(links.funnel(7, List.of("$any", "Order Completed"), "P1D", from, to, 1, "x")).as("a name to the report, any event to a rule")
                .isNull();
        assertThat(links.funnel(7, steps, "a week", from, to, 1, "x")).isNull();
        assertThat(links.funnel(7, steps, "P4000D", from, to, 1, "x")).isNull();
        assertThat(links.funnel(7, steps, "P1D", from, to, 4, "x")).isNull();
        assertThat(links.funnel(7, steps, "P1D", null, to, 1, "x")).isNull();
        assertThat(links.funnel(7, List.of("Order Completed"), "P1D", from, to, 1, "x")).isNull();
    }

    @Test
    void aChannelRowBecomesAFirstTouchRule() {
        assertThat(rule(links.channel(7, "WeChat"))).isEqualTo(new PersonCondition.Touch(true, Set.of("WeChat")));
        assertThat(rule(links.channel(7, "$none"))).isEqualTo(new PersonCondition.Touch(true, Set.of("$none")));
        assertThat(rule(links.channel(7, "a\"b"))).as("escaped").isEqualTo(new PersonCondition.Touch(true, Set.of("a\"b")));
        assertThat(links.channel(7, " ")).isNull();
    }

    @Test
    void aRetentionCellBecomesFirstCohortEventInItsPeriodAndAReturnInTheCellsPeriod() {
        LocalDate today = LocalDate.now(SHANGHAI);
        LocalDate start = today.minusWeeks(3).with(java.time.DayOfWeek.MONDAY);
        String link = links.retention(7, SHANGHAI, "Signed Up", "$any", "week", start, 1);
        PersonCondition.All rule = (PersonCondition.All) rule(link);
        assertThat(rule.conditions()).containsExactly(
                new PersonCondition.Did("Signed Up", java.util.List.of(), PersonCondition.Count.atMost(0),
                        new PersonCondition.Window(null, null, start.minusDays(1))),
                new PersonCondition.Did("Signed Up", java.util.List.of(), PersonCondition.Count.atLeast(1),
                        new PersonCondition.Window(null, start, start.plusDays(6))),
                new PersonCondition.Did("$any", java.util.List.of(), PersonCondition.Count.atLeast(1),
                        new PersonCondition.Window(null, start.plusWeeks(1), start.plusWeeks(1).plusDays(6))));
        PersonCondition.All current = (PersonCondition.All) rule(links.retention(7, SHANGHAI, "A", "B", "month", today.withDayOfMonth(1), 0));
        assertThat(((PersonCondition.Did) current.conditions().get(2)).window().to()).as("returns up to today").isEqualTo(today);
        assertThat(links.retention(7, SHANGHAI, "A", "B", "day", today, 1)).as("a period still to come").isNull();
        assertThat(links.retention(7, SHANGHAI, "A", "B", "year", today, 0)).isNull();
    }
}
