package io.flywheel.analytics.web;

import io.flywheel.events.TrendSpec;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The parameters of the retention page: the event that puts a person into a cohort, the event that
 * counts as coming back ({@code $any} for any), the period, how many periods, and the cohorts' days.
 */
record RetentionForm(String cohortEvent, String returnEvent, String period, String periods, String from, String to) {

    static final List<String> PERIODS = List.of("day", "week", "month");
    static final String DEFAULT_PERIODS = "8";
    /** The usual cohort event, when the project has it. */
    static final String SIGNED_UP = "Signed Up";

    RetentionForm {
        cohortEvent = Forms.blankToNull(cohortEvent);
        returnEvent = Forms.orDefault(returnEvent, TrendSpec.ANY_EVENT);
        period = Forms.orDefault(period, "day");
        periods = Forms.orDefault(periods, DEFAULT_PERIODS);
        from = Forms.blankToNull(from);
        to = Forms.blankToNull(to);
    }

    /** This form, or when it names no cohort event, one with Signed Up or else the most frequent event. */
    RetentionForm withDefaultCohortEvent(List<String> eventNames) {
        if (cohortEvent != null || eventNames.isEmpty()) {
            return this;
        }
        String event = eventNames.contains(SIGNED_UP) ? SIGNED_UP : eventNames.get(0);
        return new RetentionForm(event, returnEvent, period, periods, from, to);
    }

    ObjectNode request(JsonMapper json) {
        ObjectNode request = json.createObjectNode();
        request.put("kind", "retention");
        Forms.putIfPresent(request, "cohortEvent", cohortEvent);
        request.put("returnEvent", returnEvent);
        request.put("period", period);
        try {
            request.put("periods", Integer.parseInt(periods));
        }
        catch (NumberFormatException e) {
            // the parser names the field and says what it takes
            request.put("periods", periods);
        }
        Forms.putIfPresent(request, "from", from);
        Forms.putIfPresent(request, "to", to);
        return request;
    }

    ReportLinks.Parameters parameters() {
        return ReportLinks.parameters().add("cohortEvent", cohortEvent).add("returnEvent", returnEvent).add("period", period)
                .add("periods", periods).add("from", from).add("to", to);
    }
}
