package io.flywheel.people.web;

import io.flywheel.platform.Capability;
import io.flywheel.platform.NavItem;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class PeopleNavigation {

    @Bean
    NavItem peopleNav() {
        return new NavItem("nav.people", "people", true, Capability.READ, 40);
    }

    @Bean
    NavItem lifecycleNav() {
        return new NavItem("nav.lifecycle", "lifecycle", true, Capability.READ, 45);
    }
}
