package io.flywheel.analytics.web;

import io.flywheel.shared.Csv;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** A table as a CSV download: UTF-8 with a byte order mark, so spreadsheet programs read Chinese text right. */
final class CsvTable {

    private final List<String> lines = new ArrayList<>();

    CsvTable(String... header) {
        row((Object[]) header);
    }

    CsvTable row(Object... cells) {
        List<String> out = new ArrayList<>(cells.length);
        for (Object cell : cells) {
            out.add(Csv.cell(cell == null ? "" : cell instanceof Double number ? format(number) : cell.toString()));
        }
        lines.add(String.join(",", out));
        return this;
    }

    private static String format(double number) {
        return number == Math.rint(number) && Math.abs(number) < 1e15 ? Long.toString((long) number) : Double.toString(number);
    }

    ResponseEntity<byte[]> download(String filename) {
        byte[] body = ("\uFEFF" + String.join("\r\n", lines) + "\r\n").getBytes(StandardCharsets.UTF_8);
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(filename, StandardCharsets.UTF_8).build().toString())
                .body(body);
    }
}
