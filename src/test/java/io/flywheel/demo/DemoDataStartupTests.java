package io.flywheel.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flywheel.TestApplication;
import io.flywheel.events.EventStore;
import io.flywheel.people.Segments;
import io.flywheel.people.Tag;
import io.flywheel.people.Tags;
import io.flywheel.platform.Project;
import io.flywheel.platform.Projects;
import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The whole application on a fresh data directory loads a small demo shop in the background. */
@SpringBootTest
class DemoDataStartupTests {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestApplication.embedded(registry);
        registry.add("flywheel.demo.enabled", () -> "true");
        registry.add("flywheel.demo.persons", () -> "300");
        registry.add("flywheel.demo.events", () -> "15000");
    }

    @Autowired
    Projects projects;

    @Autowired
    DemoData demoData;

    @Autowired
    EventStore events;

    @Autowired
    Segments segments;

    @Autowired
    Tags tags;

    @Test
    void theFirstStartLoadsTheDemoShop() {
        Project shop = projects.all().stream().filter(project -> project.name().equals("Demo Shop")).findFirst().orElseThrow();
        assertThat(shop.timeZone()).isEqualTo(ZoneId.of("Asia/Shanghai"));

        await().atMost(Duration.ofMinutes(2)).until(() -> demoData.status(shop.id()).orElseThrow().state() != DemoStatus.State.LOADING);

        DemoStatus status = demoData.status(shop.id()).orElseThrow();
        assertThat(status.state()).isEqualTo(DemoStatus.State.READY);
        assertThat(status.targetEvents()).isEqualTo(15_000);
        assertThat(status.events()).isBetween(13_500L, 16_500L).isEqualTo(events.count(shop.id()));
        assertThat(events.latest(shop.id(), 5)).hasSize(5);

        // example audiences, kept by the refresher
        assertThat(segments.list(shop.id())).extracting(summary -> summary.segment().name())
                .contains("上海复购用户 Shanghai repeat buyers", "浏览未下单 Browsed, did not order", "待召回用户 To win back");
        assertThat(tags.groups(shop.id())).extracting(Tag.Group::name).containsExactlyInAnyOrder("价值 Value", "来源 Source", "兴趣 Interests");
        Tag wechat = tags.list(shop.id()).stream().filter(tag -> tag.name().equals("微信来源 From WeChat")).findFirst().orElseThrow();
        await().atMost(Duration.ofMinutes(1)).until(() -> tags.list(shop.id()).size() == 3
                && segments.list(shop.id()).stream().allMatch(summary -> summary.refreshedAt() != null));
        assertThat(wechat.rule()).isNotNull();
    }
}
