package io.flywheel.demo.internal;

import static java.util.Objects.requireNonNull;

import io.flywheel.events.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Collects events into lists of a fixed size and hands each full list to a sink, which may keep it. */
final class Batches {

    private final int size;
    private final Consumer<List<Event>> sink;
    private List<Event> current;

    Batches(int size, Consumer<List<Event>> sink) {
        if (size < 1) {
            throw new IllegalArgumentException("batch size must be positive");
        }
        this.size = size;
        this.sink = requireNonNull(sink, "sink is null");
        this.current = new ArrayList<>(size);
    }

    void add(Event event) {
        current.add(event);
        if (current.size() == size) {
            flush();
        }
    }

    void flush() {
        if (current.isEmpty()) {
            return;
        }
        List<Event> full = current;
        current = new ArrayList<>(size);
        sink.accept(full);
    }
}
