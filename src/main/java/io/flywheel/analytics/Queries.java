package io.flywheel.analytics;

import io.flywheel.analytics.internal.AnalyticsProperties;
import io.flywheel.analytics.internal.Answers;
import io.flywheel.analytics.internal.QueryCache;
import io.flywheel.analytics.internal.QueryParser;
import io.flywheel.events.ChannelQuality;
import io.flywheel.events.CohortEvents;
import io.flywheel.events.EventAnalytics;
import io.flywheel.events.QueryControl;
import io.flywheel.events.Scope;
import io.flywheel.events.TrendRow;
import io.flywheel.events.TrendSpec;
import io.flywheel.platform.Project;
import io.flywheel.shared.InvalidInputException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * The query API: reads a request, answers it from the cache or the event engine within the time
 * limit, and lets a caller cancel a query it started (by the {@code queryId} it gave).
 */
@Service
public class Queries {

    private final EventAnalytics analytics;
    private final QueryCache cache;
    private final AnalyticsProperties properties;
    private final Clock clock;
    private final Growth growth;
    private final Map<String, QueryControl> running = new ConcurrentHashMap<>();

    public Queries(EventAnalytics analytics, QueryCache cache, AnalyticsProperties properties, Clock clock, Growth growth) {
        this.growth = growth;
        this.analytics = analytics;
        this.cache = cache;
        this.properties = properties;
        this.clock = clock;
    }

    /** Answers a request of any kind for the project; {@code owner} scopes query ids to their caller. */
    public Answer run(Project project, JsonNode request, String owner) {
        LocalDate today = Answers.today(clock, project.timeZone());
        QueryParser.Parsed parsed = QueryParser.parse(request, project.id(), project.timeZone(), today);
        String key = project.id() + "|" + parsed;
        boolean refresh = request.has("refresh") && request.get("refresh").asBoolean(false);
        QueryCache.Entry hit = refresh ? null : cache.get(key);
        if (hit != null) {
            return ((Answer) hit.answer()).withMeta(new QueryMeta(hit.computedAt(), true, hit.tookMillis()));
        }
        String queryId = queryId(request, owner);
        QueryControl control = QueryControl.withTimeout(properties.queryTimeout());
        if (queryId != null && running.putIfAbsent(queryId, control) != null) {
            throw new InvalidInputException("queryId", "a query with this id is already running");
        }
        long start = System.nanoTime();
        try {
            Answer answer = compute(parsed, control);
            Instant computedAt = clock.instant();
            long took = (System.nanoTime() - start) / 1_000_000;
            cache.put(key, new QueryCache.Entry(answer, computedAt, took));
            return answer.withMeta(new QueryMeta(computedAt, false, took));
        }
        finally {
            if (queryId != null) {
                running.remove(queryId, control);
            }
        }
    }

    /** Cancels a running query the owner started; false when no such query runs. */
    public boolean cancel(String queryId, String owner) {
        QueryControl control = running.get(owner + "|" + queryId);
        if (control == null) {
            return false;
        }
        control.cancel();
        return true;
    }

    private static String queryId(JsonNode request, String owner) {
        JsonNode id = request.get("queryId");
        if (id == null || id.isNull()) {
            return null;
        }
        if (!id.isString() || id.asString().isBlank() || id.asString().length() > 100) {
            throw new InvalidInputException("queryId", "queryId must be a string of at most 100 characters");
        }
        return owner + "|" + id.asString();
    }

    private Answer compute(QueryParser.Parsed parsed, QueryControl control) {
        if (parsed instanceof QueryParser.Metrics metrics) {
            Scope previous = Answers.previous(metrics.scope());
            return Answers.metrics(metrics.scope(), previous, analytics.metrics(metrics.scope(), control), analytics.metrics(previous, control));
        }
        if (parsed instanceof QueryParser.Channels channels) {
            Scope scope = channels.scope();
            GrowthSettings settings = growth.settings(scope.projectId());
            List<ChannelQuality> rows = analytics.channels(scope, new CohortEvents(settings.signUpEvent(), settings.activationEvent(),
                    channels.asOf()), control);
            return Answers.channels(scope, channels.asOf(), rows,
                    growth.spend(scope.projectId(), Answers.month(scope.from()), Answers.month(scope.to())));
        }
        if (parsed instanceof QueryParser.Aarrr aarrr) {
            Scope scope = aarrr.scope();
            GrowthSettings settings = growth.settings(scope.projectId());
            List<ChannelQuality> rows = analytics.channels(scope, new CohortEvents(settings.signUpEvent(), settings.activationEvent(),
                    aarrr.asOf()), control);
            return Answers.aarrr(scope, settings, rows, analytics.metrics(scope, control),
                    analytics.personsWhoDid(scope, settings.referralEvent(), control));
        }
        if (parsed instanceof QueryParser.Rfm rfm) {
            Answers.RfmCollector collector = new Answers.RfmCollector(rfm.segment(), rfm.page(), rfm.size());
            analytics.rfm(rfm.scope(), control, collector);
            return collector.answer(rfm.scope());
        }
        if (parsed instanceof QueryParser.Funnel funnel) {
            return Answers.funnel(funnel.spec(), analytics.funnel(funnel.spec(), control));
        }
        if (parsed instanceof QueryParser.Retention retention) {
            return Answers.retention(retention.spec(), analytics.retention(retention.spec(), control));
        }
        QueryParser.Trend trend = (QueryParser.Trend) parsed;
        List<TrendRow> rows = analytics.trend(trend.spec(), control);
        TrendAnswer.Previous previous = null;
        if (trend.compare()) {
            Scope scope = Answers.previous(trend.spec().scope());
            TrendSpec shifted = Answers.shifted(trend.spec(), scope);
            if (trend.spec().breakdown() != null) {
                // the previous period is split by the current period's groups, so that the series line up
                List<String> groups = rows.stream().map(TrendRow::group).filter(group -> !io.flywheel.events.Breakdown.OTHER.equals(group))
                        .distinct().toList();
                if (!groups.isEmpty()) {
                    shifted = new TrendSpec(scope, shifted.event(), shifted.measure(), shifted.property(), shifted.interval(), shifted.filters(),
                            shifted.breakdown().onlyGroups(groups));
                }
            }
            previous = new TrendAnswer.Previous(scope.from(), scope.to(), Answers.series(shifted, analytics.trend(shifted, control)));
        }
        return new TrendAnswer("trend", trend.spec().scope().from(), trend.spec().scope().to(),
                trend.spec().interval().name().toLowerCase(Locale.ROOT), trend.spec().measure().name().toLowerCase(Locale.ROOT),
                Answers.series(trend.spec(), rows), previous, null);
    }
}
