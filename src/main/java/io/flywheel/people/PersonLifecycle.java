package io.flywheel.people;

import static java.util.Objects.requireNonNull;

import io.flywheel.events.PersonStage;
import io.flywheel.events.StageTransition;
import java.util.List;

/** A person's current lifecycle stage (null before the first computation) and recorded transitions, newest first. */
public record PersonLifecycle(long personId, PersonStage stage, List<StageTransition> transitions) {

    public PersonLifecycle {
        transitions = List.copyOf(requireNonNull(transitions, "transitions is null"));
    }
}
