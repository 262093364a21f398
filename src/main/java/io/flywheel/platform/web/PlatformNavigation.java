package io.flywheel.platform.web;

import io.flywheel.platform.Capability;
import io.flywheel.platform.NavItem;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class PlatformNavigation {

    @Bean
    NavItem projectSettingsNav() {
        return new NavItem("nav.settings", "settings", true, Capability.READ, 900);
    }

    @Bean
    NavItem adminProjectsNav() {
        return new NavItem("nav.projects", "/admin/projects", false, Capability.MANAGE, 100);
    }

    @Bean
    NavItem adminUsersNav() {
        return new NavItem("nav.users", "/admin/users", false, Capability.MANAGE, 200);
    }

    @Bean
    NavItem adminAuditNav() {
        return new NavItem("nav.audit", "/admin/audit", false, Capability.MANAGE, 300);
    }
}
