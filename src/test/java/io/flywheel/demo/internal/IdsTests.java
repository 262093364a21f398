package io.flywheel.demo.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdsTests {

    private static final String UUID_TEXT = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

    @Test
    void messageIdsAreVersionFourUuidsAndUnique() {
        Ids ids = new Ids(42);
        Set<String> seen = new HashSet<>();
        for (long counter = 0; counter < 200_000; counter++) {
            String id = ids.messageId(counter);
            assertThat(seen.add(id)).isTrue();
            if (counter % 10_000 == 0) {
                assertThat(id).matches(UUID_TEXT);
                assertThat(UUID.fromString(id).version()).isEqualTo(4);
            }
        }
    }

    @Test
    void idsDependOnTheSeedOnly() {
        assertThat(new Ids(42).messageId(7)).isEqualTo(new Ids(42).messageId(7)).isNotEqualTo(new Ids(43).messageId(7));
        assertThat(new Ids(42).anonymousId(7)).isEqualTo(new Ids(42).anonymousId(7)).isNotEqualTo(new Ids(42).messageId(7));
    }

    @Test
    void thePermutationIsABijection() {
        Set<Long> seen = new HashSet<>();
        for (long value = 0; value < 100_000; value++) {
            assertThat(seen.add(Ids.permute62(value))).isTrue();
        }
    }

    @Test
    void userIdsHaveSixDigitsAtLeast() {
        assertThat(Ids.userId(123)).isEqualTo("u_000123");
        assertThat(Ids.userId(1)).isEqualTo("u_000001");
        assertThat(Ids.userId(1_234_567)).isEqualTo("u_1234567");
    }
}
