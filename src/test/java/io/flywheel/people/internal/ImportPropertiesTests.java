package io.flywheel.people.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

class ImportPropertiesTests {

    private static ImportProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("flywheel.people.imports", ImportProperties.class);
    }

    @Test
    void defaults() {
        ImportProperties properties = bind(Map.of());
        assertThat(properties.directory().normalize()).isEqualTo(Path.of("data/imports"));
        assertThat(properties.maxFileSize()).isEqualTo(DataSize.ofMegabytes(20));
        assertThat(properties.maxRows()).isEqualTo(200_000);
        assertThat(properties.chunkRows()).isEqualTo(1_000);
        assertThat(properties.chunkBytes()).isEqualTo(DataSize.ofMegabytes(4));
        assertThat(properties.uploadTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(properties.keepErrors()).isEqualTo(10_000);
    }

    @Test
    void everySettingMaps() {
        ImportProperties properties = bind(Map.of(
                "flywheel.people.imports.directory", "/tmp/x",
                "flywheel.people.imports.max-file-size", "1MB",
                "flywheel.people.imports.max-rows", "10",
                "flywheel.people.imports.chunk-rows", "2",
                "flywheel.people.imports.chunk-bytes", "1KB",
                "flywheel.people.imports.upload-ttl", "5m",
                "flywheel.people.imports.keep-errors", "3"));
        assertThat(properties).isEqualTo(new ImportProperties(Path.of("/tmp/x"), DataSize.ofMegabytes(1), 10, 2, DataSize.ofKilobytes(1),
                Duration.ofMinutes(5), 3));
    }
}
