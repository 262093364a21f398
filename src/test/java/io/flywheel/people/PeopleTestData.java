package io.flywheel.people;

import io.flywheel.events.Event;
import io.flywheel.events.EventStore;
import io.flywheel.events.IdentityLink;
import io.flywheel.events.IngestBatch;
import io.flywheel.events.PersonMerge;
import io.flywheel.platform.Project;
import io.flywheel.platform.Projects;
import io.flywheel.platform.Role;
import io.flywheel.platform.Users;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A shop with 60 persons in a new project, and a second project with one person, for the people
 * pages and API.
 *
 * <p>Person 1 (李雷, u_0001, 杭州) came first through WeChat on another device (person 2, merged
 * into 1), then through SEM; it bought o1 (300) and o2 (100, refunded) three days ago. Person 3
 * (韩梅梅, u_0003, 上海) came through SEO and viewed a product. Persons 4 to 60 each viewed one page
 * (Direct) thirteen days ago.
 */
public final class PeopleTestData {

    public static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    public static final String PASSWORD = "people-tests-password";
    public static final String TRAITS = "{\"name\":\"李雷\",\"city\":\"杭州\",\"gender\":\"male\",\"age_band\":\"25-34\",\"interests\":[\"运动\",\"数码\"]}";

    public final Project project;
    public final Project other;
    public final String viewer;
    public final String operator;
    public final LocalDate day;
    private long arrivals;

    public PeopleTestData(Projects projects, Users users, EventStore events) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        project = projects.create("People " + suffix, SHANGHAI, "test").project();
        other = projects.create("Other " + suffix, SHANGHAI, "test").project();
        viewer = "pv-" + suffix;
        operator = "po-" + suffix;
        users.create(viewer, "Viewer", PASSWORD, Role.VIEWER, Set.of(project.id()), "test");
        users.create(operator, "Operator", PASSWORD, Role.OPERATOR, Set.of(project.id(), other.id()), "test");
        day = LocalDate.now(SHANGHAI).minusDays(3);
        List<Event> shop = new ArrayList<>(List.of(
                event(project, 2, "page", "Page Viewed", "a2", null, at(day, "09:00"), "WeChat", "moments", null, null, "{}"),
                event(project, 1, "page", "Page Viewed", "a1", null, at(day, "10:00"), "SEM", "spring", null, null, "{\"title\":\"Home\"}"),
                event(project, 1, "identify", "Identify", "a1", "u_0001", at(day, "10:01"), null, null, null, null, TRAITS),
                event(project, 1, "track", "Order Completed", "a1", "u_0001", at(day, "10:10"), null, null, "o1", 300.0,
                        "{\"order_id\":\"o1\",\"revenue\":300}"),
                event(project, 1, "track", "Order Completed", "a1", "u_0001", at(day, "10:20"), null, null, "o2", 100.0,
                        "{\"order_id\":\"o2\",\"revenue\":100}"),
                event(project, 1, "track", "Order Refunded", "a1", "u_0001", at(day.plusDays(1), "12:00"), null, null, "o2", null,
                        "{\"order_id\":\"o2\"}"),
                event(project, 3, "page", "Page Viewed", "a3", null, at(day, "11:00"), "SEO", null, null, null, "{}"),
                event(project, 3, "identify", "Identify", "a3", "u_0003", at(day, "11:01"), null, null, null, null,
                        "{\"name\":\"韩梅梅\",\"city\":\"上海\",\"gender\":\"female\"}"),
                event(project, 3, "track", "Product Viewed", "a3", "u_0003", at(day, "11:02"), null, null, null, null, "{\"name\":\"咖啡豆\"}"),
                event(other, 1, "identify", "Identify", "o1", "u_other", at(day, "08:00"), null, null, null, null, "{\"city\":\"北京\"}")));
        List<IdentityLink> links = new ArrayList<>(List.of(
                new IdentityLink(project.id(), "a1", 1, false), new IdentityLink(project.id(), "u_0001", 1, true),
                new IdentityLink(project.id(), "a2", 2, false), new IdentityLink(project.id(), "a3", 3, false),
                new IdentityLink(project.id(), "u_0003", 3, true), new IdentityLink(other.id(), "o1", 1, false),
                new IdentityLink(other.id(), "u_other", 1, true)));
        for (int person = 4; person <= 60; person++) {
            shop.add(event(project, person, "page", "Page Viewed", "a" + person, null, at(day.minusDays(10), "09:00").plusSeconds(60L * person),
                    "Direct", null, null, null, "{}"));
            links.add(new IdentityLink(project.id(), "a" + person, person, false));
        }
        events.apply(new IngestBatch(shop, links, List.of(), "people-tests-" + suffix, 1));
        events.apply(new IngestBatch(List.of(), List.of(),
                List.of(new PersonMerge(project.id(), 2, 1, at(day, "10:01"))), "people-tests-" + suffix, 2));
    }

    private static Instant at(LocalDate day, String time) {
        return day.atTime(LocalTime.parse(time)).atZone(SHANGHAI).toInstant();
    }

    private Event event(Project in, long person, String type, String name, String anonymousId, String userId, Instant at, String channel,
            String campaign, String orderId, Double revenue, String properties) {
        arrivals++;
        return new Event(in.id(), UUID.randomUUID().toString(), type, name, person, anonymousId, userId, at, at.plusMillis(arrivals),
                channel == null ? null : "https://shop.example.com/", null, null, null, campaign, channel, orderId, revenue, "CNY",
                properties, null);
    }
}
