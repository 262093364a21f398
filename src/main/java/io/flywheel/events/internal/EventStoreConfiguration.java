package io.flywheel.events.internal;

import io.flywheel.events.EventAnalytics;
import io.flywheel.events.Lifecycles;
import io.flywheel.events.PersonSets;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class EventStoreConfiguration {

    @Bean(destroyMethod = "close")
    DuckDbEventStore eventStore(EventStoreProperties properties) {
        return new DuckDbEventStore(properties);
    }

    @Bean
    EventStoreHealthIndicator eventStoreHealthIndicator(DuckDbEventStore store) {
        return new EventStoreHealthIndicator(store);
    }

    @Bean
    PersonSets personSets(DuckDbEventStore store) {
        return new DuckDbPersonSets(store);
    }

    @Bean
    EventAnalytics eventAnalytics(DuckDbEventStore store) {
        return new DuckDbEventAnalytics(store);
    }

    @Bean
    Lifecycles lifecycles(DuckDbEventStore store) {
        return new DuckDbLifecycles(store);
    }
}
