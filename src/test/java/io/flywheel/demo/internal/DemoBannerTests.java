package io.flywheel.demo.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.demo.DemoStatus;
import org.junit.jupiter.api.Test;

class DemoBannerTests {

    @Test
    void loadingShowsThePercentage() {
        assertThat(DemoBanner.notice(new DemoStatus(DemoStatus.State.LOADING, 420, 1_000))).hasValueSatisfying(notice -> {
            assertThat(notice.messageKey()).isEqualTo("demo.banner.loading");
            assertThat(notice.arguments()).containsExactly(42);
        });
    }

    @Test
    void failureIsShown() {
        assertThat(DemoBanner.notice(new DemoStatus(DemoStatus.State.FAILED, 420, 1_000)))
                .hasValueSatisfying(notice -> assertThat(notice.messageKey()).isEqualTo("demo.banner.failed"));
    }

    @Test
    void readyShowsNothing() {
        assertThat(DemoBanner.notice(new DemoStatus(DemoStatus.State.READY, 1_020, 1_000))).isEmpty();
    }
}
