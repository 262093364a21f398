package io.flywheel.analytics.web;

import io.flywheel.analytics.FunnelAnswer;
import io.flywheel.analytics.RetentionAnswer;
import io.flywheel.shared.Csv;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The report tables as CSV files: the same columns as on the page, headed in the reader's language,
 * numbers without separators (rates as percentages, times in seconds), UTF-8 with a byte order mark
 * so that spreadsheet programs read Chinese correctly.
 */
final class ReportCsv {

    static final MediaType TEXT_CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

    private final List<String> lines = new ArrayList<>();

    private ReportCsv() {
    }

    static ReportCsv trend(TrendTable table, ReportFormat format) {
        ReportCsv csv = new ReportCsv();
        List<String> header = new ArrayList<>();
        header.add(format.message("trends.col.bucket"));
        table.columns().forEach(column -> header.add(column.label()));
        csv.line(header);
        for (TrendTable.Row row : table.rows()) {
            List<String> cells = new ArrayList<>();
            cells.add(row.bucket());
            row.values().forEach(value -> cells.add(ReportFormat.raw(value)));
            csv.line(cells);
        }
        if (!table.totals().isEmpty()) {
            List<String> cells = new ArrayList<>();
            cells.add(format.message("reports.total"));
            table.totals().forEach(total -> cells.add(ReportFormat.raw(total)));
            csv.line(cells);
        }
        return csv;
    }

    static ReportCsv funnelSteps(FunnelAnswer answer, ReportFormat format) {
        ReportCsv csv = new ReportCsv();
        csv.line(List.of("#", format.message("funnels.col.step"), format.message("funnels.col.persons"),
                percentHeader(format, "funnels.col.fromFirst"), percentHeader(format, "funnels.col.fromPrevious"),
                format.message("funnels.col.dropOff"), format.message("funnels.col.medianSeconds")));
        List<FunnelAnswer.Step> steps = answer.steps();
        for (int i = 0; i < steps.size(); i++) {
            FunnelAnswer.Step step = steps.get(i);
            boolean first = i == 0;
            csv.line(List.of(Integer.toString(i + 1), step.event(), Long.toString(step.count()),
                    ReportFormat.raw(step.conversionRate() * 100), first ? "" : ReportFormat.raw(step.stepConversionRate() * 100),
                    first ? "" : Long.toString(step.dropOff()), ReportFormat.raw(step.medianSecondsToConvert())));
        }
        return csv;
    }

    static ReportCsv funnelBreakdown(FunnelAnswer answer, ReportFormat format) {
        ReportCsv csv = new ReportCsv();
        List<String> header = new ArrayList<>();
        header.add(format.message("funnels.col.group"));
        for (int i = 0; i < answer.steps().size(); i++) {
            header.add((i + 1) + ". " + answer.steps().get(i).event());
        }
        header.add(percentHeader(format, "funnels.col.overall"));
        csv.line(header);
        for (FunnelAnswer.Group group : answer.breakdown()) {
            List<String> cells = new ArrayList<>();
            cells.add(format.group(group.group()));
            group.steps().forEach(step -> cells.add(Long.toString(step.count())));
            cells.add(ReportFormat.raw(group.overallConversionRate() * 100));
            csv.line(cells);
        }
        return csv;
    }

    static ReportCsv retention(RetentionAnswer answer, ReportFormat format, List<String> periodLabels) {
        ReportCsv csv = new ReportCsv();
        List<String> header = new ArrayList<>(List.of(format.message("retention.col.cohort"), format.message("retention.col.size")));
        for (String label : periodLabels) {
            header.add(label);
            header.add(format.message("reports.csv.percent", label));
        }
        csv.line(header);
        long persons = 0;
        for (RetentionAnswer.Cohort cohort : answer.cohorts()) {
            List<String> cells = new ArrayList<>(List.of(cohort.start().toString(), Long.toString(cohort.size())));
            for (int k = 0; k < periodLabels.size(); k++) {
                boolean known = k < cohort.values().size();
                cells.add(known ? Long.toString(cohort.values().get(k)) : "");
                cells.add(known ? ReportFormat.raw(cohort.percentages().get(k)) : "");
            }
            csv.line(cells);
            persons += cohort.size();
        }
        List<String> average = new ArrayList<>(List.of(format.message("retention.average"), Long.toString(persons)));
        for (int k = 0; k < periodLabels.size(); k++) {
            average.add("");
            average.add(k < answer.average().size() ? ReportFormat.raw(answer.average().get(k)) : "");
        }
        csv.line(average);
        return csv;
    }

    /** The file, with a byte order mark and CRLF line ends (RFC 4180), as a download named {@code filename}. */
    ResponseEntity<byte[]> download(String filename) {
        String body = '\uFEFF' + String.join("\r\n", lines) + "\r\n";
        return ResponseEntity.ok()
                .contentType(TEXT_CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(filename).build().toString())
                .body(body.getBytes(StandardCharsets.UTF_8));
    }

    private void line(List<String> cells) {
        lines.add(String.join(",", cells.stream().map(Csv::cell).toList()));
    }

    private static String percentHeader(ReportFormat format, String key) {
        return format.message("reports.csv.percent", format.message(key));
    }
}
