package io.flywheel.analytics.internal;

import io.flywheel.events.Breakdown;
import io.flywheel.events.EventFilter;
import io.flywheel.events.FunnelSpec;
import io.flywheel.events.Interval;
import io.flywheel.events.RetentionSpec;
import io.flywheel.events.Scope;
import io.flywheel.events.TrendSpec;
import io.flywheel.shared.InvalidInputException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads a query request (the JSON body of {@code POST /api/v1/query}) into engine specs, naming the
 * field at fault in every error.
 */
public final class QueryParser {

    public static final List<String> KINDS = List.of("trend", "funnel", "retention", "metrics", "channels", "rfm", "aarrr");
    public static final int MAX_DAYS = 366;
    public static final int MAX_HOURLY_DAYS = 31;
    public static final Duration MAX_WINDOW = Duration.ofDays(90);
    private static final Set<String> COMMON = Set.of("kind", "projectId", "from", "to", "refresh", "queryId");
    private static final Set<String> TREND = Set.of("event", "measure", "property", "interval", "filters", "breakdown", "compare");
    private static final Set<String> FUNNEL = Set.of("steps", "window", "breakdown");
    private static final Set<String> RETENTION = Set.of("cohortEvent", "cohortFilters", "returnEvent", "returnFilters", "period", "periods");
    private static final Set<String> RFM = Set.of("segment", "page", "size");
    public static final int MAX_PAGE_SIZE = 200;

    /** A parsed query of one kind. */
    public sealed interface Parsed permits Trend, Funnel, Retention, Metrics, Channels, Rfm, Aarrr {
        String kind();
    }

    public record Metrics(Scope scope) implements Parsed {
        public String kind() {
            return "metrics";
        }
    }

    public record Channels(Scope scope, LocalDate asOf) implements Parsed {
        public String kind() {
            return "channels";
        }
    }

    public record Aarrr(Scope scope, LocalDate asOf) implements Parsed {
        public String kind() {
            return "aarrr";
        }
    }

    /** @param segment a segment whose persons to list, or null */
    public record Rfm(Scope scope, String segment, int page, int size) implements Parsed {
        public String kind() {
            return "rfm";
        }
    }

    public record Trend(TrendSpec spec, boolean compare) implements Parsed {
        public String kind() {
            return "trend";
        }
    }

    public record Funnel(FunnelSpec spec) implements Parsed {
        public String kind() {
            return "funnel";
        }
    }

    public record Retention(RetentionSpec spec) implements Parsed {
        public String kind() {
            return "retention";
        }
    }

    private QueryParser() {
    }

    /** The kind of a request, checked. */
    public static String kind(JsonNode request) {
        if (request == null || !request.isObject()) {
            throw new InvalidInputException("kind", "the request must be a JSON object with a kind");
        }
        String kind = text(request, "kind", true);
        if (!KINDS.contains(kind)) {
            throw new InvalidInputException("kind", "unknown kind '" + kind + "'; one of " + KINDS);
        }
        return kind;
    }

    public static Parsed parse(JsonNode request, long projectId, ZoneId zone, LocalDate today) {
        String kind = kind(request);
        Set<String> allowed = switch (kind) {
            case "trend" -> TREND;
            case "funnel" -> FUNNEL;
            case "retention" -> RETENTION;
            case "rfm" -> RFM;
            default -> Set.of();
        };
        for (Iterator<String> names = request.propertyNames().iterator(); names.hasNext(); ) {
            String name = names.next();
            if (!COMMON.contains(name) && !allowed.contains(name)) {
                throw new InvalidInputException(name, "unknown field '" + name + "' for a " + kind + " query");
            }
        }
        Scope scope = scope(request, projectId, zone, today);
        return switch (kind) {
            case "trend" -> trend(request, scope);
            case "funnel" -> funnel(request, scope);
            case "retention" -> retention(request, scope, today);
            case "metrics" -> new Metrics(scope);
            case "channels" -> new Channels(scope, today);
            case "aarrr" -> new Aarrr(scope, today);
            default -> rfm(request, scope);
        };
    }

