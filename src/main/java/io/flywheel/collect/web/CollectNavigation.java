package io.flywheel.collect.web;

import io.flywheel.platform.Capability;
import io.flywheel.platform.NavItem;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class CollectNavigation {

    @Bean
    NavItem sourcesNav() {
        return new NavItem("nav.sources", "sources", true, Capability.READ, 800);
    }
}
