package io.flywheel.people.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.events.LifecycleThresholds;
import io.flywheel.support.Databases;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The lifecycle thresholds store and its migration, on H2 and on PostgreSQL. */
class LifecycleSettingsStoreTests {

    private static final Instant NOW = Instant.parse("2026-11-23T08:30:00Z");

    @ParameterizedTest
    @EnumSource(Databases.class)
    void thresholdsAreInsertedThenUpdatedPerProject(Databases engine) {
        LifecycleSettingsStore store = new LifecycleSettingsStore(engine.migrated().jdbc());
        assertThat(store.find(1)).isEmpty();

        store.save(1, new LifecycleThresholds(3, 10, 20, 60), "ana", NOW);
        store.save(1, new LifecycleThresholds(5, 10, 45, 180), "bo", NOW.plusSeconds(60));
        store.save(2, LifecycleThresholds.DEFAULTS, "ana", NOW);

        assertThat(store.find(1)).contains(new LifecycleThresholds(5, 10, 45, 180));
        assertThat(store.find(2)).contains(LifecycleThresholds.DEFAULTS);
        assertThat(store.find(3)).isEmpty();
    }
}
