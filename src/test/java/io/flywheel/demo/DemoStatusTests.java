package io.flywheel.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class DemoStatusTests {

    @Test
    void percentStaysBelowAHundredUntilReady() {
        assertThat(new DemoStatus(DemoStatus.State.LOADING, 0, 1_000).percent()).isZero();
        assertThat(new DemoStatus(DemoStatus.State.LOADING, 425, 1_000).percent()).isEqualTo(42);
        assertThat(new DemoStatus(DemoStatus.State.LOADING, 1_050, 1_000).percent()).isEqualTo(99);
        assertThat(new DemoStatus(DemoStatus.State.READY, 980, 1_000).percent()).isEqualTo(100);
    }

    @Test
    void rejectsNonsense() {
        assertThatIllegalArgumentException().isThrownBy(() -> new DemoStatus(DemoStatus.State.LOADING, -1, 1_000));
        assertThatIllegalArgumentException().isThrownBy(() -> new DemoStatus(DemoStatus.State.LOADING, 0, 0));
    }
}
