package io.flywheel.events;

/** An analytical query that ran past its time limit or was cancelled. */
public class QueryCancelledException extends RuntimeException {

    private final boolean timedOut;

    public QueryCancelledException(String message, boolean timedOut) {
        super(message);
        this.timedOut = timedOut;
    }

    public boolean timedOut() {
        return timedOut;
    }
}
