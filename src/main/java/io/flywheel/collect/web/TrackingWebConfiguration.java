package io.flywheel.collect.web;

import io.flywheel.collect.internal.Ingestion;
import io.flywheel.collect.internal.WriteKeys;
import java.time.Clock;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.json.JsonMapper;

/** Puts the tracking endpoint in front of every other filter for {@code /v1/*}; see {@link TrackingEndpoint}. */
@Configuration(proxyBeanMethods = false)
class TrackingWebConfiguration {

    @Bean
    FilterRegistrationBean<TrackingEndpoint> trackingEndpoint(Ingestion ingestion, WriteKeys writeKeys, JsonMapper json, Clock clock) {
        FilterRegistrationBean<TrackingEndpoint> registration =
                new FilterRegistrationBean<>(new TrackingEndpoint(ingestion, writeKeys, json, clock));
        registration.setName("trackingEndpoint");
        registration.addUrlPatterns(TrackingEndpoint.PREFIX + "*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
