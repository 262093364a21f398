package io.flywheel.people.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.events.Breakdown;
import io.flywheel.events.EventFilter;
import io.flywheel.events.LifecycleStage;
import io.flywheel.events.PersonCondition;
import io.flywheel.events.PersonCondition.All;
import io.flywheel.events.PersonCondition.Any;
import io.flywheel.events.PersonCondition.Count;
import io.flywheel.events.PersonCondition.Did;
import io.flywheel.events.PersonCondition.Funnel;
import io.flywheel.events.PersonCondition.InSet;
import io.flywheel.events.PersonCondition.Not;
import io.flywheel.events.PersonCondition.Range;
import io.flywheel.events.PersonCondition.Rfm;
import io.flywheel.events.PersonCondition.Sequence;
import io.flywheel.events.PersonCondition.Stage;
import io.flywheel.events.PersonCondition.Step;
import io.flywheel.events.PersonCondition.Touch;
import io.flywheel.events.PersonCondition.Trait;
import io.flywheel.events.PersonCondition.Window;
import io.flywheel.shared.InvalidInputException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The JSON rule format: every condition type read and written back, and every error naming its path. */
class RuleJsonTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static PersonCondition parse(String text) {
        return RuleJson.parse(JSON.readTree(text));
    }

    @Test
    void readsEveryConditionTypeOfTheDocumentedFormat() {
        PersonCondition rule = parse("""
                {"all": [
                  {"trait": "city", "operator": "equals", "value": "上海"},
                  {"trait": "age_band", "operator": "IN", "values": ["25-34", "35-44"]},
                  {"did": "Order Completed", "where": [{"property": "revenue", "operator": "gt", "value": "100"}], "atLeast": 3, "lastDays": 30},
                  {"didNot": "Order Completed", "lastDays": 30},
                  {"did": "Page Viewed", "exactly": 2, "from": "2026-11-01", "to": "2026-11-07"},
                  {"sequence": [{"event": "Product Viewed"}, {"event": "Order Completed", "where": [{"property": "$revenue", "operator": "gte", "value": 5}]}],
                   "within": "P1D", "lastDays": 30},
                  {"any": [
                    {"rfm": {"segments": ["important_value"], "r": [4, 5], "f": [1, 5], "m": [1, 5], "windowDays": 90}},
                    {"stage": ["active", "reactivated"]},
                    {"not": {"firstTouch": ["WeChat", "SEM"]}},
                    {"lastTouch": ["(none)"]}
                  ]},
                  {"tag": 12},
                  {"segment": 7}
                ]}""");

        assertThat(rule).isEqualTo(new All(List.of(
                new Trait("city", EventFilter.Operator.EQUALS, List.of("上海")),
                new Trait("age_band", EventFilter.Operator.IN, List.of("25-34", "35-44")),
                new Did("Order Completed", List.of(new EventFilter("revenue", EventFilter.Operator.GT, List.of("100"))), Count.atLeast(3),
                        Window.lastDays(30)),
                new Did("Order Completed", List.of(), Count.atMost(0), Window.lastDays(30)),
                new Did("Page Viewed", List.of(), new Count(Count.Comparison.EXACTLY, 2),
                        new Window(null, LocalDate.parse("2026-11-01"), LocalDate.parse("2026-11-07"))),
                new Sequence(new Step("Product Viewed", List.of()),
                        new Step("Order Completed", List.of(new EventFilter("$revenue", EventFilter.Operator.GTE, List.of("5")))),
                        Duration.ofDays(1), Window.lastDays(30)),
                new Any(List.of(
                        new Rfm(90, Set.of("important_value"), new Range(4, 5), Range.all(), Range.all()),
                        new Stage(Set.of(LifecycleStage.ACTIVE, LifecycleStage.REACTIVATED)),
                        new Not(new Touch(true, Set.of("WeChat", "SEM"))),
                        new Touch(false, Set.of(Breakdown.NONE)))),
                new InSet("tag:12"),
                new InSet("segment:7"))));
        assertThat(RuleJson.references(rule)).containsExactly("tag:12", "segment:7");
    }

    @Test
    void writesRulesThatReadBackToTheSameCondition() {
        PersonCondition rule = parse("""
                {"any": [
                  {"all": [{"trait": "city", "value": "上海"}, {"did": "Order Completed", "atLeast": 3, "lastDays": 30}]},
                  {"trait": "vip", "operator": "is_set"},
                  {"did": "$any", "atMost": 4},
                  {"didNot": "Signed Up", "where": [{"property": "plan", "operator": "in", "values": ["a", "b"]}], "from": "2026-01-01"},
                  {"sequence": [{"event": "A"}, {"event": "B"}], "within": "PT2H", "to": "2026-02-01"},
                  {"rfm": {"segments": ["general_keep", "important_value"], "windowDays": 30}},
                  {"stage": ["at_risk"]},
                  {"lastTouch": ["(none)", "SEO"]},
                  {"not": {"not": {"segment": 3}}}
                ]}""");

        JsonNode written = RuleJson.write(rule);

        assertThat(RuleJson.parse(written)).isEqualTo(rule);
        assertThat(written.get("any").get(0).get("all").get(0).get("operator").asString()).isEqualTo("equals");
        assertThat(written.get("any").get(3).has("didNot")).isTrue();
        assertThat(written.get("any").get(7).get("lastTouch").get(0).asString()).isEqualTo("(none)");
        assertThat(JSON.writeValueAsString(RuleJson.write(parse("{\"did\": \"Order Completed\", \"atLeast\": 3, \"lastDays\": 30}"))))
                .isEqualTo("{\"did\":\"Order Completed\",\"atLeast\":3,\"lastDays\":30}");
    }

    @Test
    void readsAndWritesFunnelsReachingAStepAtLeastOrExactly() {
        PersonCondition dropOff = parse("""
                {"funnel": [{"event": "Product Viewed"}, {"event": "Product Added", "where": [{"property": "sku", "value": "A"}]},
                            {"event": "Order Completed"}],
                 "within": "P7D", "from": "2026-03-01", "to": "2026-03-31", "reached": 2, "exactly": true}""");
        Funnel expected = new Funnel(List.of(new Step("Product Viewed", List.of()),
                new Step("Product Added", List.of(new EventFilter("sku", EventFilter.Operator.EQUALS, List.of("A")))),
                new Step("Order Completed", List.of())), Duration.ofDays(7),
                new Window(null, LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-31")), 2, true);
        assertThat(dropOff).isEqualTo(expected);
        assertThat(RuleJson.parse(RuleJson.write(dropOff))).isEqualTo(dropOff);
        assertThat(JSON.writeValueAsString(RuleJson.write(dropOff))).isEqualTo("{\"funnel\":[{\"event\":\"Product Viewed\"},"
                + "{\"event\":\"Product Added\",\"where\":[{\"property\":\"sku\",\"operator\":\"equals\",\"value\":\"A\"}]},"
                + "{\"event\":\"Order Completed\"}],\"within\":\"PT168H\",\"from\":\"2026-03-01\",\"to\":\"2026-03-31\",\"reached\":2,"
                + "\"exactly\":true}");

        PersonCondition converted = parse("{\"funnel\": [{\"event\": \"A\"}, {\"event\": \"A\"}], \"within\": \"PT2H\", \"lastDays\": 30}");
        assertThat(converted).as("the last step, at least, by default").isEqualTo(new Funnel(List.of(new Step("A", List.of()),
                new Step("A", List.of())), Duration.ofHours(2), Window.lastDays(30), 2, false));
        assertThat(RuleJson.parse(RuleJson.write(converted))).isEqualTo(converted);
        assertThat(RuleJson.references(new All(List.of(converted, new InSet("tag:3"))))).containsExactly("tag:3");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            '[1]'                                                            | rule
            '{}'                                                             | rule
            '{"all": []}'                                                    | rule.all
            '{"all": {}}'                                                    | rule.all
            '{"all": [{"trait": "city", "operator": "is_set"}, 3]}'     | rule.all[1]
            '{"any": [{"did": "A", "tag": 1}]}'                              | rule.any[0]
            '{"trait": "city", "colour": "red"}'                             | rule.colour
            '{"trait": "", "value": "x"}'                                    | rule.trait
            '{"trait": "city", "operator": "like", "value": "x"}'            | rule.operator
            '{"trait": "city", "operator": "equals"}'                        | rule.value
            '{"trait": "age", "operator": "gt", "value": "old"}'             | rule.value
            '{"trait": "city", "value": "a", "values": ["b"]}'               | rule.values
            '{"trait": "city", "value": {"a": 1}}'                           | rule.value
            '{"did": 3}'                                                     | rule.did
            '{"did": "A", "atLeast": -1}'                                    | rule.atLeast
            '{"did": "A", "atLeast": 1.5}'                                   | rule.atLeast
            '{"did": "A", "atLeast": 1, "atMost": 3}'                        | rule.atMost
            '{"didNot": "A", "atLeast": 1}'                                  | rule.atLeast
            '{"did": "A", "lastDays": 0}'                                    | rule.lastDays
            '{"did": "A", "lastDays": 7, "from": "2026-01-01"}'              | rule.lastDays
            '{"did": "A", "from": "2026-13-01"}'                             | rule.from
            '{"did": "A", "from": "2026-02-01", "to": "2026-01-01"}'         | rule.to
            '{"did": "A", "where": {}}'                                      | rule.where
            '{"did": "A", "where": [{"property": "$nope", "value": "1"}]}'   | rule.where[0].property
            '{"did": "A", "where": [{"property": "a''b", "value": "1"}]}'    | rule.where[0].property
            '{"did": "A", "where": [{"operator": "equals", "value": "1"}]}'  | rule.where[0].property
            '{"did": "A", "where": [{"property": "p", "op": "equals"}]}'     | rule.where[0].op
            '{"sequence": [{"event": "A"}], "within": "P1D"}'                | rule.sequence
            '{"sequence": [{"event": "A"}, {"name": "B"}], "within": "P1D"}' | rule.sequence[1].name
            '{"sequence": [{"event": "A"}, {"event": "B"}]}'                 | rule.within
            '{"sequence": [{"event": "A"}, {"event": "B"}], "within": "1d"}' | rule.within
            '{"sequence": [{"event": "A"}, {"event": "B"}], "within": "PT0S"}' | rule.within
            '{"funnel": [{"event": "A"}], "within": "P1D"}'                  | rule.funnel
            '{"funnel": {"event": "A"}, "within": "P1D"}'                    | rule.funnel
            '{"funnel": [{"event": "A"}, {"event": ""}], "within": "P1D"}'   | rule.funnel[1].event
            '{"funnel": [{"event": "A"}, {"event": "B", "where": [{"property": "$nope"}]}], "within": "P1D"}' | rule.funnel[1].where[0].property
            '{"funnel": [{"event": "A"}, {"event": "B", "at": 1}], "within": "P1D"}' | rule.funnel[1].at
            '{"funnel": [{"event": "A"}, {"event": "B"}]}'                   | rule.within
            '{"funnel": [{"event": "A"}, {"event": "B"}], "within": "-P1D"}' | rule.within
            '{"funnel": [{"event": "A"}, {"event": "B"}], "within": "P1D", "reached": 3}' | rule.reached
            '{"funnel": [{"event": "A"}, {"event": "B"}], "within": "P1D", "reached": 0}' | rule.reached
            '{"funnel": [{"event": "A"}, {"event": "B"}], "within": "P1D", "reached": "2"}' | rule.reached
            '{"funnel": [{"event": "A"}, {"event": "B"}], "within": "P1D", "exactly": "yes"}' | rule.exactly
            '{"funnel": [{"event": "A"}, {"event": "B"}], "within": "P1D", "lastDays": 0}' | rule.lastDays
            '{"funnel": [{"event": "A"}, {"event": "B"}], "within": "P1D", "atLeast": 1}' | rule.atLeast
            '{"rfm": [1]}'                                                   | rule.rfm
            '{"rfm": {"segments": ["whales"]}}'                              | rule.rfm.segments
            '{"rfm": {"r": [0, 5]}}'                                         | rule.rfm.r
            '{"rfm": {"f": [5, 4]}}'                                         | rule.rfm.f
            '{"rfm": {"m": [1]}}'                                            | rule.rfm.m
            '{"rfm": {"windowDays": 0}}'                                     | rule.rfm.windowDays
            '{"rfm": {"size": 3}}'                                           | rule.rfm.size
            '{"stage": []}'                                                  | rule.stage
            '{"stage": ["sleepy"]}'                                          | rule.stage
            '{"firstTouch": "WeChat"}'                                       | rule.firstTouch
            '{"tag": "vip"}'                                                 | rule.tag
            '{"segment": 0}'                                                 | rule.segment
            '{"not": [1]}'                                                   | rule.not
            """)
    void rejectsBadRulesNamingThePathOfTheBadPart(String text, String path) {
        assertThatThrownBy(() -> parse(text)).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.field()).isEqualTo(path));
    }

    @Test
    void aFunnelHasAtMostTenSteps() {
        String steps = String.join(", ", java.util.Collections.nCopies(11, "{\"event\": \"A\"}"));
        assertThatThrownBy(() -> parse("{\"funnel\": [" + steps + "], \"within\": \"P1D\"}")).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.field()).isEqualTo("rule.funnel"));
    }

    @Test
    void limitsTheDepthOfGroupsAndTheNumberOfConditions() {
        String five = "{\"all\": [{\"any\": [{\"not\": {\"all\": [{\"any\": [{\"tag\": 1}]}]}}]}]}";
        assertThat(parse(five)).isInstanceOf(All.class);
        String six = "{\"all\": [{\"any\": [{\"not\": {\"all\": [{\"any\": [{\"all\": [{\"tag\": 1}]}]}]}}]}]}";
        assertThatThrownBy(() -> parse(six)).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.field()).isEqualTo("rule.all[0].any[0].not.all[0].any[0].all"));

        StringBuilder fifty = new StringBuilder("{\"any\": [");
        for (int i = 0; i < 50; i++) {
            fifty.append(i == 0 ? "" : ",").append("{\"tag\": ").append(i + 1).append('}');
        }
        assertThat(parse(fifty + "]}")).isInstanceOf(Any.class);
        assertThatThrownBy(() -> parse(fifty + ", {\"tag\": 99}]}")).isInstanceOfSatisfying(InvalidInputException.class,
                e -> assertThat(e.field()).isEqualTo("rule.any[50].tag"));
    }
}
