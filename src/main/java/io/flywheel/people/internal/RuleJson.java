package io.flywheel.people.internal;

import io.flywheel.events.Breakdown;
import io.flywheel.events.EventFilter;
import io.flywheel.events.EventProperties;
import io.flywheel.events.FunnelSpec;
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
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON rule format of segments and rule tags (docs/design/people-rules.md) to and from
 * {@link PersonCondition}. Errors are {@link InvalidInputException}s whose field is the JSON path of
 * the bad part ({@code rule.all[1].did}). {@code {"tag": 12}} and {@code {"segment": 7}} become
 * {@link InSet} conditions on the keys {@code tag:12} and {@code segment:7}.
 */
public final class RuleJson {

    /** Groups nest at most this deep (the outermost group is level 1). */
    public static final int MAX_DEPTH = 5;
    /** A rule has at most this many conditions that are not groups. */
    public static final int MAX_CONDITIONS = 50;
    static final int MAX_VALUES = 100;
    static final int MAX_FILTERS = 20;
    static final String ROOT = "rule";
    /** How the rule format names "no channel". */
    public static final String NO_CHANNEL = "(none)";

    /** The RFM segment names, as in the RFM report. */
    public static final List<String> RFM_SEGMENTS = List.of("important_value", "important_develop", "important_keep",
            "important_win_back", "general_value", "general_develop", "general_keep", "general_win_back");

    private static final List<String> KINDS = List.of("all", "any", "not", "trait", "did", "didNot", "sequence", "funnel", "rfm", "stage",
            "firstTouch", "lastTouch", "tag", "segment");
    private static final Map<String, Set<String>> FIELDS = Map.ofEntries(
            Map.entry("all", Set.of()), Map.entry("any", Set.of()), Map.entry("not", Set.of()),
            Map.entry("trait", Set.of("operator", "value", "values")),
            Map.entry("did", Set.of("where", "atLeast", "atMost", "exactly", "lastDays", "from", "to")),
            Map.entry("didNot", Set.of("where", "lastDays", "from", "to")),
            Map.entry("sequence", Set.of("within", "lastDays", "from", "to")),
            Map.entry("funnel", Set.of("within", "lastDays", "from", "to", "reached", "exactly")),
            Map.entry("rfm", Set.of()), Map.entry("stage", Set.of()), Map.entry("firstTouch", Set.of()),
            Map.entry("lastTouch", Set.of()), Map.entry("tag", Set.of()), Map.entry("segment", Set.of()));

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RuleJson() {
    }

    /** Reads a rule; the root path in errors is {@code rule}. */
    public static PersonCondition parse(JsonNode node) {
        int[] conditions = {0};
        return condition(node, ROOT, 1, conditions);
    }

    private static PersonCondition condition(JsonNode node, String at, int depth, int[] conditions) {
        if (node == null || node.isNull()) {
            throw new InvalidInputException(at, at + " is required");
        }
        if (!node.isObject()) {
            throw new InvalidInputException(at, at + " must be an object such as {\"all\": [...]} or {\"did\": \"Order Completed\"}");
        }
        String kind = kind(node, at);
        for (String name : node.propertyNames()) {
            if (!name.equals(kind) && !FIELDS.get(kind).contains(name)) {
                throw new InvalidInputException(at + "." + name, "unknown field '" + name + "' in a " + kind + " condition");
            }
        }
        String path = at + "." + kind;
        if (!kind.equals("all") && !kind.equals("any") && !kind.equals("not") && ++conditions[0] > MAX_CONDITIONS) {
            throw new InvalidInputException(path, "a rule has at most " + MAX_CONDITIONS + " conditions");
        }
        JsonNode value = node.get(kind);
        return switch (kind) {
            case "all", "any" -> group(kind, value, path, depth, conditions);
            case "not" -> {
                checkDepth(path, depth);
                yield new Not(condition(value, path, depth + 1, conditions));
            }
            case "trait" -> trait(node, value, at, path);
            case "did" -> did(node, value, at, path, false);
            case "didNot" -> did(node, value, at, path, true);
            case "sequence" -> sequence(node, value, at, path);
            case "funnel" -> funnel(node, value, at, path);
            case "rfm" -> rfm(value, path);
            case "stage" -> stage(value, path);
            case "firstTouch", "lastTouch" -> touch(kind.equals("firstTouch"), value, path);
            case "tag", "segment" -> new InSet(kind + ":" + id(value, path));
            default -> throw new IllegalStateException(kind);
        };
    }

