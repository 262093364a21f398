package io.flywheel.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PageTests {

    @Test
    void knowsItsNeighbours() {
        Page<String> first = new Page<>(List.of("a", "b"), 0, 2, 5);
        assertThat(first.pages()).isEqualTo(3);
        assertThat(first.hasPrevious()).isFalse();
        assertThat(first.hasNext()).isTrue();
        Page<String> last = new Page<>(List.of("e"), 2, 2, 5);
        assertThat(last.hasNext()).isFalse();
        assertThat(last.hasPrevious()).isTrue();
        assertThat(new Page<>(List.of(), 0, 50, 0).pages()).isZero();
    }

    @Test
    void requestsAreClamped() {
        assertThat(PageRequest.of(null, null)).isEqualTo(new PageRequest(0, 50));
        assertThat(new PageRequest(-3, 10_000)).isEqualTo(new PageRequest(0, PageRequest.MAX_SIZE));
        assertThat(new PageRequest(3, 20).offset()).isEqualTo(60);
        assertThatThrownBy(() -> new Page<>(List.of(), -1, 10, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
