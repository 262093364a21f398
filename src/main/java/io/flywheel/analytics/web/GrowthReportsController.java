package io.flywheel.analytics.web;

import io.flywheel.analytics.AarrrAnswer;
import io.flywheel.analytics.ChannelSpend;
import io.flywheel.analytics.ChannelsAnswer;
import io.flywheel.analytics.Growth;
import io.flywheel.analytics.GrowthSettings;
import io.flywheel.analytics.MetricsAnswer;
import io.flywheel.analytics.Queries;
import io.flywheel.analytics.RfmAnswer;
import io.flywheel.analytics.TrendAnswer;
import io.flywheel.platform.Access;
import io.flywheel.platform.Capability;
import io.flywheel.platform.Project;
import io.flywheel.shared.InvalidInputException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The operations boards: the daily board (a day against the day before and the same day last
 * week), the AARRR board, channel quality with spend, and RFM with its persons. Every page's
 * parameters are in its URL, and every table downloads as CSV with {@code format=csv}.
 */
@Controller
class GrowthReportsController {

    private final Queries queries;
    private final Growth growth;
    private final Access access;
    private final JsonMapper json;
    private final Clock clock;
    private final GrowthFormat formatter;
    private final org.springframework.context.MessageSource messages;

    GrowthReportsController(Queries queries, Growth growth, Access access, JsonMapper json, Clock clock, GrowthFormat format,
            org.springframework.context.MessageSource messages) {
        this.messages = messages;
        this.formatter = format;
        this.queries = queries;
        this.growth = growth;
        this.access = access;
        this.json = json;
        this.clock = clock;
    }

    // ------------------------------------------------------------ daily board

    /** One line of the board: a figure on the day, the day before and the same day a week before. */
    record BoardLine(String key, double day, double dayBefore, double weekBefore, Double changeDay, Double changeWeek, String unit) {
    }

    /** One row of a board table keyed by a label (a channel, a product). */
    record BoardRow(String label, double day, double dayBefore, double weekBefore) {
    }

    @GetMapping("/p/{projectId}/reports/board")
    Object board(@PathVariable long projectId, @RequestParam(required = false) String day, @RequestParam(required = false) String format,
            Model model) {
        Project project = access.project(projectId, Capability.READ);
        LocalDate today = LocalDate.now(clock.withZone(project.timeZone()));
        model.addAttribute("project", project);
        LocalDate date;
        try {
            date = day == null || day.isBlank() ? today.minusDays(1) : parseDay(day, "day");
        }
        catch (InvalidInputException e) {
            model.addAttribute("error", localized(e));
            date = today.minusDays(1);
        }
        model.addAttribute("day", date);
        String owner = access.current().name();
        MetricsAnswer now = (MetricsAnswer) queries.run(project, range("metrics", date, date), owner);
        MetricsAnswer lastWeek = (MetricsAnswer) queries.run(project, range("metrics", date.minusDays(7), date.minusDays(7)), owner);
        List<BoardLine> marketing = lines(now, lastWeek, "newPersons", "uv", "pv", "sessions", "bounceRate", "averageSessionSeconds");
        List<BoardLine> transaction = lines(now, lastWeek, "orders", "gmv", "payingPersons", "refundedOrders", "arppu", "conversionRate");
        List<BoardLine> customer = lines(now, lastWeek, "activePersons", "newPersons", "mau", "stickiness", "arpu");
        double returning = now.metric("activePersons").value() - now.metric("newPersons").value();
        double returningBefore = now.metric("activePersons").previous() - now.metric("newPersons").previous();
        double returningWeek = lastWeek.metric("activePersons").value() - lastWeek.metric("newPersons").value();
        customer.add(2, line("returningPersons", returning, returningBefore, returningWeek));
        List<BoardRow> channels = channelRows(project, date, owner);
        List<BoardRow> viewed = topRows(project, "Product Viewed", date, owner);
        List<BoardRow> added = topRows(project, "Product Added", date, owner);
        if ("csv".equals(format)) {
            CsvTable csv = new CsvTable("section", "figure", date.toString(), date.minusDays(1).toString(), date.minusDays(7).toString());
            addLines(csv, "marketing", marketing);
            addLines(csv, "transaction", transaction);
            addLines(csv, "customer", customer);
            channels.forEach(row -> csv.row("new persons by channel", row.label(), row.day(), row.dayBefore(), row.weekBefore()));
            viewed.forEach(row -> csv.row("products viewed", row.label(), row.day(), row.dayBefore(), row.weekBefore()));
            added.forEach(row -> csv.row("products added", row.label(), row.day(), row.dayBefore(), row.weekBefore()));
            return csv.download("daily-board-" + date + ".csv");
        }
        model.addAttribute("marketing", marketing);
        model.addAttribute("transaction", transaction);
        model.addAttribute("customer", customer);
        model.addAttribute("channels", channels);
        model.addAttribute("viewed", viewed);
        model.addAttribute("added", added);
        model.addAttribute("computedAt", now.meta().computedAt());
        model.addAttribute("chart", json.writeValueAsString(Map.of(
                "labels", channels.stream().map(BoardRow::label).toList(),
                "day", channels.stream().map(BoardRow::day).toList(),
                "weekBefore", channels.stream().map(BoardRow::weekBefore).toList())));
        return "analytics/board";
    }

