package io.flywheel.analytics.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Links to a report with its parameters, so that the page, its CSV file and its refresh share one
 * URL. Values are percent-encoded here, spaces as {@code %20} rather than {@code +}, so that every
 * reader of the URL decodes them alike ({@code +} and {@code &} in event names survive the trip).
 */
final class ReportLinks {

    private ReportLinks() {
    }

    /** Parameters in a stable order; empty values are left out. */
    static final class Parameters {

        private final Map<String, List<String>> values = new LinkedHashMap<>();

        Parameters add(String name, String value) {
            if (value != null && !value.isEmpty()) {
                values.computeIfAbsent(name, key -> new java.util.ArrayList<>()).add(value);
            }
            return this;
        }

        Parameters addAll(String name, List<String> list) {
            list.forEach(value -> add(name, value));
            return this;
        }

        Parameters copy() {
            Parameters copy = new Parameters();
            values.forEach(copy::addAll);
            return copy;
        }

        String url(String path) {
            StringJoiner query = new StringJoiner("&");
            values.forEach((name, list) -> list.forEach(value -> query.add(encode(name) + "=" + encode(value))));
            return query.length() == 0 ? path : path + "?" + query;
        }
    }

    static Parameters parameters() {
        return new Parameters();
    }

    private static String encode(String text) {
        // URLEncoder writes a literal + as %2B, so every + left is a space
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