    private static String kind(JsonNode node, String at) {
        String found = null;
        for (String kind : KINDS) {
            if (node.has(kind)) {
                if (found != null) {
                    throw new InvalidInputException(at, at + " has both '" + found + "' and '" + kind + "'; use one condition per object");
                }
                found = kind;
            }
        }
        if (found == null) {
            throw new InvalidInputException(at, at + " must have one of " + String.join(", ", KINDS));
        }
        return found;
    }

    private static void checkDepth(String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new InvalidInputException(path, "groups nest at most " + MAX_DEPTH + " deep");
        }
    }

    private static PersonCondition group(String kind, JsonNode value, String path, int depth, int[] conditions) {
        checkDepth(path, depth);
        if (value == null || !value.isArray() || value.isEmpty()) {
            throw new InvalidInputException(path, path + " must be a non-empty array of conditions", "rule.error.emptyGroup");
        }
        List<PersonCondition> members = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            members.add(condition(value.get(i), path + "[" + i + "]", depth + 1, conditions));
        }
        return kind.equals("all") ? new All(members) : new Any(members);
    }

    private static Trait trait(JsonNode node, JsonNode key, String at, String path) {
        String name = text(key, path);
        if (!io.flywheel.events.PersonQuery.isValidTraitKey(name) || name.isBlank()) {
            throw new InvalidInputException(path, "a trait name has 1 to 200 characters and no quotes, backslashes or control characters",
                    "rule.error.name");
        }
        EventFilter.Operator operator = operator(node.get("operator"), at + ".operator");
        List<String> values = values(node, at);
        try {
            return new Trait(name, operator, values);
        }
        catch (IllegalArgumentException e) {
            throw new InvalidInputException(at + ".value", lower(e), "rule.error.value");
        }
    }

    private static Did did(JsonNode node, JsonNode event, String at, String path, boolean not) {
        String name = text(event, path);
        List<EventFilter> filters = filters(node.get("where"), at + ".where");
        Count count = not ? Count.atMost(0) : count(node, at);
        return new Did(name, filters, count, window(node, at));
    }

    private static Count count(JsonNode node, String at) {
        Count count = null;
        for (String name : List.of("atLeast", "atMost", "exactly")) {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                continue;
            }
            if (count != null) {
                throw new InvalidInputException(at + "." + name, "use one of atLeast, atMost and exactly");
            }
            if (!value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < 0 || value.asLong() > 1_000_000_000L) {
                throw new InvalidInputException(at + "." + name, name + " must be a whole number from 0", "rule.error.count");
            }
            Count.Comparison comparison = switch (name) {
                case "atLeast" -> Count.Comparison.AT_LEAST;
                case "atMost" -> Count.Comparison.AT_MOST;
                default -> Count.Comparison.EXACTLY;
            };
            count = new Count(comparison, value.asLong());
        }
        return count == null ? Count.atLeast(1) : count;
    }

    private static Window window(JsonNode node, String at) {
        JsonNode lastDays = node.get("lastDays");
        LocalDate from = date(node.get("from"), at + ".from");
        LocalDate to = date(node.get("to"), at + ".to");
        Integer days = null;
        if (lastDays != null && !lastDays.isNull()) {
            if (!lastDays.isIntegralNumber() || lastDays.asLong() < 1 || lastDays.asLong() > 3660) {
                throw new InvalidInputException(at + ".lastDays", "lastDays must be a whole number from 1 to 3660", "rule.error.days");
            }
            days = lastDays.asInt();
        }
        if (days != null && (from != null || to != null)) {
            throw new InvalidInputException(at + ".lastDays", "a window is either lastDays or from/to, not both");
        }
        if (from != null && to != null && to.isBefore(from)) {
            throw new InvalidInputException(at + ".to", "to must not be before from", "rule.error.dates");
        }
        return new Window(days, from, to);
    }

    private static LocalDate date(JsonNode node, String at) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return LocalDate.parse(text(node, at));
        }
        catch (DateTimeParseException e) {
            throw new InvalidInputException(at, at + " must be a day such as 2026-03-01", "rule.error.date");
        }
    }

    private static Sequence sequence(JsonNode node, JsonNode steps, String at, String path) {
        if (steps == null || !steps.isArray() || steps.size() != 2) {
            throw new InvalidInputException(path, "a sequence has two steps: [{\"event\": A}, {\"event\": B}]");
        }
        Step first = step(steps.get(0), path + "[0]");
        Step then = step(steps.get(1), path + "[1]");
        return new Sequence(first, then, within(node, at), window(node, at));
    }

    /** {@code reached} defaults to the last step (converted), {@code exactly} to false (at least). */
    private static Funnel funnel(JsonNode node, JsonNode steps, String at, String path) {
        if (steps == null || !steps.isArray() || steps.size() < 2 || steps.size() > FunnelSpec.MAX_STEPS) {
            throw new InvalidInputException(path, "a funnel has 2 to " + FunnelSpec.MAX_STEPS + " steps: [{\"event\": A}, {\"event\": B}, ...]",
                    "rule.error.funnelSteps", FunnelSpec.MAX_STEPS);
        }
        List<Step> list = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            list.add(step(steps.get(i), path + "[" + i + "]"));
        }
        int reached = list.size();
        JsonNode value = node.get("reached");
        if (value != null && !value.isNull()) {
            if (!value.isIntegralNumber() || value.asLong() < 1 || value.asLong() > list.size()) {
                throw new InvalidInputException(at + ".reached", "reached must be a step of the funnel, 1 to " + list.size(),
                        "rule.error.reached", list.size());
            }
            reached = value.asInt();
        }
        boolean exactly = false;
        JsonNode flag = node.get("exactly");
        if (flag != null && !flag.isNull()) {
            if (!flag.isBoolean()) {
                throw new InvalidInputException(at + ".exactly", "exactly must be true (reached that step and not the next) or false (at least)");
            }
            exactly = flag.asBoolean();
        }
        return new Funnel(list, within(node, at), window(node, at), reached, exactly);
    }

    private static Duration within(JsonNode node, String at) {
        JsonNode within = node.get("within");
        if (within == null || within.isNull()) {
            throw new InvalidInputException(at + ".within", "within is required, e.g. P1D or PT2H");
        }
        Duration duration;
        try {
            duration = Duration.parse(text(within, at + ".within"));
        }
        catch (DateTimeParseException e) {
            throw new InvalidInputException(at + ".within", "within must be an ISO-8601 duration such as P1D or PT2H", "rule.error.duration");
        }
        if (duration.isNegative() || duration.isZero() || duration.compareTo(Duration.ofDays(3660)) > 0) {
            throw new InvalidInputException(at + ".within", "within must be positive and at most 3660 days", "rule.error.duration");
        }
        return duration;
    }

    private static Step step(JsonNode node, String at) {
        if (node == null || !node.isObject()) {
            throw new InvalidInputException(at, at + " must be an object with event and optional where");
        }
        for (String name : node.propertyNames()) {
            if (!name.equals("event") && !name.equals("where")) {
                throw new InvalidInputException(at + "." + name, "unknown field '" + name + "' in a step");
            }
        }
        return new Step(text(node.get("event"), at + ".event"), filters(node.get("where"), at + ".where"));
    }

    private static Rfm rfm(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new InvalidInputException(path, path + " must be an object with segments, r, f, m and windowDays");
        }
        for (String name : node.propertyNames()) {
            if (!Set.of("segments", "r", "f", "m", "windowDays").contains(name)) {
                throw new InvalidInputException(path + "." + name, "unknown field '" + name + "' in an rfm condition");
            }
        }
        Set<String> segments = new LinkedHashSet<>();
        JsonNode names = node.get("segments");
        if (names != null && !names.isNull()) {
            for (String name : texts(names, path + ".segments", 0)) {
                if (!RFM_SEGMENTS.contains(name)) {
                    throw new InvalidInputException(path + ".segments", "unknown RFM segment '" + name + "'; one of " + RFM_SEGMENTS);
                }
                segments.add(name);
            }
        }
        int windowDays = 90;
        JsonNode window = node.get("windowDays");
        if (window != null && !window.isNull()) {
            if (!window.isIntegralNumber() || window.asLong() < 1 || window.asLong() > 3660) {
                throw new InvalidInputException(path + ".windowDays", "windowDays must be a whole number from 1 to 3660", "rule.error.days");
            }
            windowDays = window.asInt();
        }
        return new Rfm(windowDays, segments, range(node.get("r"), path + ".r"), range(node.get("f"), path + ".f"),
                range(node.get("m"), path + ".m"));
    }

    private static Range range(JsonNode node, String at) {
        if (node == null || node.isNull()) {
            return Range.all();
        }
        if (!node.isArray() || node.size() != 2 || !node.get(0).isIntegralNumber() || !node.get(1).isIntegralNumber()) {
            throw new InvalidInputException(at, at + " must be [min, max] with scores 1 to 5");
        }
        int min = node.get(0).asInt();
        int max = node.get(1).asInt();
        if (min < 1 || max > 5 || max < min) {
            throw new InvalidInputException(at, at + " must be [min, max] with 1 ≤ min ≤ max ≤ 5");
        }
        return new Range(min, max);
    }

    private static Stage stage(JsonNode node, String path) {
        Set<LifecycleStage> stages = new LinkedHashSet<>();
        for (String key : texts(node, path, 1)) {
            try {
                stages.add(LifecycleStage.ofKey(key.toLowerCase(Locale.ROOT)));
            }
            catch (IllegalArgumentException e) {
                throw new InvalidInputException(path, "unknown lifecycle stage '" + key + "'; one of new, active, at_risk, dormant, churned, reactivated");
            }
        }
        return new Stage(stages);
    }

    /** "(none)" (the rule format's word) and "$none" both stand for persons without a touch. */
    private static Touch touch(boolean first, JsonNode node, String path) {
        Set<String> channels = new LinkedHashSet<>();
        for (String channel : texts(node, path, 1)) {
            channels.add(NO_CHANNEL.equals(channel) ? Breakdown.NONE : channel);
        }
        return new Touch(first, channels);
    }

    private static long id(JsonNode node, String path) {
        if (node == null || !node.isIntegralNumber() || node.asLong() < 1) {
            throw new InvalidInputException(path, path + " must be the id of a " + path.substring(path.lastIndexOf('.') + 1));
        }
        return node.asLong();
    }

    static List<EventFilter> filters(JsonNode node, String at) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new InvalidInputException(at, at + " must be an array of filters");
        }
        if (node.size() > MAX_FILTERS) {
            throw new InvalidInputException(at, "at most " + MAX_FILTERS + " filters");
        }
        List<EventFilter> filters = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String path = at + "[" + i + "]";
            JsonNode filter = node.get(i);
            if (!filter.isObject()) {
                throw new InvalidInputException(path, path + " must be an object with property, operator and value");
            }
            for (String name : filter.propertyNames()) {
                if (!Set.of("property", "operator", "value", "values").contains(name)) {
                    throw new InvalidInputException(path + "." + name, "unknown field '" + name + "' in a filter");
                }
            }
            String property = text(filter.get("property"), path + ".property");
            checkProperty(property, path + ".property");
            EventFilter.Operator operator = operator(filter.get("operator"), path + ".operator");
            try {
                filters.add(new EventFilter(property, operator, values(filter, path)));
            }
            catch (IllegalArgumentException e) {
                throw new InvalidInputException(path + ".value", lower(e), "rule.error.value");
            }
        }
        return filters;
    }

    private static void checkProperty(String property, String at) {
        if (property.startsWith("$") && !EventProperties.BUILT_IN.contains(property)) {
            throw new InvalidInputException(at, "unknown built-in property '" + property + "'; one of " + EventProperties.BUILT_IN);
        }
        if (property.isBlank() || property.length() > 200 || property.contains("\"") || property.contains("'") || property.contains("\\")
                || property.contains("..") || property.startsWith(".") || property.endsWith(".")) {
            throw new InvalidInputException(at, "'" + property + "' is not a usable property name", "rule.error.name");
        }
    }

    private static EventFilter.Operator operator(JsonNode node, String at) {
        if (node == null || node.isNull()) {
            return EventFilter.Operator.EQUALS;
        }
        String name = text(node, at);
        try {
            return EventFilter.Operator.valueOf(name.toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException e) {
            throw new InvalidInputException(at, "unknown operator '" + name + "'; one of equals, not_equals, contains, not_contains, "
                    + "in, not_in, gt, gte, lt, lte, is_set, is_not_set");
        }
    }

    private static List<String> values(JsonNode node, String at) {
        JsonNode value = node.get("value");
        JsonNode values = node.get("values");
        if (value != null && !value.isNull() && values != null && !values.isNull()) {
            throw new InvalidInputException(at + ".values", "use value or values, not both");
        }
        List<String> list = new ArrayList<>();
        if (values != null && !values.isNull()) {
            list.addAll(texts(values, at + ".values", 0));
        }
        else if (value != null && !value.isNull()) {
            list.addAll(value.isArray() ? texts(value, at + ".value", 0) : List.of(scalar(value, at + ".value")));
        }
        return list;
    }

    private static List<String> texts(JsonNode node, String at, int min) {
        if (node == null || !node.isArray() || node.size() < min) {
            throw new InvalidInputException(at, at + " must be an array" + (min > 0 ? " with at least " + min + " value" : ""), "rule.error.choose");
        }
        if (node.size() > MAX_VALUES) {
            throw new InvalidInputException(at, "at most " + MAX_VALUES + " values");
        }
        List<String> list = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            list.add(scalar(node.get(i), at + "[" + i + "]"));
        }
        return list;
    }

    private static String scalar(JsonNode node, String at) {
        if (node.isString() || node.isNumber() || node.isBoolean()) {
            String text = node.asString();
            if (text.length() > 1000) {
                throw new InvalidInputException(at, at + " is longer than 1000 characters");
            }
            return text;
        }
        throw new InvalidInputException(at, at + " must be a string, number or boolean");
    }

    private static String text(JsonNode node, String at) {
        if (node == null || node.isNull() || !node.isString() || node.asString().isBlank()) {
            throw new InvalidInputException(at, at + " must be a non-empty string", "rule.error.text");
        }
        String text = node.asString().strip();
        if (text.length() > 200) {
            throw new InvalidInputException(at, at + " is longer than 200 characters");
        }
        return text;
    }

    private static String lower(IllegalArgumentException e) {
        String message = e.getMessage();
        return message == null ? "invalid value" : message.substring(0, 1).toLowerCase(Locale.ROOT) + message.substring(1);
    }

    // ------------------------------------------------------------ writing

    /** The rule as JSON in the documented format; {@link #parse} reads it back to an equal condition. */
    public static ObjectNode write(PersonCondition condition) {
        ObjectNode node = NODES.objectNode();
        if (condition instanceof All all) {
            ArrayNode members = node.putArray("all");
            all.conditions().forEach(member -> members.add(write(member)));
        }
        else if (condition instanceof Any any) {
            ArrayNode members = node.putArray("any");
            any.conditions().forEach(member -> members.add(write(member)));
        }
        else if (condition instanceof Not not) {
            node.set("not", write(not.condition()));
        }
        else if (condition instanceof Trait trait) {
            node.put("trait", trait.key());
            node.put("operator", trait.operator().name().toLowerCase(Locale.ROOT));
            writeValues(node, trait.operator(), trait.values());
        }
        else if (condition instanceof Did did) {
            writeDid(node, did);
        }
        else if (condition instanceof Sequence sequence) {
            ArrayNode steps = node.putArray("sequence");
            steps.add(writeStep(sequence.first()));
            steps.add(writeStep(sequence.then()));
            node.put("within", sequence.within().toString());
            writeWindow(node, sequence.window());
        }
        else if (condition instanceof Funnel funnel) {
            ArrayNode steps = node.putArray("funnel");
            funnel.steps().forEach(step -> steps.add(writeStep(step)));
            node.put("within", funnel.within().toString());
            writeWindow(node, funnel.window());
            node.put("reached", funnel.reached());
            if (funnel.exactly()) {
                node.put("exactly", true);
            }
        }
        else if (condition instanceof Rfm rfm) {
            ObjectNode value = node.putObject("rfm");
            ArrayNode segments = value.putArray("segments");
            RFM_SEGMENTS.stream().filter(rfm.segments()::contains).forEach(segments::add);
            value.putArray("r").add(rfm.r().min()).add(rfm.r().max());
            value.putArray("f").add(rfm.f().min()).add(rfm.f().max());
            value.putArray("m").add(rfm.m().min()).add(rfm.m().max());
            value.put("windowDays", rfm.windowDays());
        }
        else if (condition instanceof Stage stage) {
            ArrayNode stages = node.putArray("stage");
            for (LifecycleStage each : LifecycleStage.values()) {
                if (stage.stages().contains(each)) {
                    stages.add(each.key());
                }
            }
        }
        else if (condition instanceof Touch touch) {
            ArrayNode channels = node.putArray(touch.firstTouch() ? "firstTouch" : "lastTouch");
            new TreeSet<>(touch.channels()).forEach(channel -> channels.add(Breakdown.NONE.equals(channel) ? NO_CHANNEL : channel));
        }
        else if (condition instanceof InSet set) {
            String[] parts = set.key().split(":", 2);
            try {
                node.put(parts[0], Long.parseLong(parts[1]));
            }
            catch (NumberFormatException e) {
                node.put(parts[0], parts[1]);
            }
        }
        return node;
    }

    private static void writeDid(ObjectNode node, Did did) {
        boolean not = did.count().comparison() == Count.Comparison.AT_MOST && did.count().value() == 0;
        node.put(not ? "didNot" : "did", did.event());
        if (!did.filters().isEmpty()) {
            node.set("where", writeFilters(did.filters()));
        }
        if (!not && !did.count().equals(Count.atLeast(1))) {
            String name = switch (did.count().comparison()) {
                case AT_LEAST -> "atLeast";
                case AT_MOST -> "atMost";
                case EXACTLY -> "exactly";
            };
            node.put(name, did.count().value());
        }
        writeWindow(node, did.window());
    }

    private static ObjectNode writeStep(Step step) {
        ObjectNode node = NODES.objectNode();
        node.put("event", step.event());
        if (!step.filters().isEmpty()) {
            node.set("where", writeFilters(step.filters()));
        }
        return node;
    }

    private static ArrayNode writeFilters(List<EventFilter> filters) {
        ArrayNode array = NODES.arrayNode();
        for (EventFilter filter : filters) {
            ObjectNode node = array.addObject();
            node.put("property", filter.property());
            node.put("operator", filter.operator().name().toLowerCase(Locale.ROOT));
            writeValues(node, filter.operator(), filter.values());
        }
        return array;
    }

    private static void writeValues(ObjectNode node, EventFilter.Operator operator, List<String> values) {
        if (values.isEmpty()) {
            return;
        }
        if (values.size() == 1 && operator != EventFilter.Operator.IN && operator != EventFilter.Operator.NOT_IN) {
            node.put("value", values.get(0));
            return;
        }
        ArrayNode array = node.putArray("values");
        values.forEach(array::add);
    }

    private static void writeWindow(ObjectNode node, Window window) {
        if (window.lastDays() != null) {
            node.put("lastDays", window.lastDays());
        }
        if (window.from() != null) {
            node.put("from", window.from().toString());
        }
        if (window.to() != null) {
            node.put("to", window.to().toString());
        }
    }

    /** Every set key the condition refers to ({@code tag:12}, {@code segment:7}). */
    public static Set<String> references(PersonCondition condition) {
        Set<String> keys = new LinkedHashSet<>();
        collect(condition, keys);
        return keys;
    }

    private static void collect(PersonCondition condition, Set<String> keys) {
        if (condition instanceof All all) {
            all.conditions().forEach(member -> collect(member, keys));
        }
        else if (condition instanceof Any any) {
            any.conditions().forEach(member -> collect(member, keys));
        }
        else if (condition instanceof Not not) {
            collect(not.condition(), keys);
        }
        else if (condition instanceof InSet set) {
            keys.add(set.key());
        }
    }
}
