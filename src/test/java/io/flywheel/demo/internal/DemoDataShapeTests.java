package io.flywheel.demo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.flywheel.demo.DemoPlan;
import io.flywheel.events.Event;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo data looks like a real shop: the ranges below follow from the channel, funnel and
 * rhythm parameters of the simulation with some room for randomness (2,000 persons).
 */
class DemoDataShapeTests {

    private static final int PERSONS = 2_000;
    private static final long TARGET = 100_000;
    private static final LocalDate FIRST = DemoGeneratorTests.END.minusDays(89);

    private static List<Event> events;
    private static final Map<String, Set<Long>> personsByEvent = new HashMap<>();
    private static final Map<String, Long> countByEvent = new HashMap<>();
    private static final Map<Long, String> firstChannel = new HashMap<>();
    private static final Map<Long, Integer> ordersByPerson = new HashMap<>();

    @BeforeAll
    static void generate() {
        events = DemoGeneratorTests.generate(new DemoPlan(PERSONS, TARGET, 90, 42, null), null);
        for (Event event : events) {
            personsByEvent.computeIfAbsent(event.event(), name -> new HashSet<>()).add(event.personId());
            countByEvent.merge(event.event(), 1L, Long::sum);
            if (event.channel() != null) {
                firstChannel.putIfAbsent(event.personId(), event.channel());
            }
            if (event.event().equals("Order Completed")) {
                ordersByPerson.merge(event.personId(), 1, Integer::sum);
            }
        }
    }

    @Test
    void eventCountIsCloseToTheTarget() {
        assertThat((double) events.size()).isCloseTo(TARGET, within(TARGET * 0.10));
    }

    @Test
    void theSevenChannelsHaveTheirShareOfPersons() {
        assertThat(firstChannel).hasSize(PERSONS);
        // Configured shares plus or minus four percentage points.
        assertShare("SEO", 0.14, 0.22);
        assertShare("SEM", 0.18, 0.26);
        assertShare("WeChat", 0.12, 0.20);
        assertShare("Douyin", 0.11, 0.19);
        assertShare("Xiaohongshu", 0.06, 0.14);
        assertShare("Referral", 0.03, 0.11);
        assertShare("Direct", 0.08, 0.16);
    }

    @Test
    void privateDomainChannelsConvertBetterThanPaidTraffic() {
        double wechatAndReferral = buyerRate("WeChat", "Referral");
        double semAndDouyin = buyerRate("SEM", "Douyin");
        assertThat(wechatAndReferral).isGreaterThan(semAndDouyin * 2);
        assertThat(signUpRate("Referral")).isGreaterThan(signUpRate("Douyin") * 2);
    }

    @Test
    void theFunnelNarrowsStepByStep() {
        int viewed = persons("Product Viewed");
        int added = persons("Product Added");
        int checkout = persons("Checkout Started");
        int ordered = persons("Order Completed");
        assertThat(viewed).isGreaterThan(added);
        assertThat(added).isGreaterThan(checkout);
        assertThat(checkout).isGreaterThan(ordered);
        assertThat((double) viewed / PERSONS).as("viewed / persons").isBetween(0.80, 0.99);
        assertThat((double) added / viewed).as("added / viewed").isBetween(0.30, 0.70);
        assertThat((double) checkout / added).as("checkout / added").isBetween(0.35, 0.75);
        assertThat((double) ordered / checkout).as("ordered / checkout").isBetween(0.60, 0.90);
        assertThat((double) ordered / PERSONS).as("buyers / persons").isBetween(0.10, 0.30);
    }

    @Test
    void somePersonsBuyAgain() {
        long repeat = ordersByPerson.values().stream().filter(orders -> orders >= 2).count();
        assertThat((double) repeat / ordersByPerson.size()).isBetween(0.20, 0.50);
    }

    @Test
    void aFewPercentOfOrdersAreRefunded() {
        double rate = (double) countByEvent.get("Order Refunded") / countByEvent.get("Order Completed");
        assertThat(rate).isBetween(0.02, 0.07);
    }

    @Test
    void signUpsIdentifyOnce() {
        assertThat(countByEvent.get("Signed Up")).isEqualTo(countByEvent.get("Identify")).isEqualTo((long) persons("Signed Up"));
        assertThat((double) persons("Signed Up") / PERSONS).isBetween(0.25, 0.45);
    }

