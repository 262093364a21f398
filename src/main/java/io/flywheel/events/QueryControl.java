package io.flywheel.events;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The time limit of one analytical query and the way to cancel it while it runs. The engine
 * registers its cancel action; {@link #cancel()} from any thread stops the query, which then fails
 * with {@link QueryCancelledException}.
 */
public final class QueryControl {

    private final Duration timeout;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicReference<Runnable> onCancel = new AtomicReference<>();

    public QueryControl(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        this.timeout = timeout;
    }

    public static QueryControl withTimeout(Duration timeout) {
        return new QueryControl(timeout);
    }

    public Duration timeout() {
        return timeout;
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    public void cancel() {
        if (cancelled.compareAndSet(false, true)) {
            Runnable action = onCancel.getAndSet(null);
            if (action != null) {
                action.run();
            }
        }
    }

    /** Called by the engine when the query starts; runs at once if the query was already cancelled. */
    public void onCancel(Runnable action) {
        onCancel.set(action);
        if (cancelled.get()) {
            Runnable pending = onCancel.getAndSet(null);
            if (pending != null) {
                pending.run();
            }
        }
    }

    /** Called by the engine when the query is over. */
    public void finished() {
        onCancel.set(null);
    }
}
