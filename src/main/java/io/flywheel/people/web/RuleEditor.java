package io.flywheel.people.web;

import io.flywheel.events.EventAnalytics;
import io.flywheel.events.LifecycleStage;
import io.flywheel.people.Segment;
import io.flywheel.people.Segments;
import io.flywheel.people.Tag;
import io.flywheel.people.Tags;
import io.flywheel.people.internal.RuleJson;
import io.flywheel.platform.Project;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the rule builder of the segment and tag editors needs: the rule, the names to choose from
 * (event names from the project's data, channels, traits, stages, RFM segments, tags and other
 * segments) and its labels in the reader's language.
 */
@Component
class RuleEditor {

    private static final List<String> CHANNELS = List.of("Direct", "SEO", "SEM", "WeChat", "Referral", "Social", "Email", "(none)");
    private static final List<String> TRAITS = List.of("city", "gender", "age_band", "interests", "name", "email", "plan");
    private static final List<String> LABELS = List.of("all", "any", "not", "addCondition", "addGroup", "remove", "kind.trait", "kind.did",
            "kind.didNot", "kind.sequence", "kind.rfm", "kind.stage", "kind.firstTouch", "kind.lastTouch", "kind.tag", "kind.segment",
            "traitName", "value", "values", "event", "then", "within", "hours", "days", "ever", "lastDays", "between", "from", "to",
            "atLeast", "atMost", "exactly", "times", "addFilter", "property", "windowDays", "score", "noTags", "noSegments", "channels",
            "emptyGroup", "kind.funnel", "funnel.step", "funnel.stepName", "funnel.addStep", "funnel.reachedExactly", "funnel.reachedAtLeast",
            "funnel.firstStep", "funnel.dropOff", "funnel.converted", "funnel.atLeast");

    private final Segments segments;
    private final Tags tags;
    private final EventAnalytics analytics;
    private final JsonMapper json;
    private final MessageSource messages;

    RuleEditor(Segments segments, Tags tags, EventAnalytics analytics, JsonMapper json, MessageSource messages) {
        this.segments = segments;
        this.tags = tags;
        this.analytics = analytics;
        this.json = json;
        this.messages = messages;
    }

    /** What the rule builder needs: the rule, the names to choose from and the labels. */
    void model(Project project, Segment segment, String name, String description, String rule, Model model) {
        model.addAttribute("project", project);
        model.addAttribute("segment", segment);
        model.addAttribute("name", name);
        model.addAttribute("description", description);
        model.addAttribute("rule", rule);
        model.addAttribute("options", json.writeValueAsString(options(project, segment)));
        model.addAttribute("labels", json.writeValueAsString(labels()));
    }

    private Map<String, Object> options(Project project, Segment segment) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("events", analytics.eventNames(project.id(), 200).stream().map(EventAnalytics.EventName::name).toList());
        options.put("channels", CHANNELS);
        options.put("traits", TRAITS);
        options.put("stages", List.of(LifecycleStage.values()).stream().map(stage -> Map.of("key", stage.key(),
                "label", messages.getMessage("segments.stage." + stage.key(), null, stage.key(), LocaleContextHolder.getLocale()))).toList());
        options.put("rfm", RuleJson.RFM_SEGMENTS.stream().map(key -> Map.of("key", key,
                "label", messages.getMessage("rfm.segment." + key, null, key, LocaleContextHolder.getLocale()))).toList());
        List<Map<String, Object>> tagOptions = new ArrayList<>();
        for (Tag tag : tags.list(project.id())) {
            tagOptions.add(Map.of("id", tag.id(), "name", tag.name()));
        }
        options.put("tags", tagOptions);
        List<Map<String, Object>> segmentOptions = new ArrayList<>();
        for (Segments.Summary summary : segments.list(project.id())) {
            if (segment == null || summary.segment().id() != segment.id()) {
                segmentOptions.add(Map.of("id", summary.segment().id(), "name", summary.segment().name()));
            }
        }
        options.put("segments", segmentOptions);
        return options;
    }

    private Map<String, String> labels() {
        Locale locale = LocaleContextHolder.getLocale();
        Map<String, String> labels = new LinkedHashMap<>();
        for (String key : LABELS) {
            labels.put(key, messages.getMessage("segments.builder." + key, null, key, locale));
        }
        return labels;
    }

}
