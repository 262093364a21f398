package io.flywheel.people;

import static java.util.Objects.requireNonNull;

import io.flywheel.events.PersonCondition;
import java.time.Instant;
import java.util.List;

/**
 * A segment: a named rule whose members the refresher keeps current as events and traits arrive.
 * Its members are the person set {@code segment:<id>}.
 */
public record Segment(long id, long projectId, String name, String description, PersonCondition rule, Instant createdAt,
        String createdBy, Instant updatedAt, String updatedBy) {

    public Segment {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(rule, "rule is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(createdBy, "createdBy is null");
        requireNonNull(updatedAt, "updatedAt is null");
        requireNonNull(updatedBy, "updatedBy is null");
    }

    /** The person set holding the members. */
    public String key() {
        return key(id);
    }

    public static String key(long segmentId) {
        return "segment:" + segmentId;
    }

    /** What a segment is made of when it is created or changed. */
    public record Draft(String name, String description, PersonCondition rule) {
        public Draft {
            requireNonNull(name, "name is null");
            description = description == null ? "" : description;
            requireNonNull(rule, "rule is null");
        }
    }

    /**
     * Persons entered and left the segment, published after each refresh that changed it (journeys
     * trigger on it). Root person ids.
     */
    public record MembershipChanged(long projectId, long segmentId, List<Long> entered, List<Long> exited) {
        public MembershipChanged {
            entered = List.copyOf(requireNonNull(entered, "entered is null"));
            exited = List.copyOf(requireNonNull(exited, "exited is null"));
        }
    }
}
