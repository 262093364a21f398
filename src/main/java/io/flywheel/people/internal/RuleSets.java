package io.flywheel.people.internal;

import io.flywheel.events.PersonCondition;
import io.flywheel.people.Segment;
import io.flywheel.people.Tag;
import io.flywheel.shared.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The rule-kept sets of a project (segments, then rule tags) and the checks on the sets a rule refers to. */
@Component
public class RuleSets {

    private final SegmentStore segments;
    private final TagStore tags;

    public RuleSets(SegmentStore segments, TagStore tags) {
        this.segments = segments;
        this.tags = tags;
    }

    public RuleGraph graph(long projectId) {
        return new RuleGraph(rules(projectId));
    }

    private Map<String, PersonCondition> rules(long projectId) {
        Map<String, PersonCondition> rules = new LinkedHashMap<>();
        for (Segment segment : segments.all(projectId)) {
            rules.put(segment.key(), segment.rule());
        }
        for (Tag tag : tags.all(projectId)) {
            if (!tag.manual()) {
                rules.put(tag.key(), tag.rule());
            }
        }
        return rules;
    }

    /**
     * Checks that every set the rule refers to is a segment or tag of the project and, when the rule
     * is to become the rule of the set {@code key} (null for a rule of no set, such as a live count
     * or a new set), that no cycle follows.
     */
    public void check(long projectId, String key, PersonCondition rule) {
        for (String reference : RuleJson.references(rule)) {
            String[] parts = reference.split(":", 2);
            long id = Long.parseLong(parts[1]);
            boolean exists = parts[0].equals("segment") ? segments.find(projectId, id).isPresent() : tags.find(projectId, id).isPresent();
            if (!exists) {
                throw new InvalidInputException("rule", "the rule refers to " + parts[0] + " " + id + ", which does not exist in this project",
                        "segments.error.reference." + parts[0], id);
            }
        }
        if (key != null) {
            Map<String, PersonCondition> rules = rules(projectId);
            rules.put(key, rule);
            new RuleGraph(rules).ordered();
        }
    }
}
