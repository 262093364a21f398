package io.flywheel.collect.web;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** Problem details of the tracking API. */
final class TrackingProblems {

    private static final String TYPE_PREFIX = "urn:flywheel:problem:";

    private TrackingProblems() {
    }

    static ResponseEntity<ProblemDetail> of(HttpStatus status, String type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_PREFIX + type));
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    static ResponseEntity<ProblemDetail> invalidBatch(List<Map<String, Object>> rejected, int size) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                size == 0 ? "the batch is empty" : "every message of the batch was rejected");
        problem.setType(URI.create(TYPE_PREFIX + "invalid-message"));
        problem.setProperty("rejected", rejected);
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static final URI UNAVAILABLE = URI.create(TYPE_PREFIX + "unavailable");

    static ResponseEntity<ProblemDetail> unavailable(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail);
        problem.setType(UNAVAILABLE);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", "1")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
