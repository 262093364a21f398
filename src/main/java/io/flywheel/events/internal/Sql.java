package io.flywheel.events.internal;

import io.flywheel.events.EventFilter;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** SQL text with its parameters, built piece by piece; every user value travels as a parameter. */
final class Sql {

    /** Stored columns that filters and breakdowns may name with a leading {@code $}. */
    static final Map<String, String> COLUMNS = Map.ofEntries(
            Map.entry("$channel", "e.channel"),
            Map.entry("$utm_source", "e.utm_source"),
            Map.entry("$utm_medium", "e.utm_medium"),
            Map.entry("$utm_campaign", "e.utm_campaign"),
            Map.entry("$url", "e.url"),
            Map.entry("$referrer", "e.referrer"),
            Map.entry("$type", "e.type"),
            Map.entry("$event", "e.event"),
            Map.entry("$revenue", "CAST(e.revenue AS VARCHAR)"),
            Map.entry("$currency", "e.currency"),
            Map.entry("$order_id", "e.order_id"),
            Map.entry("$user_id", "e.user_id"));

    private static final Pattern PROPERTY_NAME = Pattern.compile("[^\"'\\\\\\p{Cntrl}]{1,200}");

    static final String PERSON = "COALESCE(m.root_id, e.person_id)";
    static final String MERGES = "LEFT JOIN person_merges m ON m.project_id = e.project_id AND m.person_id = e.person_id";

    private final StringBuilder text = new StringBuilder();
    private final List<Object> parameters = new ArrayList<>();

    Sql append(String sql) {
        text.append(sql);
        return this;
    }

    Sql append(String sql, Object... values) {
        text.append(sql);
        parameters.addAll(List.of(values));
        return this;
    }

    Sql parameter(Object value) {
        text.append('?');
        parameters.add(value);
        return this;
    }

    /** Adds a parameter for a placeholder already in the text. */
    Sql parameterValue(Object value) {
        parameters.add(value);
        return this;
    }

    /** Appends another statement's text and parameters. */
    Sql include(Sql other) {
        text.append(other.text);
        parameters.addAll(other.parameters);
        return this;
    }

    String text() {
        return text.toString();
    }

    /** The text with its parameters and their types: equal for statements that are the same. */
    String identity() {
        StringBuilder identity = new StringBuilder(text);
        for (Object parameter : parameters) {
            identity.append('\u0000').append(parameter == null ? "null" : parameter.getClass().getName() + ":" + parameter);
        }
        return identity.toString();
    }

    void bind(PreparedStatement statement) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            Object value = parameters.get(i);
            if (value instanceof Instant instant) {
                statement.setObject(i + 1, LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
            }
            else {
                statement.setObject(i + 1, value);
            }
        }
    }

    /** The SQL expression for a property of the event row {@code e}, as text. */
    static String property(String name) {
        String column = COLUMNS.get(name);
        if (column != null) {
            return column;
        }
        if (name.startsWith("$")) {
            throw new IllegalArgumentException("unknown built-in property '" + name + "'; known: " + COLUMNS.keySet());
        }
        if (!PROPERTY_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("property names may not contain quotes, backslashes or control characters");
        }
        StringBuilder path = new StringBuilder("'$");
        for (String key : name.split("\\.", -1)) {
            if (key.isEmpty()) {
                throw new IllegalArgumentException("property name '" + name + "' has an empty part");
            }
            path.append(".\"").append(key).append('"');
        }
        return "json_extract_string(e.properties, " + path.append("')") ;
    }

    /** The numeric value of a property, or NULL when it is not a number. */
    static String number(String name) {
        if (name.equals("$revenue")) {
            return "e.revenue";
        }
        return "TRY_CAST(" + property(name) + " AS DOUBLE)";
    }

    /** Appends {@code AND <condition>} for each filter. */
    Sql filters(List<EventFilter> filters) {
        for (EventFilter filter : filters) {
            append(" AND ");
            condition(filter);
        }
        return this;
    }

    /** Appends one filter as a parenthesised boolean expression. */
    Sql condition(EventFilter filter) {
        return condition(property(filter.property()), number(filter.property()), filter.operator(), filter.values());
    }

    /**
     * Appends a comparison of a text {@code expression} (its numeric value {@code number}) as a
     * parenthesised boolean expression; the negative operators hold where the expression is NULL.
     */
    Sql condition(String expression, String number, EventFilter.Operator operator, List<String> values) {
        switch (operator) {
            case EQUALS -> append("(" + expression + " = ?)", values.get(0));
            case NOT_EQUALS -> append("(" + expression + " IS NULL OR " + expression + " <> ?)", values.get(0));
            case CONTAINS -> append("(contains(lower(" + expression + "), lower(?)))", values.get(0));
            case NOT_CONTAINS -> append("(" + expression + " IS NULL OR NOT contains(lower(" + expression + "), lower(?)))", values.get(0));
            case IN -> append("(" + expression + " IN (" + placeholders(values.size()) + "))", values.toArray());
            case NOT_IN -> append("(" + expression + " IS NULL OR " + expression + " NOT IN (" + placeholders(values.size()) + "))",
                    values.toArray());
            case GT -> append("(" + number + " > ?)", Double.parseDouble(values.get(0)));
            case GTE -> append("(" + number + " >= ?)", Double.parseDouble(values.get(0)));
            case LT -> append("(" + number + " < ?)", Double.parseDouble(values.get(0)));
            case LTE -> append("(" + number + " <= ?)", Double.parseDouble(values.get(0)));
            case IS_SET -> append("(" + expression + " IS NOT NULL)");
            case IS_NOT_SET -> append("(" + expression + " IS NULL)");
        }
        return this;
    }

    /** A boolean expression that is true for every event when {@code filters} is empty. */
    Sql allOf(List<EventFilter> filters) {
        append("(TRUE");
        filters(filters);
        return append(")");
    }

    static String placeholders(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }

    /**
     * Whether the zone keeps one offset of whole hours from {@code from} to {@code to}, so that whole
     * UTC hours fall exactly into its local days.
     */
    static boolean wholeHourOffset(ZoneId zone, Instant from, Instant to) {
        ZoneOffset offset = fixedOffset(zone, from, to);
        return offset != null && offset.getTotalSeconds() % 3600 == 0;
    }

    /** The zone's offset when it stays the same from {@code from} to {@code to}; null when it changes (daylight saving). */
    static ZoneOffset fixedOffset(ZoneId zone, Instant from, Instant to) {
        ZoneOffset offset = zone.getRules().getOffset(from);
        ZoneOffsetTransition next = zone.getRules().nextTransition(from);
        boolean fixed = zone.getRules().getOffset(to).equals(offset) && (next == null || next.getInstant().isAfter(to));
        return fixed ? offset : null;
    }

    /**
     * The local wall-clock time of {@code e.ts} in {@code zone}. When the zone keeps one offset over
     * the whole range (no daylight-saving change), a plain addition; otherwise the ICU conversion,
     * which costs far more per row.
     */
    static String localTime(String column, ZoneId zone, Instant from, Instant to) {
        ZoneOffset offset = fixedOffset(zone, from, to);
        if (offset != null) {
            return "(" + column + " + INTERVAL " + offset.getTotalSeconds() + " SECOND)";
        }
        return "timezone('" + zone.getId().replace("'", "") + "', timezone('UTC', " + column + "))";
    }
}
