package io.flywheel.analytics.web;

import io.flywheel.events.TrendSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The parameters of the trends page; they are the report, so a URL names it. Values are passed to
 * the query parser as given, which says what is wrong with them; blank fields take the defaults.
 * {@link #compared()} is public for the page's template.
 *
 * @param filterValue one value, or several separated by commas for the operators in and not_in
 * @param breakdown empty for none, {@code channel} for the first-touch channel, or a property name
 * @param compare {@code true} to add the previous period
 */
record TrendForm(String event, String measure, String property, String interval, String from, String to,
        String filterProperty, String filterOperator, String filterValue, String breakdown, String compare) {

    static final List<String> MEASURES = List.of("total", "uniques", "sessions", "sum", "avg", "min", "max");
    static final List<String> NUMERIC_MEASURES = List.of("sum", "avg", "min", "max");
    static final List<String> INTERVALS = List.of("hour", "day", "week", "month");
    static final List<String> OPERATORS = List.of("equals", "not_equals", "contains", "not_contains", "in", "not_in",
            "gt", "gte", "lt", "lte", "is_set", "is_not_set");

    TrendForm {
        event = Forms.orDefault(event, TrendSpec.ANY_EVENT);
        measure = Forms.orDefault(measure, "total");
        property = Forms.blankToNull(property);
        interval = Forms.orDefault(interval, "day");
        from = Forms.blankToNull(from);
        to = Forms.blankToNull(to);
        filterProperty = Forms.blankToNull(filterProperty);
        filterOperator = Forms.orDefault(filterOperator, "equals");
        filterValue = Forms.blankToNull(filterValue);
        breakdown = Forms.blankToNull(breakdown);
        compare = "true".equalsIgnoreCase(Forms.blankToNull(compare)) || "on".equalsIgnoreCase(Forms.blankToNull(compare)) ? "true" : null;
    }

    public boolean compared() {
        return compare != null;
    }

    boolean numericMeasure() {
        return NUMERIC_MEASURES.contains(measure.toLowerCase(Locale.ROOT));
    }

    boolean listOperator() {
        return filterOperator.equalsIgnoreCase("in") || filterOperator.equalsIgnoreCase("not_in");
    }

    boolean valuelessOperator() {
        return filterOperator.equalsIgnoreCase("is_set") || filterOperator.equalsIgnoreCase("is_not_set");
    }

    /** The request of the query API this form stands for. */
    ObjectNode request(JsonMapper json) {
        ObjectNode request = json.createObjectNode();
        request.put("kind", "trend");
        request.put("event", event);
        request.put("measure", measure);
        if (numericMeasure()) {
            request.put("property", property);
        }
        request.put("interval", interval);
        Forms.putIfPresent(request, "from", from);
        Forms.putIfPresent(request, "to", to);
        if (filterProperty != null) {
            ObjectNode filter = request.putArray("filters").addObject();
            filter.put("property", filterProperty);
            filter.put("operator", filterOperator);
            if (listOperator() && filterValue != null) {
                ArrayNode values = filter.putArray("values");
                Arrays.stream(filterValue.split(",")).map(String::strip).filter(value -> !value.isEmpty()).forEach(values::add);
            }
            else if (!valuelessOperator()) {
                Forms.putIfPresent(filter, "value", filterValue);
            }
        }
        Forms.putIfPresent(request, "breakdown", breakdown);
        if (compared()) {
            request.put("compare", true);
        }
        return request;
    }

    /** The form's fields as URL parameters, blanks left out. */
    ReportLinks.Parameters parameters() {
        ReportLinks.Parameters parameters = ReportLinks.parameters()
                .add("event", event).add("measure", measure).add("property", numericMeasure() ? property : null)
                .add("interval", interval).add("from", from).add("to", to);
        if (filterProperty != null) {
            parameters.add("filterProperty", filterProperty).add("filterOperator", filterOperator).add("filterValue", filterValue);
        }
        return parameters.add("breakdown", breakdown).add("compare", compare);
    }

    /** The form field a problem of the query parser is about. */
    static String field(String problemField) {
        if (problemField.startsWith("filters")) {
            if (problemField.endsWith(".operator")) {
                return "filterOperator";
            }
            return problemField.endsWith(".property") ? "filterProperty" : "filterValue";
        }
        if (problemField.startsWith("breakdown")) {
            return "breakdown";
        }
        return problemField;
    }
}
