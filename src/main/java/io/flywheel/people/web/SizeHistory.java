package io.flywheel.people.web;

import io.flywheel.people.SetSize;
import io.flywheel.platform.Project;
import io.flywheel.shared.InvalidInputException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The size over time of a segment or a tag, as the API answers it and the console charts it: both
 * sample their sizes the same way ({@code SetSizeStore}), so they share this.
 */
final class SizeHistory {

    /** Days the console's chart shows, today included. */
    static final int CHART_DAYS = 90;
    private static final int DEFAULT_DAYS = 30;
    private static final int MAX_DAYS = 3660;

    private SizeHistory() {
    }

    /** The size at the end of a day: the day in the project's zone and the time of its last sample. */
    record SizeResponse(LocalDate day, Instant at, long size) {
    }

    /** Inclusive days in the project's zone. */
    record Range(LocalDate from, LocalDate to) {
    }

    /** The API's range: {@code to} defaults to today, {@code from} to 30 days up to {@code to}; at most 3660 days. */
    static Range range(Project project, String from, String to) {
        LocalDate end = Days.parse(to, "to", LocalDate.now(project.timeZone()));
        LocalDate start = Days.parse(from, "from", end.minusDays(DEFAULT_DAYS - 1));
        if (end.isAfter(start.plusDays(MAX_DAYS))) {
            throw new InvalidInputException("from", "at most " + MAX_DAYS + " days");
        }
        return new Range(start, end);
    }

    /** The console chart's range: the last 90 days. */
    static Range chartRange(Project project) {
        LocalDate today = LocalDate.now(project.timeZone());
        return new Range(today.minusDays(CHART_DAYS - 1), today);
    }

    static List<SizeResponse> responses(Project project, List<SetSize> sizes) {
        return sizes.stream().map(size -> new SizeResponse(LocalDate.ofInstant(size.at(), project.timeZone()), size.at(), size.size())).toList();
    }

    /** The data of the console's size chart ({@code size-chart.js}) as JSON: the days and the sizes. */
    static String chart(JsonMapper json, Project project, List<SetSize> sizes) {
        Map<String, Object> chart = new LinkedHashMap<>();
        chart.put("days", sizes.stream().map(size -> LocalDate.ofInstant(size.at(), project.timeZone()).toString()).toList());
        chart.put("sizes", sizes.stream().map(SetSize::size).toList());
        return json.writeValueAsString(chart);
    }
}