    private static void addLines(CsvTable csv, String section, List<BoardLine> lines) {
        lines.forEach(line -> csv.row(section, line.key(), line.day(), line.dayBefore(), line.weekBefore()));
    }

    private static List<BoardLine> lines(MetricsAnswer now, MetricsAnswer lastWeek, String... keys) {
        List<BoardLine> lines = new ArrayList<>();
        for (String key : keys) {
            lines.add(line(key, now.metric(key).value(), now.metric(key).previous(), lastWeek.metric(key).value()));
        }
        return lines;
    }

    private static BoardLine line(String key, double day, double dayBefore, double weekBefore) {
        String unit = switch (key) {
            case "bounceRate", "conversionRate", "stickiness" -> "percent";
            case "gmv", "arpu", "arppu" -> "money";
            case "averageSessionSeconds" -> "seconds";
            default -> "count";
        };
        return new BoardLine(key, day, dayBefore, weekBefore, change(day, dayBefore), change(day, weekBefore), unit);
    }

    private static Double change(double now, double before) {
        return before == 0 ? null : (now - before) / before;
    }

    private List<BoardRow> channelRows(Project project, LocalDate date, String owner) {
        Map<String, double[]> rows = new LinkedHashMap<>();
        LocalDate[] days = {date, date.minusDays(1), date.minusDays(7)};
        for (int i = 0; i < days.length; i++) {
            ChannelsAnswer answer = (ChannelsAnswer) queries.run(project, range("channels", days[i], days[i]), owner);
            for (ChannelsAnswer.Row row : answer.channels()) {
                rows.computeIfAbsent(row.channel(), key -> new double[3])[i] = row.visitors();
            }
        }
        List<BoardRow> result = new ArrayList<>();
        rows.forEach((channel, values) -> result.add(new BoardRow(channel, values[0], values[1], values[2])));
        result.sort((a, b) -> Double.compare(b.day(), a.day()));
        return result;
    }

    private List<BoardRow> topRows(Project project, String event, LocalDate date, String owner) {
        Map<String, double[]> rows = new LinkedHashMap<>();
        LocalDate[] days = {date, date.minusDays(1), date.minusDays(7)};
        for (int i = 0; i < days.length; i++) {
            ObjectNode request = range("trend", days[i], days[i]);
            request.put("event", event);
            request.putObject("breakdown").put("type", "property").put("property", "name").put("limit", 10);
            if (i > 0) {
                // the other days count exactly the products on the day's list, not their own top ten
                if (rows.isEmpty()) {
                    break;
                }
                ObjectNode filter = request.putArray("filters").addObject().put("property", "name").put("operator", "in");
                rows.keySet().forEach(filter.putArray("values")::add);
            }
            TrendAnswer answer = (TrendAnswer) queries.run(project, request, owner);
            for (TrendAnswer.Series series : answer.series()) {
                if (series.group() == null || series.total() == null || series.total() == 0 || series.group().startsWith("$")) {
                    continue;
                }
                if (i == 0 || rows.containsKey(series.group())) {
                    rows.computeIfAbsent(series.group(), key -> new double[3])[i] = series.total();
                }
            }
        }
        List<BoardRow> result = new ArrayList<>();
        rows.forEach((name, values) -> result.add(new BoardRow(name, values[0], values[1], values[2])));
        result.sort((a, b) -> Double.compare(b.day(), a.day()));
        return result;
    }

    // ------------------------------------------------------------ AARRR

