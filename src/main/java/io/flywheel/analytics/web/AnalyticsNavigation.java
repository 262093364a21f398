package io.flywheel.analytics.web;

import io.flywheel.platform.Capability;
import io.flywheel.platform.NavItem;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class AnalyticsNavigation {

    @Bean
    NavItem overviewNav() {
        return new NavItem("nav.overview", "overview", true, Capability.READ, 10);
    }
}
