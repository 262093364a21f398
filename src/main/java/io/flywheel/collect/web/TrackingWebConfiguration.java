package io.flywheel.collect.web;

import io.flywheel.collect.internal.Ingestion;
import io.flywheel.collect.internal.WriteKeys;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.json.JsonMapper;

/**
 * Puts the tracking endpoint in front of every other filter for {@code /v1/*} (see {@link TrackingEndpoint})
 * and, when configured, starts the tracking API's own listener.
 */
@Configuration(proxyBeanMethods = false)
class TrackingWebConfiguration {

    @Bean
    TrackingCalls trackingCalls(Ingestion ingestion, WriteKeys writeKeys, JsonMapper json, Clock clock) {
        return new TrackingCalls(ingestion, writeKeys, json, clock);
    }

    /** The tracking API's own port, when {@code flywheel.collect.listener.port} is set; see {@link TrackingListener}. */
    @Bean
    @ConditionalOnProperty(prefix = "flywheel.collect.listener", name = "port")
    TrackingListener trackingListener(TrackingCalls calls, TrackingListenerProperties properties) {
        return new TrackingListener(calls, properties);
    }

    @Bean
    FilterRegistrationBean<TrackingEndpoint> trackingEndpoint(TrackingCalls calls) {
        FilterRegistrationBean<TrackingEndpoint> registration = new FilterRegistrationBean<>(new TrackingEndpoint(calls));
        registration.setName("trackingEndpoint");
        registration.addUrlPatterns(TrackingEndpoint.PREFIX + "*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
