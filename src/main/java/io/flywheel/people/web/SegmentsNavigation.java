package io.flywheel.people.web;

import io.flywheel.platform.Capability;
import io.flywheel.platform.NavItem;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SegmentsNavigation {

    @Bean
    NavItem segmentsNav() {
        return new NavItem("nav.segments", "segments", true, Capability.READ, 41);
    }

    @Bean
    NavItem tagsNav() {
        return new NavItem("nav.tags", "tags", true, Capability.READ, 42);
    }
}
