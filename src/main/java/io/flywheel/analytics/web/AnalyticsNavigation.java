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

    @Bean
    NavItem boardNav() {
        return new NavItem("nav.board", "reports/board", true, Capability.READ, 11);
    }

    @Bean
    NavItem aarrrNav() {
        return new NavItem("nav.aarrr", "reports/aarrr", true, Capability.READ, 30);
    }

    @Bean
    NavItem channelQualityNav() {
        return new NavItem("nav.channelQuality", "reports/channels", true, Capability.READ, 31);
    }

    @Bean
    NavItem rfmNav() {
        return new NavItem("nav.rfm", "reports/rfm", true, Capability.READ, 32);
    }

    @Bean
    NavItem trendsNav() {
        return new NavItem("nav.trends", "reports/trends", true, Capability.READ, 20);
    }

    @Bean
    NavItem funnelsNav() {
        return new NavItem("nav.funnels", "reports/funnels", true, Capability.READ, 21);
    }

    @Bean
    NavItem retentionNav() {
        return new NavItem("nav.retention", "reports/retention", true, Capability.READ, 22);
    }
}