    private static Scope scope(JsonNode request, long projectId, ZoneId zone, LocalDate today) {
        LocalDate to = date(request, "to", today);
        LocalDate from = date(request, "from", to.minusDays(29));
        if (to.isBefore(from)) {
            throw new InvalidInputException("to", "to (" + to + ") is before from (" + from + ")", "query.error.toBeforeFrom", to, from);
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            throw new InvalidInputException("from", "a query covers at most " + MAX_DAYS + " days", "query.error.tooManyDays", MAX_DAYS);
        }
        return new Scope(projectId, zone, from, to);
    }

    private static Trend trend(JsonNode request, Scope scope) {
        String event = text(request, "event", true);
        TrendSpec.Measure measure = choice(request, "measure", TrendSpec.Measure.class, TrendSpec.Measure.TOTAL);
        String property = text(request, "property", false);
        if (measure.needsProperty() && property == null) {
            throw new InvalidInputException("property", "measure " + lower(measure) + " needs a numeric property", "query.error.measureProperty");
        }
        if (!measure.needsProperty() && property != null) {
            throw new InvalidInputException("property", "property is only used with the measures sum, avg, min and max", "query.error.propertyUnused");
        }
        if (property != null) {
            checkProperty(property, "property");
        }
        Interval interval = choice(request, "interval", Interval.class, Interval.DAY);
        if (interval == Interval.HOUR && ChronoUnit.DAYS.between(scope.from(), scope.to()) >= MAX_HOURLY_DAYS) {
            throw new InvalidInputException("interval", "hourly trends cover at most " + MAX_HOURLY_DAYS + " days", "query.error.hourlyDays",
                    MAX_HOURLY_DAYS);
        }
        List<EventFilter> filters = filters(request.get("filters"), "filters");
        Breakdown breakdown = breakdown(request.get("breakdown"));
        boolean compare = bool(request, "compare");
        return new Trend(new TrendSpec(scope, event, measure, property, interval, filters, breakdown), compare);
    }

