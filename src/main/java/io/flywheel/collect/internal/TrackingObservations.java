package io.flywheel.collect.internal;

import io.micrometer.observation.ObservationPredicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * Leaves the tracking API out of the per-request HTTP observations: at tens of thousands of
 * requests a second their cost shows, and ingestion has its own metrics ({@code flywheel.ingest.*}).
 */
@Configuration(proxyBeanMethods = false)
class TrackingObservations {

    @Bean
    ObservationPredicate notTheTrackingApi() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext request
                && request.getCarrier() != null && request.getCarrier().getRequestURI().startsWith("/v1/"));
    }
}
