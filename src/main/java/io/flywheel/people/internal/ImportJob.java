package io.flywheel.people.internal;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Locale;

/**
 * One CSV import as it is kept: never a value from the file.
 *
 * @param totalRows data rows of the file (known once it is validated)
 * @param sentRows rows made durable so far
 * @param durableAt when the last row was durable
 * @param finishedAt when every row was visible (completed) or the import ended otherwise
 */
public record ImportJob(
        long id,
        long projectId,
        String fileName,
        long fileBytes,
        String encoding,
        String delimiter,
        State state,
        long totalRows,
        long invalidRows,
        long sentRows,
        String createdBy,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant durableAt,
        Instant finishedAt,
        String failure) {

    public ImportJob {
        requireNonNull(fileName, "fileName is null");
        requireNonNull(encoding, "encoding is null");
        requireNonNull(delimiter, "delimiter is null");
        requireNonNull(state, "state is null");
        requireNonNull(createdBy, "createdBy is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(updatedAt, "updatedAt is null");
    }

    /** Where a job is. */
    public enum State {
        /** Uploaded; waiting for a mapping. */
        UPLOADED,
        /** Validated with problems; nothing was imported. A new mapping may be tried. */
        INVALID,
        /** Validated without problems; ready to start. */
        VALID,
        /** Rows are being made durable. */
        IMPORTING,
        /** Every row is durable; waiting until the event store shows them. */
        APPLYING,
        /** Every row is visible. */
        COMPLETED,
        /** Writing failed part-way; rows made durable stay. */
        FAILED,
        /** The server stopped while rows were being sent; rows made durable stay, the same file may be imported again. */
        INTERRUPTED,
        /** The upload was not imported in time and was discarded. */
        EXPIRED;

        public boolean running() {
            return this == IMPORTING || this == APPLYING;
        }

        public boolean finished() {
            return this == COMPLETED || this == FAILED || this == INTERRUPTED || this == EXPIRED;
        }

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Share of rows durable, 0 to 100. */
    public int percent() {
        if (state == State.COMPLETED || state == State.APPLYING) {
            return 100;
        }
        return totalRows == 0 ? 0 : (int) Math.min(100, sentRows * 100 / totalRows);
    }
}
