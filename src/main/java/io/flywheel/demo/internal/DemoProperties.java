package io.flywheel.demo.internal;

import io.flywheel.demo.DemoPlan;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Demo data loaded on the first start.
 *
 * @param enabled load a "Demo Shop" project when the first start finds no project at all
 *     (environment: FLYWHEEL_DEMO_ENABLED)
 * @param persons persons to simulate
 * @param events events to aim at; the real count lands within a few percent
 * @param seed seed of the simulation; the same seed gives the same data
 * @param days length of the simulated period, ending today
 */
@ConfigurationProperties("flywheel.demo")
record DemoProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("20000") int persons,
        @DefaultValue("1000000") long events,
        @DefaultValue("42") long seed,
        @DefaultValue("90") int days) {

    DemoProperties {
        if (enabled) {
            // Fails the start with the reason rather than skipping the demo silently later.
            new DemoPlan(persons, events, days, seed, null);
        }
    }

    DemoPlan plan() {
        return new DemoPlan(persons, events, days, seed, null);
    }
}
