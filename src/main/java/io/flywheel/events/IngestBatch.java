package io.flywheel.events;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Everything one step of ingestion writes, committed together: events, new identity links, person
 * merges and how far the durable source (e.g. the write-ahead log) has been applied. Because the
 * position commits with the data, replaying the source after a crash applies every entry exactly once.
 */
public record IngestBatch(List<Event> events, List<IdentityLink> links, List<PersonMerge> merges, String source, long position) {

    public IngestBatch {
        events = List.copyOf(requireNonNull(events, "events is null"));
        links = List.copyOf(requireNonNull(links, "links is null"));
        merges = List.copyOf(requireNonNull(merges, "merges is null"));
        requireNonNull(source, "source is null");
    }
}
