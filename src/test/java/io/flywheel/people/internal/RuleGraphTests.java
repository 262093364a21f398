package io.flywheel.people.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.events.PersonCondition;
import io.flywheel.events.PersonCondition.Funnel;
import io.flywheel.events.PersonCondition.InSet;
import io.flywheel.events.PersonCondition.Not;
import io.flywheel.events.PersonCondition.Step;
import io.flywheel.events.PersonCondition.Window;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which rule-kept sets slide with time, and the refresh order of sets that refer to funnel segments. */
class RuleGraphTests {

    private static Funnel funnel(Window window) {
        return new Funnel(List.of(new Step("Product Viewed", List.of()), new Step("Order Completed", List.of())), Duration.ofDays(1), window, 1,
                true);
    }

    @Test
    void aFunnelOverTheLastDaysSlidesAndOneBetweenDatesDoesNot() {
        Map<String, PersonCondition> rules = new LinkedHashMap<>();
        rules.put("segment:3", new InSet("segment:1"));
        rules.put("segment:1", funnel(Window.lastDays(30)));
        rules.put("segment:2", new Not(funnel(new Window(null, LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 31)))));
        RuleGraph graph = new RuleGraph(rules);

        assertThat(graph.sliding()).containsExactly("segment:1");
        assertThat(graph.withDependents(graph.sliding()).stream().map(rule -> rule.key()).toList()).containsExactly("segment:1", "segment:3");
    }
}
