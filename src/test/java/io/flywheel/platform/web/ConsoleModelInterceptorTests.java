package io.flywheel.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConsoleModelInterceptorTests {

    @Test
    void theSwitcherKeepsThePageWithinAProject() {
        assertThat(ConsoleModelInterceptor.section("/p/12/settings")).isEqualTo("settings");
        assertThat(ConsoleModelInterceptor.section("/p/12/reports/funnel")).isEqualTo("reports/funnel");
        assertThat(ConsoleModelInterceptor.section("/p/12")).isEqualTo("overview");
        assertThat(ConsoleModelInterceptor.section("/p/12/")).isEqualTo("overview");
        assertThat(ConsoleModelInterceptor.section("/admin/users")).isNull();
    }
}
