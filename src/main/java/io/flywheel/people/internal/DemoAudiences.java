package io.flywheel.people.internal;

import io.flywheel.demo.DemoData;
import io.flywheel.demo.DemoStatus;
import io.flywheel.events.EventFilter;
import io.flywheel.events.LifecycleStage;
import io.flywheel.events.PersonCondition;
import io.flywheel.events.PersonCondition.All;
import io.flywheel.events.PersonCondition.Count;
import io.flywheel.events.PersonCondition.Did;
import io.flywheel.events.PersonCondition.Range;
import io.flywheel.events.PersonCondition.Window;
import io.flywheel.people.Segment;
import io.flywheel.people.Segments;
import io.flywheel.people.Tag;
import io.flywheel.people.Tags;
import io.flywheel.platform.Project;
import io.flywheel.platform.Projects;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Gives a freshly loaded demo project a few segments, tag groups and tags of the kind an operations
 * team starts with, so that the Segments and Tags pages show working examples. A project that
 * has any segment or tag already is left alone (a reload keeps what people made).
 */
@Component
class DemoAudiences {

    static final String ACTOR = "demo";
    private static final Logger log = LoggerFactory.getLogger(DemoAudiences.class);

    private final Projects projects;
    private final Segments segments;
    private final Tags tags;

    DemoAudiences(Projects projects, Segments segments, Tags tags) {
        this.projects = projects;
        this.segments = segments;
        this.tags = tags;
    }

    @EventListener
    void on(DemoData.LoadFinished finished) {
        if (finished.state() != DemoStatus.State.READY) {
            return;
        }
        Project project = projects.find(finished.projectId()).orElse(null);
        if (project == null || !segments.list(project.id()).isEmpty() || !tags.list(project.id()).isEmpty()) {
            return;
        }
        try {
            seed(project);
        }
        catch (RuntimeException e) {
            // the demo data itself is in place; examples are a convenience
            log.warn("Could not add the example segments and tags to demo project {}: {}", project.id(), e.getMessage());
        }
    }

    private void seed(Project project) {
        segments.create(project, new Segment.Draft("上海复购用户 Shanghai repeat buyers",
                "Ordered at least 3 times in the last 30 days and live in 上海", new All(List.of(
                        did("Order Completed", Count.atLeast(3), 30),
                        new PersonCondition.Trait("city", EventFilter.Operator.EQUALS, List.of("上海"))))), ACTOR);
        segments.create(project, new Segment.Draft("浏览未下单 Browsed, did not order",
                "Viewed at least 3 products in the last 14 days and ordered nothing in that time", new All(List.of(
                        did("Product Viewed", Count.atLeast(3), 14),
                        did("Order Completed", Count.atMost(0), 14)))), ACTOR);
        segments.create(project, new Segment.Draft("待召回用户 To win back",
                "Dormant or churned persons who ordered before",
                new All(List.of(new PersonCondition.Stage(Set.of(LifecycleStage.DORMANT, LifecycleStage.CHURNED)),
                        new Did("Order Completed", List.of(), Count.atLeast(1), Window.ever())))), ACTOR);

        Tag.Group value = tags.createGroup(project, "价值 Value", ACTOR);
        Tag.Group source = tags.createGroup(project, "来源 Source", ACTOR);
        tags.createGroup(project, "兴趣 Interests", ACTOR);
        tags.create(project, new Tag.Draft("高价值 High value", "RFM important value over the last 90 days", value.id(),
                new PersonCondition.Rfm(90, Set.of("important_value"), Range.all(), Range.all(), Range.all())), ACTOR);
        tags.create(project, new Tag.Draft("VIP 回访 Call back", "Put on by hand", value.id(), null), ACTOR);
        tags.create(project, new Tag.Draft("微信来源 From WeChat", "First touch on WeChat", source.id(),
                new PersonCondition.Touch(true, Set.of("WeChat"))), ACTOR);
        log.info("Demo project {} has example segments and tags", project.id());
    }

    private static Did did(String event, Count count, int lastDays) {
        return new Did(event, List.of(), count, Window.lastDays(lastDays));
    }
}
