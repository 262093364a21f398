package io.flywheel.people.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.support.Databases;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ImportJobStoreTests {

    private static final Instant T0 = Instant.parse("2026-03-01T02:00:00Z");

    @ParameterizedTest
    @EnumSource(Databases.class)
    void aJobFromUploadToCompletion(Databases engine) {
        ImportJobStore store = new ImportJobStore(engine.migrated().jdbc());
        long id = store.create(1, "会员.csv", 1234, "gb18030", "comma", "ops", T0);
        long other = store.create(2, "other.csv", 10, "utf-8", "tab", "ops", T0);
        ImportJob uploaded = store.find(1, id).orElseThrow();
        assertThat(uploaded.state()).isEqualTo(ImportJob.State.UPLOADED);
        assertThat(uploaded.fileName()).isEqualTo("会员.csv");
        assertThat(uploaded.createdAt()).isEqualTo(T0);
        assertThat(uploaded.startedAt()).isNull();
        assertThat(store.find(2, id)).as("another project's job is not found").isEmpty();

        assertThat(store.start(id, T0.plusSeconds(1))).as("only a valid job starts").isFalse();
        store.validated(id, false, 10, 2, T0.plusSeconds(1));
        assertThat(store.find(1, id).orElseThrow()).extracting(ImportJob::state, ImportJob::totalRows, ImportJob::invalidRows)
                .containsExactly(ImportJob.State.INVALID, 10L, 2L);
        store.validated(id, true, 10, 0, T0.plusSeconds(2));
        assertThat(store.start(id, T0.plusSeconds(3))).isTrue();
        assertThat(store.start(id, T0.plusSeconds(3))).as("a job starts once").isFalse();
        store.progress(id, 4, T0.plusSeconds(4));
        assertThat(store.find(1, id).orElseThrow().percent()).isEqualTo(40);
        store.durable(id, 10, T0.plusSeconds(5));
        store.finish(id, ImportJob.State.COMPLETED, null, T0.plusSeconds(6));
        ImportJob done = store.find(1, id).orElseThrow();
        assertThat(done.state()).isEqualTo(ImportJob.State.COMPLETED);
        assertThat(done.sentRows()).isEqualTo(10);
        assertThat(done.startedAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(done.durableAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(done.finishedAt()).isEqualTo(T0.plusSeconds(6));

        assertThat(store.recent(1, 10)).extracting(ImportJob::id).containsExactly(id);
        long newer = store.create(1, "b.csv", 1, "utf-8", "comma", "ops", T0.plusSeconds(7));
        assertThat(store.recent(1, 10)).extracting(ImportJob::id).containsExactly(newer, id);
        assertThat(store.recent(1, 1)).extracting(ImportJob::id).containsExactly(newer);
        assertThat(other).isNotEqualTo(id);
    }

    @ParameterizedTest
    @EnumSource(Databases.class)
    void aRestartExpiresUploadsInterruptsSendingAndCompletesDurableImports(Databases engine) {
        ImportJobStore store = new ImportJobStore(engine.migrated().jdbc());
        long uploaded = store.create(1, "a.csv", 1, "utf-8", "comma", "ops", T0);
        long running = store.create(1, "b.csv", 1, "utf-8", "comma", "ops", T0);
        store.validated(running, true, 5, 0, T0);
        store.start(running, T0);
        long failed = store.create(1, "c.csv", 1, "utf-8", "comma", "ops", T0);
        store.validated(failed, true, 5, 0, T0);
        store.start(failed, T0);
        store.finish(failed, ImportJob.State.FAILED, "x".repeat(600), T0);
        long applying = store.create(1, "e.csv", 1, "utf-8", "comma", "ops", T0);
        store.validated(applying, true, 5, 0, T0);
        store.start(applying, T0);
        store.durable(applying, 5, T0);

        assertThat(store.abandonAll(T0.plusSeconds(60))).isEqualTo(3);
        assertThat(store.find(1, applying).orElseThrow().state()).as("every row was durable: the log applies them on start")
                .isEqualTo(ImportJob.State.COMPLETED);
        assertThat(store.find(1, uploaded).orElseThrow().state()).isEqualTo(ImportJob.State.EXPIRED);
        assertThat(store.find(1, running).orElseThrow().state()).isEqualTo(ImportJob.State.INTERRUPTED);
        assertThat(store.find(1, failed).orElseThrow().state()).isEqualTo(ImportJob.State.FAILED);
        assertThat(store.find(1, failed).orElseThrow().failure()).hasSize(500);

        long later = store.create(1, "d.csv", 1, "utf-8", "comma", "ops", T0);
        store.expire(later, T0);
        store.expire(running, T0);
        assertThat(store.find(1, later).orElseThrow().state()).isEqualTo(ImportJob.State.EXPIRED);
        assertThat(store.find(1, running).orElseThrow().state()).as("only uploads expire").isEqualTo(ImportJob.State.INTERRUPTED);
    }
}
