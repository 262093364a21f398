package io.flywheel.analytics.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Query settings.
 *
 * @param queryTimeout how long one query may run before it is stopped
 * @param cacheTtl how long an answer is served from the cache before it is computed again
 * @param cacheSize how many answers the cache keeps
 */
@ConfigurationProperties("flywheel.analytics")
public record AnalyticsProperties(
        @DefaultValue("60s") Duration queryTimeout,
        @DefaultValue("60s") Duration cacheTtl,
        @DefaultValue("500") int cacheSize) {
}
