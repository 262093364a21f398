package io.flywheel.analytics.web;

import io.flywheel.analytics.Answer;
import io.flywheel.analytics.Queries;
import io.flywheel.events.QueryCancelledException;
import io.flywheel.platform.Access;
import io.flywheel.platform.Actor;
import io.flywheel.platform.Capability;
import io.flywheel.platform.Project;
import io.flywheel.shared.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@Tag(name = "Query", description = "Trends, funnels and retention over a project's events")
class QueryApiController {

    private static final String TREND = """
            {"projectId": 1, "kind": "trend", "event": "Page Viewed", "measure": "uniques", "interval": "day",
             "from": "2026-11-01", "to": "2026-11-30", "filters": [{"property": "$channel", "operator": "in", "values": ["SEO", "SEM"]}],
             "breakdown": {"type": "property", "property": "$utm_campaign", "limit": 5}, "compare": true}""";
    private static final String FUNNEL = """
            {"projectId": 1, "kind": "funnel", "steps": [{"event": "Product Viewed"}, {"event": "Product Added"},
             {"event": "Order Completed", "filters": [{"property": "$revenue", "operator": "gte", "value": 100}]}],
             "window": "P7D", "from": "2026-11-01", "to": "2026-11-30", "breakdown": "channel"}""";
    private static final String RETENTION = """
            {"projectId": 1, "kind": "retention", "cohortEvent": "Signed Up", "returnEvent": "$any", "period": "day",
             "periods": 8, "from": "2026-11-01", "to": "2026-11-30"}""";

    private final Queries queries;
    private final Access access;

    QueryApiController(Queries queries, Access access) {
        this.queries = queries;
        this.access = access;
    }

    @PostMapping("/api/v1/query")
    @Operation(summary = "Run a query", description = """
            The body's `kind` picks the query: `trend`, `funnel` or `retention`. `from`/`to` are inclusive ISO dates in the
            project's time zone (default: the last 30 days). `projectId` names the project; a project secret key may leave it out.
            Filters: `{"property", "operator", "value"|"values"}` with operators equals, not_equals, contains, not_contains, in,
            not_in, gt, gte, lt, lte, is_set, is_not_set; properties starting with `$` are stored columns ($channel,
            $utm_source, $utm_medium, $utm_campaign, $url, $referrer, $type, $event, $revenue, $currency, $order_id, $user_id),
            any other name is a key of the event's properties (dots reach into objects). Trend measures: total, uniques,
            sessions, sum, avg, min, max (the last four with `property`); intervals hour, day, week, month; `compare: true`
            adds the previous period. Funnels: 2 to 10 `steps`, a `window` (ISO-8601, default P7D) and ClickHouse
            windowFunnel semantics. Retention: `cohortEvent`, `returnEvent` (default `$any`), `period` day/week/month, `periods`.
            Breakdowns: a property name, `"channel"` (first-touch channel) or `{"type", "property", "limit"}`.
            Answers are cached for a minute (`meta.cached`, `meta.computedAt`); `"refresh": true` computes afresh. A query
            runs at most the configured time limit; give it a `queryId` to cancel it with DELETE /api/v1/query/{queryId}.""",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = "application/json",
                    examples = {@ExampleObject(name = "trend", value = TREND), @ExampleObject(name = "funnel", value = FUNNEL),
                            @ExampleObject(name = "retention", value = RETENTION)})))
    ResponseEntity<?> query(@RequestBody JsonNode request) {
        Project project = access.project(projectId(request), Capability.READ);
        try {
            Answer answer = queries.run(project, request, access.current().name());
            return ResponseEntity.ok(answer);
        }
        catch (QueryCancelledException e) {
            HttpStatus status = e.timedOut() ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.CONFLICT;
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(status,
                    e.getMessage() + (e.timedOut() ? "; narrow the date range or the filters" : ""));
            problem.setType(URI.create("urn:flywheel:problem:" + (e.timedOut() ? "query-timeout" : "query-cancelled")));
            return ResponseEntity.status(status).body(problem);
        }
    }

    @DeleteMapping("/api/v1/query/{queryId}")
    @Operation(summary = "Cancel a running query", description = "Stops the query started by the same caller with this queryId.")
    ResponseEntity<Void> cancel(@PathVariable String queryId) {
        return queries.cancel(queryId, access.current().name()) ? ResponseEntity.noContent().build() : ResponseEntity.notFound().build();
    }

    private long projectId(JsonNode request) {
        if (request == null || !request.isObject()) {
            throw new InvalidInputException("kind", "the request must be a JSON object with a kind");
        }
        JsonNode id = request.get("projectId");
        if (id == null || id.isNull()) {
            Actor actor = access.current();
            if (actor.projectKey() && actor.projects().size() == 1) {
                return actor.projects().iterator().next();
            }
            throw new InvalidInputException("projectId", "projectId is required");
        }
        if (!id.isIntegralNumber() || !id.canConvertToLong()) {
            throw new InvalidInputException("projectId", "projectId must be a whole number");
        }
        return id.asLong();
    }
}
