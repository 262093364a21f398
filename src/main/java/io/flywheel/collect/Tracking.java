package io.flywheel.collect;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Server-side calls into ingestion, for other modules (the CSV import of people): the messages
 * take the path tracked data takes, write-ahead log, applier and event store, so identities merge
 * and profiles change exactly as for an SDK's call. A call marked as profile data
 * ({@link IdentifyCommand#profileData}) is not activity: it is stored as no event and moves no
 * first or last seen, event count or touch.
 */
public interface Tracking {

    /** Segment's limit for one message. */
    int MAX_MESSAGE_BYTES = 32 * 1024;
    /** The most the traits of one identify may take as JSON; the rest of the 32 KB is for the message's other fields. */
    int MAX_TRAITS_BYTES = MAX_MESSAGE_BYTES - 1024;
    int MAX_ID_LENGTH = 256;

    /**
     * Accepts identify calls for a project. The future completes once they are durable (they will
     * be applied even after a crash) and fails when they could not be written.
     *
     * @throws Busy at once when ingestion cannot take more work now; try again a little later
     * @throws IllegalArgumentException when a message's traits exceed {@link #MAX_TRAITS_BYTES}
     */
    CompletableFuture<Receipt> identify(long projectId, List<IdentifyCommand> commands);

    /** Whether everything acknowledged with this receipt is in the event store, so visible to readers. */
    boolean applied(Receipt receipt);

    /** Proof of durability: the write-ahead log position of the last message accepted. */
    record Receipt(long sequence) {
    }

    /** Ingestion is overloaded or not running; nothing of the call was accepted. */
    final class Busy extends RuntimeException {

        public Busy(String message) {
            super(message, null, false, false);
        }
    }
}
