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

    @Test
    void theLanguageLinksKeepTheQueryButNotTheLanguage() {
        assertThat(ConsoleModelInterceptor.languagePath("/p/1/reports/trends", null)).isEqualTo("/p/1/reports/trends");
        assertThat(ConsoleModelInterceptor.languagePath("/p/1/reports/trends", "lang=zh-CN")).isEqualTo("/p/1/reports/trends");
        assertThat(ConsoleModelInterceptor.languagePath("/p/1/reports/funnels", "steps=A%20B&lang=en&steps=C&language=x&lang"))
                .isEqualTo("/p/1/reports/funnels?steps=A%20B&steps=C&language=x");
    }
}
