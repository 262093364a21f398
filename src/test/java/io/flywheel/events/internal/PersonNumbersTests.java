package io.flywheel.events.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PersonNumbersTests {

    @Test
    void numbersSmallAndHugeIdsDenselyAndStably() {
        PersonNumbers numbers = new PersonNumbers();
        long huge = 1L << 40;
        assertThat(numbers.number(5)).isZero();
        assertThat(numbers.number(huge)).isEqualTo(1);
        assertThat(numbers.number(200_000)).isEqualTo(2);
        assertThat(numbers.number(-3)).isEqualTo(3);
        assertThat(numbers.number(huge + 1)).isEqualTo(4);
        assertThat(numbers.number(5)).isZero();
        assertThat(numbers.number(huge)).isEqualTo(1);
        assertThat(numbers.number(200_000)).isEqualTo(2);
        assertThat(numbers.number(-3)).isEqualTo(3);
        assertThat(numbers.number(huge + 1)).isEqualTo(4);
        assertThat(numbers.size()).isEqualTo(5);
    }

    @Test
    void theHashMapGrowsWithoutLosingKeys() {
        LongIntMap map = new LongIntMap(2);
        for (long key = 0; key < 10_000; key++) {
            assertThat(map.getOrAddNext(key * 7_919L << 20)).isEqualTo((int) key);
        }
        for (long key = 0; key < 10_000; key++) {
            assertThat(map.get(key * 7_919L << 20)).isEqualTo((int) key);
        }
        assertThat(map.get(-1)).isEqualTo(-1);
    }
}
