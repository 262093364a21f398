package io.flywheel.analytics.web;

import io.flywheel.events.FunnelSpec;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The parameters of the funnels page: the steps' event names in order ({@code steps} repeated), the
 * conversion window as an ISO-8601 duration, an optional breakdown and the days of step 1. Methods
 * the page calls are public, as the template language requires.
 */
record FunnelForm(List<String> steps, String window, String breakdown, String from, String to) {

    static final List<String> WINDOWS = List.of("PT1H", "P1D", "P7D", "P14D", "P30D");
    static final String DEFAULT_WINDOW = "P7D";
    /** The demo shop's purchase path, the first funnel most people want to see. */
    static final List<String> PURCHASE = List.of("Product Viewed", "Product Added", "Order Completed");
    static final int DEFAULT_STEPS = 3;

    FunnelForm {
        steps = steps == null ? List.of() : steps.stream().map(step -> step == null ? "" : step.strip()).toList();
        window = Forms.orDefault(window, DEFAULT_WINDOW);
        breakdown = Forms.blankToNull(breakdown);
        from = Forms.blankToNull(from);
        to = Forms.blankToNull(to);
    }

    /** This form, or when it names no steps, one with three taken from the project's event names (most frequent first). */
    FunnelForm withDefaultSteps(List<String> eventNames) {
        if (!steps.isEmpty() || eventNames.isEmpty()) {
            return this;
        }
        List<String> defaults = eventNames.containsAll(PURCHASE) ? PURCHASE
                : eventNames.subList(0, Math.min(DEFAULT_STEPS, eventNames.size()));
        List<String> chosen = new ArrayList<>(defaults);
        while (chosen.size() < 2) {
            chosen.add(chosen.get(0));
        }
        return withSteps(chosen);
    }

    /** One more step: the first event name not used yet, or the last step again. */
    FunnelForm withStepAdded(List<String> eventNames) {
        if (steps.size() >= FunnelSpec.MAX_STEPS) {
            return this;
        }
        String next = eventNames.stream().filter(name -> !steps.contains(name)).findFirst()
                .orElse(steps.isEmpty() ? "" : steps.get(steps.size() - 1));
        List<String> more = new ArrayList<>(steps);
        more.add(next);
        return withSteps(more);
    }

    /** Without the step at {@code index} (from 0), keeping at least two. */
    FunnelForm withStepRemoved(int index) {
        if (steps.size() <= 2 || index < 0 || index >= steps.size()) {
            return this;
        }
        List<String> fewer = new ArrayList<>(steps);
        fewer.remove(index);
        return withSteps(fewer);
    }

    public boolean canAddStep() {
        return steps.size() < FunnelSpec.MAX_STEPS;
    }

    public boolean canRemoveStep() {
        return steps.size() > 2;
    }

    /** The windows to offer: the usual ones, plus this form's when it is another (from a shared link). */
    public List<String> windows() {
        if (WINDOWS.contains(window)) {
            return WINDOWS;
        }
        List<String> windows = new ArrayList<>(WINDOWS);
        windows.add(window);
        return windows;
    }

    ObjectNode request(JsonMapper json) {
        ObjectNode request = json.createObjectNode();
        request.put("kind", "funnel");
        ArrayNode list = request.putArray("steps");
        steps.forEach(step -> list.addObject().put("event", step));
        request.put("window", window);
        Forms.putIfPresent(request, "breakdown", breakdown);
        Forms.putIfPresent(request, "from", from);
        Forms.putIfPresent(request, "to", to);
        return request;
    }

    ReportLinks.Parameters parameters() {
        return ReportLinks.parameters().addAll("steps", steps).add("window", window).add("breakdown", breakdown)
                .add("from", from).add("to", to);
    }

    /** The form field a problem of the query parser is about: {@code steps[1].event} is the second step. */
    static String field(String problemField) {
        if (problemField.startsWith("steps[")) {
            return "steps" + problemField.substring("steps[".length(), problemField.indexOf(']'));
        }
        if (problemField.startsWith("breakdown")) {
            return "breakdown";
        }
        return problemField;
    }

    private FunnelForm withSteps(List<String> list) {
        return new FunnelForm(list, window, breakdown, from, to);
    }
}
