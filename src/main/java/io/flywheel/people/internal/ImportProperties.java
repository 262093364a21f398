package io.flywheel.people.internal;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * CSV import settings.
 *
 * @param directory where uploaded files wait for their import (default {@code <data dir>/imports}); each is deleted afterwards
 * @param maxFileSize the largest file accepted
 * @param maxRows the most data rows in one file
 * @param chunkRows the most rows made durable in one write
 * @param chunkBytes the most trait bytes made durable in one write
 * @param uploadTtl how long an upload waits for its mapping and start before it is discarded
 * @param keepErrors how many problems of one file are kept for the report (all are counted)
 */
@ConfigurationProperties("flywheel.people.imports")
public record ImportProperties(
        @DefaultValue("./data/imports") Path directory,
        @DefaultValue("20MB") DataSize maxFileSize,
        @DefaultValue("200000") int maxRows,
        @DefaultValue("1000") int chunkRows,
        @DefaultValue("4MB") DataSize chunkBytes,
        @DefaultValue("1h") Duration uploadTtl,
        @DefaultValue("10000") int keepErrors) {
}
