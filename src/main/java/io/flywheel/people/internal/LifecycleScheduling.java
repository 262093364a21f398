package io.flywheel.people.internal;

import io.flywheel.people.Lifecycle;
import io.flywheel.platform.Projects;
import java.time.Duration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Turns on the scheduled lifecycle recompute in the server (not in commands such as
 * {@code generate-demo}); {@code flywheel.people.lifecycle.enabled=false} turns it off.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
@ConditionalOnProperty(name = "flywheel.people.lifecycle.enabled", havingValue = "true", matchIfMissing = true)
@EnableScheduling
@EnableConfigurationProperties(LifecycleScheduling.LifecycleProperties.class)
class LifecycleScheduling {

    @Bean
    LifecycleScheduler lifecycleScheduler(Lifecycle lifecycle, Projects projects, TaskScheduler scheduler) {
        return new LifecycleScheduler(lifecycle, projects, scheduler);
    }

    /**
     * @param enabled whether stages are recomputed on a schedule
     * @param interval the pause between the end of one scheduled recompute of every project and the next start
     */
    @ConfigurationProperties("flywheel.people.lifecycle")
    record LifecycleProperties(@DefaultValue("true") boolean enabled, @DefaultValue("PT15M") Duration interval) {

        LifecycleProperties {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("flywheel.people.lifecycle.interval must be positive");
            }
        }
    }
}