    @GetMapping("/p/{projectId}/reports/aarrr")
    Object aarrr(@PathVariable long projectId, @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) String format, Model model) {
        Project project = access.project(projectId, Capability.READ);
        LocalDate[] range = defaultRange(project, from, to, model);
        model.addAttribute("settings", growth.settings(project.id()));
        model.addAttribute("canOperate", access.current().can(Capability.OPERATE));
        AarrrAnswer answer = (AarrrAnswer) queries.run(project, range("aarrr", range[0], range[1]), access.current().name());
        if ("csv".equals(format)) {
            return new CsvTable("stage", "figure", "value")
                    .row("acquisition", "new persons", answer.acquisition().newPersons())
                    .row("acquisition", "visitors", answer.acquisition().visitors())
                    .row("activation", answer.activation().event(), answer.activation().activated())
                    .row("activation", "rate", answer.activation().rate())
                    .row("retention", "day-7 retained", answer.retention().retainedDay7())
                    .row("retention", "day-7 rate", answer.retention().day7Rate())
                    .row("retention", "stickiness (DAU/MAU)", answer.retention().stickiness())
                    .row("revenue", "GMV", answer.revenue().gmv())
                    .row("revenue", "orders", answer.revenue().orders())
                    .row("revenue", "paying persons", answer.revenue().payingPersons())
                    .row("revenue", "ARPU", answer.revenue().arpu())
                    .row("revenue", "ARPPU", answer.revenue().arppu())
                    .row("referral", answer.referral().event(), answer.referral().persons())
                    .row("referral", "rate", answer.referral().rate())
                    .download("aarrr-" + range[0] + "-" + range[1] + ".csv");
        }
        model.addAttribute("answer", answer);
        model.addAttribute("chart", json.writeValueAsString(Map.of(
                "stages", List.of("acquisition", "activation", "retention", "revenue", "referral"),
                "values", List.of(answer.acquisition().newPersons(), answer.activation().activated(), answer.retention().retainedDay7(),
                        answer.revenue().payingPersons(), answer.referral().persons()))));
        return "analytics/aarrr";
    }

    @PostMapping("/p/{projectId}/reports/aarrr/settings")
    String saveSettings(@PathVariable long projectId, @RequestParam String signUpEvent, @RequestParam String activationEvent,
            @RequestParam String referralEvent, RedirectAttributes redirect) {
        Project project = access.project(projectId, Capability.OPERATE);
        try {
            growth.updateSettings(project.id(), new GrowthSettings(signUpEvent, activationEvent, referralEvent), access.current().name());
            redirect.addFlashAttribute("saved", true);
        }
        catch (InvalidInputException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/p/" + project.id() + "/reports/aarrr";
    }

    // ------------------------------------------------------------ channels

    @GetMapping("/p/{projectId}/reports/channels")
    Object channels(@PathVariable long projectId, @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) String format, Model model) {
        Project project = access.project(projectId, Capability.READ);
        LocalDate[] range = defaultRange(project, from, to, model);
        ChannelsAnswer answer = (ChannelsAnswer) queries.run(project, range("channels", range[0], range[1]), access.current().name());
        if ("csv".equals(format)) {
            CsvTable csv = new CsvTable("channel", "visitors", "sign-ups", "sign-up rate", "activated", "activation rate", "day-7 retained",
                    "day-7 eligible", "day-7 rate", "paying persons", "paying rate", "revenue", "spend", "CAC", "ROI");
            for (ChannelsAnswer.Row row : answer.channels()) {
                csvRow(csv, row);
            }
            csvRow(csv, answer.total());
            return csv.download("channels-" + range[0] + "-" + range[1] + ".csv");
        }
        model.addAttribute("answer", answer);
        model.addAttribute("canOperate", access.current().can(Capability.OPERATE));
        model.addAttribute("month", YearMonth.from(range[1]).toString());
        model.addAttribute("spend", growth.spend(project.id(), YearMonth.from(range[0]), YearMonth.from(range[1])));
        model.addAttribute("chart", json.writeValueAsString(Map.of(
                "channels", answer.channels().stream().map(ChannelsAnswer.Row::channel).toList(),
                "visitors", answer.channels().stream().map(ChannelsAnswer.Row::visitors).toList(),
                "paying", answer.channels().stream().map(ChannelsAnswer.Row::payingPersons).toList(),
                "revenue", answer.channels().stream().map(ChannelsAnswer.Row::revenue).toList())));
        return "analytics/channels";
    }

    private static void csvRow(CsvTable csv, ChannelsAnswer.Row row) {
        csv.row(row.channel(), row.visitors(), row.signUps(), row.signUpRate(), row.activated(), row.activationRate(), row.retainedDay7(),
                row.eligibleDay7(), row.day7RetentionRate(), row.payingPersons(), row.payingRate(), row.revenue(), row.spend(), row.cac(),
                row.roi());
    }

    @PostMapping("/p/{projectId}/reports/channels/spend")
    String saveSpend(@PathVariable long projectId, @RequestParam String channel, @RequestParam String month, @RequestParam String amount,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to, RedirectAttributes redirect) {
        Project project = access.project(projectId, Capability.OPERATE);
        try {
            YearMonth spendMonth;
            BigDecimal value;
            try {
                spendMonth = YearMonth.parse(month.strip());
            }
            catch (DateTimeParseException e) {
                throw new InvalidInputException("month", "month must look like 2026-11");
            }
            try {
                value = new BigDecimal(amount.strip());
            }
            catch (NumberFormatException e) {
                throw new InvalidInputException("amount", "amount must be a number");
            }
            growth.setSpend(project.id(), List.of(new ChannelSpend(channel, spendMonth, value)), access.current().name());
            redirect.addFlashAttribute("saved", true);
        }
        catch (InvalidInputException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        String query = from != null && to != null ? "?from=" + from + "&to=" + to : "";
        return "redirect:/p/" + project.id() + "/reports/channels" + query;
    }

    // ------------------------------------------------------------ RFM

    @GetMapping("/p/{projectId}/reports/rfm")
    Object rfm(@PathVariable long projectId, @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) String segment, @RequestParam(defaultValue = "1") int page,
            @RequestParam(required = false) String format, Model model) {
        Project project = access.project(projectId, Capability.READ);
        LocalDate today = LocalDate.now(clock.withZone(project.timeZone()));
        if (from == null && to == null) {
            from = today.minusDays(89).toString();
            to = today.toString();
        }
        LocalDate[] range = defaultRange(project, from, to, model);
        ObjectNode request = range("rfm", range[0], range[1]);
        if (segment != null && RfmAnswer.SEGMENTS.contains(segment)) {
            request.put("segment", segment);
            request.put("page", Math.max(1, page));
            request.put("size", "csv".equals(format) ? 200 : 50);
        }
        RfmAnswer answer = (RfmAnswer) queries.run(project, request, access.current().name());
        if ("csv".equals(format)) {
            if (answer.persons() != null) {
                CsvTable csv = new CsvTable("person", "user id", "recency days", "frequency", "monetary", "R", "F", "M");
                answer.persons().items().forEach(p -> csv.row(p.personId(), p.userId(), p.recencyDays(), p.frequency(), p.monetary(),
                        p.r(), p.f(), p.m()));
                return csv.download("rfm-" + segment + "-" + range[0] + "-" + range[1] + ".csv");
            }
            CsvTable csv = new CsvTable("segment", "persons", "share", "revenue", "average recency days", "average frequency", "average monetary");
            answer.segments().forEach(s -> csv.row(s.key(), s.persons(), s.share(), s.revenue(), s.averageRecencyDays(), s.averageFrequency(),
                    s.averageMonetary()));
            return csv.download("rfm-" + range[0] + "-" + range[1] + ".csv");
        }
        model.addAttribute("answer", answer);
        model.addAttribute("segment", answer.persons() == null ? null : segment);
        model.addAttribute("segmentNames", formatter.rfmNames(answer.segments()));
        model.addAttribute("chart", json.writeValueAsString(Map.of(
                "segments", answer.segments().stream().map(RfmAnswer.Segment::key).toList(),
                "persons", answer.segments().stream().map(RfmAnswer.Segment::persons).toList(),
                "revenue", answer.segments().stream().map(RfmAnswer.Segment::revenue).toList())));
        return "analytics/rfm";
    }

    // ------------------------------------------------------------ helpers

    private ObjectNode range(String kind, LocalDate from, LocalDate to) {
        ObjectNode request = json.createObjectNode();
        request.put("kind", kind);
        request.put("from", from.toString());
        request.put("to", to.toString());
        return request;
    }

    /** The page's from/to, defaulting to the last 30 days; a bad date shows an error and falls back to the default. */
    private LocalDate[] defaultRange(Project project, String from, String to, Model model) {
        LocalDate today = LocalDate.now(clock.withZone(project.timeZone()));
        LocalDate end = today;
        LocalDate start = today.minusDays(29);
        try {
            if (to != null && !to.isBlank()) {
                end = parseDay(to, "to");
            }
            start = from != null && !from.isBlank() ? parseDay(from, "from") : end.minusDays(29);
            if (end.isBefore(start)) {
                throw new InvalidInputException("to", "the end date is before the start date", "query.error.toBeforeFrom", end, start);
            }
            if (java.time.temporal.ChronoUnit.DAYS.between(start, end) >= 366) {
                throw new InvalidInputException("from", "a report covers at most 366 days", "query.error.tooManyDays", 366);
            }
        }
        catch (InvalidInputException e) {
            model.addAttribute("error", localized(e));
            end = today;
            start = today.minusDays(29);
        }
        model.addAttribute("project", project);
        model.addAttribute("from", start);
        model.addAttribute("to", end);
        return new LocalDate[] {start, end};
    }

    private String localized(InvalidInputException e) {
        return e.code() == null ? e.getMessage()
                : messages.getMessage(e.code(), e.arguments(), e.getMessage(), org.springframework.context.i18n.LocaleContextHolder.getLocale());
    }

    private static LocalDate parseDay(String text, String field) {
        try {
            return LocalDate.parse(text.strip());
        }
        catch (DateTimeParseException e) {
            throw new InvalidInputException(field, "'" + text + "' is not a date like 2026-11-23", "query.error.date", text);
        }
    }
}
