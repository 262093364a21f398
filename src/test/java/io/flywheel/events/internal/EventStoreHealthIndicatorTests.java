package io.flywheel.events.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.TestApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class EventStoreHealthIndicatorTests {

    @Test
    void upWhileTheStoreAnswersDownWithTheErrorOnceItCannot() {
        DuckDbEventStore store = new DuckDbEventStore(new EventStoreProperties(TestApplication.freshDataDir().resolve("events.duckdb"),
                "256MB", 1));
        EventStoreHealthIndicator indicator = new EventStoreHealthIndicator(store);
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

        store.close();

        Health down = indicator.health();
        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
        assertThat(down.getDetails().get("error")).asString().contains("closed");
    }
}