    @Test
    void appEventsAndSharingHappen() {
        assertThat(persons("Application Opened")).isGreaterThan(PERSONS / 20);
        assertThat(persons("Products Searched")).isGreaterThan(PERSONS / 4);
        assertThat(persons("Product Shared")).isGreaterThan(PERSONS / 10);
    }

    @Test
    void weekendsAreBusierThanWeekdays() {
        Map<DayOfWeek, Long> eventsByWeekday = new HashMap<>();
        Map<DayOfWeek, Integer> daysByWeekday = new HashMap<>();
        for (Event event : events) {
            eventsByWeekday.merge(local(event).getDayOfWeek(), 1L, Long::sum);
        }
        for (LocalDate day = FIRST; !day.isAfter(DemoGeneratorTests.END); day = day.plusDays(1)) {
            daysByWeekday.merge(day.getDayOfWeek(), 1, Integer::sum);
        }
        double weekend = average(eventsByWeekday, daysByWeekday, DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
        double weekday = average(eventsByWeekday, daysByWeekday, DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY);
        assertThat(weekend / weekday).isBetween(1.15, 1.50);
    }

    @Test
    void peopleSleepAtFourInTheMorning() {
        long[] byHour = new long[24];
        for (Event event : events) {
            byHour[local(event).getHour()]++;
        }
        assertThat(byHour[4]).isLessThan(byHour[21] / 10);
        assertThat(byHour[12]).isGreaterThan(byHour[9]);
        assertThat(byHour[21]).isGreaterThan(byHour[16]);
    }

    @Test
    void acquisitionGrowsMildly() {
        Map<Long, LocalDate> firstSeen = new HashMap<>();
        for (Event event : events) {
            firstSeen.putIfAbsent(event.personId(), local(event).toLocalDate());
        }
        long firstMonth = firstSeen.values().stream().filter(day -> day.isBefore(FIRST.plusDays(30))).count();
        long lastMonth = firstSeen.values().stream().filter(day -> !day.isBefore(FIRST.plusDays(60))).count();
        assertThat((double) lastMonth / firstMonth).isBetween(1.2, 1.9);
    }

    @Test
    void mostPersonsChurnAndALoyalMinorityStays() {
        Map<Long, LocalDate> firstSeen = new HashMap<>();
        Set<Long> activeLastTwoWeeks = new HashSet<>();
        LocalDate lastTwoWeeks = DemoGeneratorTests.END.minusDays(13);
        for (Event event : events) {
            LocalDate day = local(event).toLocalDate();
            firstSeen.putIfAbsent(event.personId(), day);
            if (!day.isBefore(lastTwoWeeks)) {
                activeLastTwoWeeks.add(event.personId());
            }
        }
        List<Long> early = firstSeen.entrySet().stream().filter(entry -> entry.getValue().isBefore(FIRST.plusDays(30))).map(Map.Entry::getKey).toList();
        double stillActive = (double) early.stream().filter(activeLastTwoWeeks::contains).count() / early.size();
        assertThat(stillActive).isBetween(0.08, 0.40);
    }

    private static void assertShare(String channel, double min, double max) {
        long persons = firstChannel.values().stream().filter(channel::equals).count();
        assertThat((double) persons / PERSONS).as(channel).isBetween(min, max);
    }

    private static double buyerRate(String... channels) {
        Set<String> wanted = Set.of(channels);
        long persons = firstChannel.values().stream().filter(wanted::contains).count();
        long buyers = ordersByPerson.keySet().stream().filter(person -> wanted.contains(firstChannel.get(person))).count();
        return (double) buyers / persons;
    }

    private static double signUpRate(String channel) {
        long persons = firstChannel.values().stream().filter(channel::equals).count();
        long signedUp = personsByEvent.get("Signed Up").stream().filter(person -> channel.equals(firstChannel.get(person))).count();
        return (double) signedUp / persons;
    }

    private static int persons(String event) {
        return personsByEvent.getOrDefault(event, Set.of()).size();
    }

    private static double average(Map<DayOfWeek, Long> events, Map<DayOfWeek, Integer> days, DayOfWeek... weekdays) {
        long total = 0;
        int count = 0;
        for (DayOfWeek weekday : weekdays) {
            total += events.getOrDefault(weekday, 0L);
            count += days.get(weekday);
        }
        return (double) total / count;
    }

    private static ZonedDateTime local(Event event) {
        return event.timestamp().atZone(DemoGeneratorTests.SHANGHAI);
    }
}