    private static Funnel funnel(JsonNode request, Scope scope) {
        JsonNode steps = request.get("steps");
        if (steps == null || !steps.isArray()) {
            throw new InvalidInputException("steps", "steps must be an array of 2 to " + FunnelSpec.MAX_STEPS + " steps");
        }
        if (steps.size() < 2 || steps.size() > FunnelSpec.MAX_STEPS) {
            throw new InvalidInputException("steps", "a funnel has 2 to " + FunnelSpec.MAX_STEPS + " steps, not " + steps.size(), "query.error.steps",
                    FunnelSpec.MAX_STEPS, steps.size());
        }
        List<FunnelSpec.Step> list = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            JsonNode step = steps.get(i);
            String field = "steps[" + i + "]";
            if (!step.isObject()) {
                throw new InvalidInputException(field, field + " must be an object with an event");
            }
            list.add(new FunnelSpec.Step(text(step, "event", true, field + ".event"), filters(step.get("filters"), field + ".filters")));
        }
        Duration window = duration(request, "window", Duration.ofDays(7));
        if (window.compareTo(MAX_WINDOW) > 0) {
            throw new InvalidInputException("window", "the conversion window is at most " + MAX_WINDOW.toDays() + " days",
                    "query.error.windowTooLong", MAX_WINDOW.toDays());
        }
        return new Funnel(new FunnelSpec(scope, list, window, breakdown(request.get("breakdown"))));
    }

    private static Retention retention(JsonNode request, Scope scope, LocalDate today) {
        String cohortEvent = text(request, "cohortEvent", true);
        String returnEvent = text(request, "returnEvent", false);
        Interval period = choice(request, "period", Interval.class, Interval.DAY);
        if (period == Interval.HOUR) {
            throw new InvalidInputException("period", "period must be day, week or month");
        }
        int periods = integer(request, "periods", 8);
        if (periods < 1 || periods > RetentionSpec.MAX_PERIODS) {
            throw new InvalidInputException("periods", "periods must be between 1 and " + RetentionSpec.MAX_PERIODS, "query.error.periods",
                    RetentionSpec.MAX_PERIODS);
        }
        return new Retention(new RetentionSpec(scope, cohortEvent, filters(request.get("cohortFilters"), "cohortFilters"),
                returnEvent == null ? TrendSpec.ANY_EVENT : returnEvent, filters(request.get("returnFilters"), "returnFilters"),
                period, periods, today));
    }

    private static Rfm rfm(JsonNode request, Scope scope) {
        String segment = text(request, "segment", false);
        if (segment != null && !io.flywheel.analytics.RfmAnswer.SEGMENTS.contains(segment)) {
            throw new InvalidInputException("segment", "segment must be one of " + io.flywheel.analytics.RfmAnswer.SEGMENTS);
        }
        int page = integer(request, "page", 1);
        if (page < 1 || page > 100_000) {
            throw new InvalidInputException("page", "page must be between 1 and 100000");
        }
        int size = integer(request, "size", 50);
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw new InvalidInputException("size", "size must be between 1 and " + MAX_PAGE_SIZE);
        }
        return new Rfm(scope, segment, page, size);
    }

    // ------------------------------------------------------------ pieces

    static List<EventFilter> filters(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new InvalidInputException(field, field + " must be an array");
        }
        if (node.size() > 20) {
            throw new InvalidInputException(field, "at most 20 filters");
        }
        List<EventFilter> filters = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String at = field + "[" + i + "]";
            JsonNode filter = node.get(i);
            if (!filter.isObject()) {
                throw new InvalidInputException(at, at + " must be an object with property, operator and value");
            }
            String property = text(filter, "property", true, at + ".property");
            checkProperty(property, at + ".property");
            EventFilter.Operator operator = choice(filter, "operator", EventFilter.Operator.class, EventFilter.Operator.EQUALS, at + ".operator");
            List<String> values = values(filter, at);
            try {
                filters.add(new EventFilter(property, operator, values));
            }
            catch (IllegalArgumentException e) {
                String bad = operator.numeric() ? values.stream().filter(value -> !isNumber(value)).findFirst().orElse(null) : null;
                throw bad == null
                        ? new InvalidInputException(at + ".value", e.getMessage().toLowerCase(Locale.ROOT), "query.error.required")
                        : new InvalidInputException(at + ".value", e.getMessage().toLowerCase(Locale.ROOT), "query.error.number", bad);
            }
        }
        return filters;
    }

    private static List<String> values(JsonNode filter, String at) {
        JsonNode value = filter.get("value");
        JsonNode values = filter.get("values");
        List<String> list = new ArrayList<>();
        if (values != null && values.isArray()) {
            for (JsonNode item : values) {
                list.add(scalar(item, at + ".values"));
            }
        }
        else if (value != null && value.isArray()) {
            for (JsonNode item : value) {
                list.add(scalar(item, at + ".value"));
            }
        }
        else if (value != null && !value.isNull()) {
            list.add(scalar(value, at + ".value"));
        }
        if (list.size() > 100) {
            throw new InvalidInputException(at + ".values", "at most 100 values");
        }
        return list;
    }

    private static String scalar(JsonNode node, String field) {
        if (node.isString() || node.isNumber() || node.isBoolean()) {
            return node.asString();
        }
        throw new InvalidInputException(field, field + " must be a string, number or boolean");
    }

    static Breakdown breakdown(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isString()) {
            String name = node.asString();
            if (name.equals("$channel") || name.equals("channel")) {
                return Breakdown.firstTouchChannel(10);
            }
            checkProperty(name, "breakdown");
            return new Breakdown(Breakdown.Kind.EVENT_PROPERTY, name, 10);
        }
        if (!node.isObject()) {
            throw new InvalidInputException("breakdown", "breakdown must be a property name or an object");
        }
        String type = text(node, "type", false, "breakdown.type");
        int limit = integer(node, "limit", 10, "breakdown.limit");
        if (limit < 1 || limit > 50) {
            throw new InvalidInputException("breakdown.limit", "limit must be between 1 and 50");
        }
        if ("channel".equals(type)) {
            return Breakdown.firstTouchChannel(limit);
        }
        if (type != null && !type.equals("property")) {
            throw new InvalidInputException("breakdown.type", "breakdown type must be property or channel");
        }
        String property = text(node, "property", true, "breakdown.property");
        checkProperty(property, "breakdown.property");
        return new Breakdown(Breakdown.Kind.EVENT_PROPERTY, property, limit);
    }

    private static boolean isNumber(String value) {
        try {
            Double.parseDouble(value);
            return true;
        }
        catch (NumberFormatException e) {
            return false;
        }
    }

    private static void checkProperty(String property, String field) {
        if (property.startsWith("$") && !io.flywheel.events.EventProperties.BUILT_IN.contains(property)) {
            throw new InvalidInputException(field, "unknown built-in property '" + property + "'; one of "
                    + io.flywheel.events.EventProperties.BUILT_IN, "query.error.builtIn", property, String.join(", ", io.flywheel.events.EventProperties.BUILT_IN));
        }
        if (property.length() > 200 || property.contains("\"") || property.contains("'") || property.contains("\\")
                || property.contains("..") || property.startsWith(".") || property.endsWith(".")) {
            throw new InvalidInputException(field, "'" + property + "' is not a usable property name", "query.error.property", property);
        }
    }

    private static String text(JsonNode node, String name, boolean required) {
        return text(node, name, required, name);
    }

    private static String text(JsonNode node, String name, boolean required, String field) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                throw new InvalidInputException(field, field + " is required", "query.error.required");
            }
            return null;
        }
        if (!value.isString()) {
            throw new InvalidInputException(field, field + " must be a string");
        }
        String text = value.asString().strip();
        if (text.isEmpty()) {
            throw new InvalidInputException(field, field + " must not be blank", "query.error.required");
        }
        if (text.length() > 200) {
            throw new InvalidInputException(field, field + " is longer than 200 characters", "query.error.tooLong", 200);
        }
        return text;
    }

    private static LocalDate date(JsonNode node, String name, LocalDate fallback) {
        String text = text(node, name, false);
        if (text == null) {
            return fallback;
        }
        try {
            return LocalDate.parse(text);
        }
        catch (DateTimeParseException e) {
            throw new InvalidInputException(name, name + " must be an ISO date such as 2026-01-31, not '" + text + "'", "query.error.date", text);
        }
    }

    private static Duration duration(JsonNode node, String name, Duration fallback) {
        String text = text(node, name, false);
        if (text == null) {
            return fallback;
        }
        try {
            Duration duration;
            if (text.toUpperCase(Locale.ROOT).contains("T")) {
                duration = Duration.parse(text);
            }
            else {
                java.time.Period period = java.time.Period.parse(text);
                if (period.getYears() != 0 || period.getMonths() != 0) {
                    throw new InvalidInputException(name, name + " must be given in weeks, days or hours (P30D, not P1M): months differ in length",
                            "query.error.durationMonths");
                }
                duration = Duration.ofDays(period.getDays());
            }
            if (duration.isNegative() || duration.isZero()) {
                throw new InvalidInputException(name, name + " must be positive", "query.error.positive");
            }
            return duration;
        }
        catch (DateTimeParseException | ArithmeticException e) {
            throw new InvalidInputException(name, name + " must be an ISO-8601 duration such as P7D or PT12H, not '" + text + "'",
                    "query.error.duration", text);
        }
    }

    private static <E extends Enum<E>> E choice(JsonNode node, String name, Class<E> type, E fallback) {
        return choice(node, name, type, fallback, name);
    }

    private static <E extends Enum<E>> E choice(JsonNode node, String name, Class<E> type, E fallback, String field) {
        String text = text(node, name, false, field);
        if (text == null) {
            return fallback;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(text)) {
                return constant;
            }
        }
        List<String> names = java.util.Arrays.stream(type.getEnumConstants()).map(QueryParser::lower).toList();
        throw new InvalidInputException(field, field + " must be one of " + names + ", not '" + text + "'", "query.error.choice", text);
    }

    private static int integer(JsonNode node, String name, int fallback) {
        return integer(node, name, fallback, name);
    }

    private static int integer(JsonNode node, String name, int fallback, String field) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new InvalidInputException(field, field + " must be a whole number");
        }
        return value.asInt();
    }

    private static boolean bool(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new InvalidInputException(name, name + " must be true or false");
        }
        return value.asBoolean();
    }

    static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
