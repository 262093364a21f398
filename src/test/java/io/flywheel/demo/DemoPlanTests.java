package io.flywheel.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class DemoPlanTests {

    @Test
    void defaults() {
        assertThat(DemoPlan.defaults()).isEqualTo(new DemoPlan(20_000, 1_000_000, 90, 42, null));
        assertThat(DemoPlan.defaults().withEndDate(LocalDate.of(2026, 3, 31)).endDate()).isEqualTo(LocalDate.of(2026, 3, 31));
    }

    @Test
    void benchmarkSizesAreValid() {
        assertThat(new DemoPlan(200_000, 10_000_000, 90, 42, null).events()).isEqualTo(10_000_000);
        assertThat(new DemoPlan(1_000_000, 100_000_000, 90, 42, null).events()).isEqualTo(100_000_000);
    }

    @Test
    void rejectsImpossiblePlans() {
        assertThatIllegalArgumentException().isThrownBy(() -> new DemoPlan(0, 1_000, 90, 1, null)).withMessageContaining("persons");
        assertThatIllegalArgumentException().isThrownBy(() -> new DemoPlan(100, 1_000, 90, 1, null))
                .withMessage("events must be at least 15 per person (1500 for 100 persons), was 1000");
        assertThatIllegalArgumentException().isThrownBy(() -> new DemoPlan(100, 300_000, 90, 1, null)).withMessageContaining("at most 2000 per person");
        assertThatIllegalArgumentException().isThrownBy(() -> new DemoPlan(100, 5_000, 6, 1, null)).withMessage("days must be between 7 and 1000, was 6");
    }
}
