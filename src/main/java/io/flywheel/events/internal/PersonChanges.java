package io.flywheel.events.internal;

import io.flywheel.events.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a batch of events changes about each person it mentions, folded in arrival order, so that
 * a store writes one row per person and batch however many events the person sent. The rules,
 * which a store applies again when it combines a change with what it already holds:
 * <ul>
 * <li>first and last seen are the earliest and latest event timestamps, the event count the number
 * of events; profile data ({@link Event#activity()} false) counts for none of them, nor for a touch,
 * so a person only profile data mentions has no first and last seen and no events;</li>
 * <li>the userId is the last one that arrived, profile data included;</li>
 * <li>the traits patches are the properties of identify calls in arrival order (empty ones left
 * out), to be applied one after another;</li>
 * <li>a touch is an event with a channel; the first touch is the one with the earliest timestamp
 * (on a tie, the one that arrived first), the last touch the one with the latest timestamp (on a
 * tie, the one that arrived last), so late arrivals still land in the right place.</li>
 * </ul>
 */
final class PersonChanges {

    private static final String NO_TRAITS = "{}";

    private PersonChanges() {
    }

    /** The changes of {@code events}, one per (project, person). */
    static Collection<Change> of(List<Event> events) {
        Map<Key, Change> changes = new HashMap<>();
        for (Event event : events) {
            changes.computeIfAbsent(new Key(event.projectId(), event.personId()), key -> new Change(key.projectId(), key.personId()))
                    .add(event);
        }
        return changes.values();
    }

    private record Key(long projectId, long personId) {
    }

    /** One person's share of a batch; built by {@link #of}, read-only afterwards. */
    static final class Change {

        private final long projectId;
        private final long personId;
        private Instant firstSeen;
        private Instant lastSeen;
        private long events;
        private String userId;
        private List<String> traitPatches = List.of();
        private Instant traitsUpdatedAt;
        private Event firstTouch;
        private Event lastTouch;

        private Change(long projectId, long personId) {
            this.projectId = projectId;
            this.personId = personId;
        }

        private void add(Event event) {
            if (event.activity()) {
                seen(event);
            }
            if (event.userId() != null) {
                userId = event.userId();
            }
            if (event.type().equals("identify") && !event.properties().equals(NO_TRAITS)) {
                if (traitPatches.isEmpty()) {
                    traitPatches = new ArrayList<>(1);
                }
                traitPatches.add(event.properties());
                if (traitsUpdatedAt == null || event.receivedAt().isAfter(traitsUpdatedAt)) {
                    traitsUpdatedAt = event.receivedAt();
                }
            }
        }

        private void seen(Event event) {
            events++;
            Instant at = event.timestamp();
            if (firstSeen == null || at.isBefore(firstSeen)) {
                firstSeen = at;
            }
            if (lastSeen == null || at.isAfter(lastSeen)) {
                lastSeen = at;
            }
            if (event.channel() != null) {
                if (firstTouch == null || at.isBefore(firstTouch.timestamp())) {
                    firstTouch = event;
                }
                if (lastTouch == null || !at.isBefore(lastTouch.timestamp())) {
                    lastTouch = event;
                }
            }
        }

        long projectId() {
            return projectId;
        }

        long personId() {
            return personId;
        }

        /** The earliest event timestamp, or null when the batch held only profile data for the person. */
        Instant firstSeen() {
            return firstSeen;
        }

        /** The latest event timestamp, or null when the batch held only profile data for the person. */
        Instant lastSeen() {
            return lastSeen;
        }

        long events() {
            return events;
        }

        /** The last userId that arrived, or null. */
        String userId() {
            return userId;
        }

        /** Properties of identify calls in arrival order; empty when there were none. */
        List<String> traitPatches() {
            return traitPatches;
        }

        /** The latest receipt time of an identify call with traits, or null. */
        Instant traitsUpdatedAt() {
            return traitsUpdatedAt;
        }

        /** The touch with the earliest timestamp, or null. */
        Event firstTouch() {
            return firstTouch;
        }

        /** The touch with the latest timestamp, or null. */
        Event lastTouch() {
            return lastTouch;
        }
    }
}
