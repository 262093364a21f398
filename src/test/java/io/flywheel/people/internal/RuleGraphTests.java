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

/** The windows that slide with time, the sets that rank persons against everyone, and the refresh order of dependents. */
class RuleGraphTests {

    private static Funnel funnel(Window window) {
        return new Funnel(List.of(new Step("Product Viewed", List.of()), new Step("Order Completed", List.of())), Duration.ofDays(1), window, 1,
                true);
    }

    @Test
    void windowsOverTheLastDaysSlideAndWindowsBetweenDatesDoNot() {
        Map<String, PersonCondition> rules = new LinkedHashMap<>();
        rules.put("segment:3", new InSet("segment:1"));
        rules.put("segment:1", funnel(Window.lastDays(30)));
        rules.put("segment:2", new Not(funnel(new Window(null, LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 31)))));
        rules.put("segment:4", new PersonCondition.Any(List.of(new PersonCondition.Did("Order Completed", List.of(),
                PersonCondition.Count.atLeast(2), Window.lastDays(7)), new Not(new PersonCondition.Sequence(new Step("A", List.of()),
                        new Step("B", List.of()), Duration.ofHours(1), Window.lastDays(14))))));
        RuleGraph graph = new RuleGraph(rules);

        assertThat(graph.windowDays()).containsExactlyInAnyOrder(30, 7, 14);
        assertThat(graph.ranked()).isEmpty();
    }

    @Test
    void rfmRanksAgainstEveryoneAndItsDependentsFollowInOrder() {
        Map<String, PersonCondition> rules = new LinkedHashMap<>();
        rules.put("segment:3", new InSet("segment:1"));
        rules.put("segment:1", new Not(new PersonCondition.Rfm(90, java.util.Set.of(), PersonCondition.Range.all(), PersonCondition.Range.all(),
                PersonCondition.Range.all())));
        rules.put("segment:2", funnel(Window.lastDays(30)));
        RuleGraph graph = new RuleGraph(rules);

        assertThat(graph.ranked()).containsExactly("segment:1");
        assertThat(graph.withDependents(graph.ranked()).stream().map(rule -> rule.key()).toList()).containsExactly("segment:1", "segment:3");
    }
}
