package io.flywheel.collect.web;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the tracking endpoint answers: a status, a JSON body (a value to serialise, or the bytes of
 * the common success answer) and extra headers.
 */
record TrackingAnswer(int status, String contentType, Object body, Map<String, String> headers) {

    static final String JSON = "application/json";
    static final String PROBLEM_JSON = "application/problem+json";
    /** Segment's answer, by far the most frequent one: serialised once. */
    static final byte[] SUCCESS = "{\"success\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    TrackingAnswer {
        requireNonNull(contentType, "contentType is null");
        requireNonNull(body, "body is null");
        headers = Map.copyOf(headers);
    }

    static TrackingAnswer success() {
        return new TrackingAnswer(200, JSON, SUCCESS, Map.of());
    }

    static TrackingAnswer ok(Object body) {
        return new TrackingAnswer(200, JSON, body, Map.of());
    }

    static TrackingAnswer problem(int status, Object problem) {
        return new TrackingAnswer(status, PROBLEM_JSON, problem, Map.of());
    }

    TrackingAnswer withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new TrackingAnswer(status, contentType, body, more);
    }
}
