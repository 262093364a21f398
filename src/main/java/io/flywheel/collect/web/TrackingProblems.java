package io.flywheel.collect.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/** Problem details (RFC 9457) of the tracking API, as answers the endpoint writes itself. */
final class TrackingProblems {

    private static final String TYPE_PREFIX = "urn:flywheel:problem:";

    private TrackingProblems() {
    }

    static TrackingAnswer of(HttpStatus status, String type, String detail, String path) {
        return TrackingAnswer.problem(status.value(), problem(status, type, detail, path));
    }

    static TrackingAnswer invalidBatch(List<Map<String, Object>> rejected, int size, String path) {
        Map<String, Object> problem = problem(HttpStatus.BAD_REQUEST, "invalid-message",
                size == 0 ? "the batch is empty" : "every message of the batch was rejected", path);
        problem.put("rejected", rejected);
        return TrackingAnswer.problem(HttpStatus.BAD_REQUEST.value(), problem);
    }

    static TrackingAnswer unavailable(String detail, String path) {
        return of(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", detail, path).withHeader("Retry-After", "1");
    }

    private static Map<String, Object> problem(HttpStatus status, String type, String detail, String path) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", TYPE_PREFIX + type);
        problem.put("title", status.getReasonPhrase());
        problem.put("status", status.value());
        problem.put("detail", detail);
        problem.put("instance", path);
        return problem;
    }
}
