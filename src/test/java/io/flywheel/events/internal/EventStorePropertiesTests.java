package io.flywheel.events.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class EventStorePropertiesTests {

    private static EventStoreProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("flywheel.events", EventStoreProperties.class);
    }

    @Test
    void defaults() {
        EventStoreProperties properties = bind(Map.of());
        assertThat(properties.path().normalize()).isEqualTo(Path.of("data", "events.duckdb"));
        assertThat(properties.memoryLimit()).isEmpty();
        assertThat(properties.threads()).isZero();
    }

    @Test
    void fullMapping() {
        EventStoreProperties properties = bind(Map.of(
                "flywheel.events.path", "/var/lib/flywheel/events.duckdb",
                "flywheel.events.memory-limit", "4GB",
                "flywheel.events.threads", "3"));
        assertThat(properties).isEqualTo(new EventStoreProperties(Path.of("/var/lib/flywheel/events.duckdb"), "4GB", 3));
    }
}
