package io.flywheel.people;

import static java.util.Objects.requireNonNull;

import io.flywheel.events.PersonCondition;
import java.time.Instant;
import java.util.List;

/**
 * A tag on persons, optionally in a group (兴趣, 价值, 来源 …). A manual tag is put on and taken off
 * by hand; a rule tag ({@code rule} not null) is kept true by the refresher like a segment. Its
 * members are the person set {@code tag:<id>}.
 */
public record Tag(long id, long projectId, Long groupId, String name, String description, PersonCondition rule, Instant createdAt,
        String createdBy, Instant updatedAt, String updatedBy) {

    public Tag {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(createdBy, "createdBy is null");
        requireNonNull(updatedAt, "updatedAt is null");
        requireNonNull(updatedBy, "updatedBy is null");
    }

    public boolean manual() {
        return rule == null;
    }

    public String key() {
        return key(id);
    }

    public static String key(long tagId) {
        return "tag:" + tagId;
    }

    /** What a tag is made of when it is created or changed; a null rule makes a manual tag. */
    public record Draft(String name, String description, Long groupId, PersonCondition rule) {
        public Draft {
            requireNonNull(name, "name is null");
            description = description == null ? "" : description;
        }
    }

    /** A group of tags. */
    public record Group(long id, long projectId, String name) {
        public Group {
            requireNonNull(name, "name is null");
        }
    }

    /** Persons got or lost the tag, by hand or by its rule. Root person ids. */
    public record MembershipChanged(long projectId, long tagId, List<Long> entered, List<Long> exited) {
        public MembershipChanged {
            entered = List.copyOf(requireNonNull(entered, "entered is null"));
            exited = List.copyOf(requireNonNull(exited, "exited is null"));
        }
    }
}
