package io.flywheel.demo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.demo.DemoPlan;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class DemoPropertiesTests {

    private static DemoProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("flywheel.demo", DemoProperties.class);
    }

    @Test
    void defaults() {
        DemoProperties properties = bind(Map.of());
        assertThat(properties).isEqualTo(new DemoProperties(true, 20_000, 1_000_000, 42, 90));
        assertThat(properties.plan()).isEqualTo(DemoPlan.defaults());
    }

    @Test
    void fullMapping() {
        DemoProperties properties = bind(Map.of(
                "flywheel.demo.enabled", "false",
                "flywheel.demo.persons", "300",
                "flywheel.demo.events", "15000",
                "flywheel.demo.seed", "7",
                "flywheel.demo.days", "30"));
        assertThat(properties).isEqualTo(new DemoProperties(false, 300, 15_000, 7, 30));
        assertThat(properties.plan()).isEqualTo(new DemoPlan(300, 15_000, 30, 7, null));
    }

    @Test
    void impossibleSizesFailTheStartWhenEnabled() {
        assertThatThrownBy(() -> bind(Map.of("flywheel.demo.persons", "1000", "flywheel.demo.events", "100")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("events must be at least 15 per person");
        assertThat(bind(Map.of("flywheel.demo.enabled", "false", "flywheel.demo.events", "100")).enabled()).isFalse();
    }
}
