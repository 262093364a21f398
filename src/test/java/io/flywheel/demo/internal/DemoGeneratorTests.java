package io.flywheel.demo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.flywheel.demo.DemoPlan;
import io.flywheel.events.Event;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class DemoGeneratorTests {

    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final LocalDate END = LocalDate.of(2026, 3, 31);
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final DemoPlan small = new DemoPlan(500, 25_000, 30, 7, null);

    @Test
    void theSameSeedGivesTheSameEvents() {
        assertThat(fingerprint(small, 1_000)).isEqualTo(fingerprint(small, 1_000));
    }

    @Test
    void batchSizeDoesNotChangeTheEvents() {
        assertThat(fingerprint(small, 333)).isEqualTo(fingerprint(small, 5_000));
    }

    @Test
    void anotherSeedGivesOtherEvents() {
        DemoPlan otherSeed = new DemoPlan(500, 25_000, 30, 8, null);
        assertThat(fingerprint(otherSeed, 1_000)).isNotEqualTo(fingerprint(small, 1_000));
    }

    @Test
    void batchesHaveTheRequestedSizeAndTheCountIsReturned() {
        DemoGenerator generator = new DemoGenerator(1, SHANGHAI, END, null, small);
        List<Integer> sizes = new ArrayList<>();
        long count = generator.generate(1_000, batch -> sizes.add(batch.size()));
        assertThat(sizes.subList(0, sizes.size() - 1)).allMatch(size -> size == 1_000);
        assertThat(sizes.get(sizes.size() - 1)).isBetween(1, 1_000);
        assertThat(sizes.stream().mapToLong(Integer::longValue).sum()).isEqualTo(count);
        assertThat(generator.expectedEvents()).isEqualTo(count);
    }

    @Test
    void eventsAreInTimeOrderInsideThePeriod() {
        List<Event> events = generate(small, null);
        Instant start = END.minusDays(29).atStartOfDay(SHANGHAI).toInstant();
        Instant end = END.plusDays(1).atStartOfDay(SHANGHAI).toInstant();
        assertThat(events).allSatisfy(event -> {
            assertThat(event.timestamp()).isBetween(start, end.minusMillis(1));
            assertThat(event.receivedAt()).isAfter(event.timestamp()).isBefore(event.timestamp().plusSeconds(5));
            assertThat(event.projectId()).isEqualTo(1);
        });
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).timestamp()).isAfterOrEqualTo(events.get(i - 1).timestamp());
        }
    }

    @Test
    void nothingLiesAfterTheCutoff() {
        Instant cutoff = END.atTime(10, 30).atZone(SHANGHAI).toInstant();
        DemoGenerator generator = new DemoGenerator(1, SHANGHAI, END, cutoff, small);
        List<Event> events = new ArrayList<>();
        generator.generate(1_000, events::addAll);
        assertThat(events).isNotEmpty().allSatisfy(event -> assertThat(event.timestamp()).isBefore(cutoff));
        assertThat(events.get(events.size() - 1).timestamp()).isAfter(cutoff.minusSeconds(3_600));
    }

    @Test
    void identifiersAreUniqueAndStablePerPerson() {
        List<Event> events = generate(small, null);
        assertThat(events.stream().map(Event::messageId).distinct().count()).isEqualTo(events.size());
        assertThat(events).allSatisfy(event -> {
            assertThat(event.messageId()).matches(UUID);
            assertThat(event.anonymousId()).matches(UUID);
            assertThat(event.personId()).isBetween(1L, 500L);
        });
        Map<Long, String> anonymousIds = new HashMap<>();
        Map<String, Long> persons = new HashMap<>();
        for (Event event : events) {
            assertThat(anonymousIds.computeIfAbsent(event.personId(), id -> event.anonymousId())).isEqualTo(event.anonymousId());
            assertThat(persons.computeIfAbsent(event.anonymousId(), id -> event.personId())).isEqualTo(event.personId());
        }
    }

    @Test
    void userIdsAppearFromSignUpOn() {
        List<Event> events = generate(small, null);
        Set<Long> signedUp = new HashSet<>();
        for (Event event : events) {
            if (event.event().equals("Signed Up")) {
                assertThat(signedUp.add(event.personId())).as("signs up once").isTrue();
            }
            if (event.userId() != null) {
                assertThat(event.userId()).isEqualTo(String.format("u_%06d", event.personId()));
                assertThat(signedUp).as("user id only after sign-up").contains(event.personId());
            }
            else {
                assertThat(event.type()).isNotEqualTo("identify");
                assertThat(event.event()).isNotIn("Order Completed", "Order Refunded", "Checkout Started");
            }
        }
        assertThat(signedUp).isNotEmpty();
    }

    @Test
    void everyPersonStartsWithAPageViewFromTheirChannel() {
        Map<Long, Event> first = new HashMap<>();
        for (Event event : generate(small, null)) {
            first.putIfAbsent(event.personId(), event);
        }
        assertThat(first).hasSize(500);
        assertThat(first.values()).allSatisfy(event -> {
            assertThat(event.type()).isEqualTo("page");
            assertThat(event.event()).isEqualTo("Page Viewed");
            assertThat(event.channel()).isIn("SEO", "SEM", "WeChat", "Douyin", "Xiaohongshu", "Referral", "Direct");
            assertThat(event.url()).startsWith("https://shop.example.com/");
        });
    }

    @Test
    void channelTouchesCarryTheirCampaignData() {
        List<Event> touches = generate(small, null).stream().filter(event -> event.channel() != null).toList();
        assertThat(touches).allSatisfy(event -> {
            switch (event.channel()) {
                case "SEM" -> {
                    assertThat(event.utmMedium()).isEqualTo("cpc");
                    assertThat(event.utmSource()).isIn("baidu", "360");
                    assertThat(event.url()).contains("utm_medium=cpc");
                }
                case "SEO" -> {
                    assertThat(event.referrer()).isIn("https://www.baidu.com/", "https://www.so.com/", "https://www.sogou.com/", "https://cn.bing.com/");
                    assertThat(event.utmSource()).isNull();
                }
                case "WeChat" -> assertThat(event.utmSource()).isEqualTo("wechat");
                case "Douyin" -> assertThat(event.utmSource()).isEqualTo("douyin");
                case "Xiaohongshu" -> assertThat(event.utmSource()).isEqualTo("xiaohongshu");
                case "Referral" -> {
                    assertThat(event.utmSource()).isEqualTo("referral");
                    assertThat(event.url()).contains("/invite?");
                }
                case "Direct" -> {
                    assertThat(event.utmSource()).isNull();
                    assertThat(event.referrer()).isNull();
                    assertThat(event.url()).doesNotContain("?");
                }
                default -> throw new AssertionError("unexpected channel " + event.channel());
            }
            assertThat(event.utmCampaign() == null).isEqualTo(event.utmSource() == null);
        });
        assertThat(touches.stream().filter(event -> event.channel().equals("Referral")).map(Event::url))
                .anyMatch(url -> url.matches(".*[?&]ref=INV\\d{6}&.*"));
    }

    @Test
    void everyPropertiesAndContextIsValidJson() {
        for (Event event : generate(small, null)) {
            assertThat(JSON.readTree(event.properties()).isObject()).as(event.properties()).isTrue();
            assertThat(JSON.readTree(event.context()).isObject()).as(event.context()).isTrue();
        }
    }

    @Test
    void ordersFollowTheEcommerceSpec() {
        List<Event> events = generate(small, null);
        Map<String, Event> orders = new HashMap<>();
        for (Event event : events) {
            if (event.event().equals("Order Completed")) {
                JsonNode properties = JSON.readTree(event.properties());
                assertThat(properties.get("order_id").asString()).isEqualTo(event.orderId()).matches("DS2026\\d{4}\\d{7}");
                assertThat(properties.get("currency").asString()).isEqualTo("CNY").isEqualTo(event.currency());
                double sum = 0;
                for (JsonNode product : properties.get("products")) {
                    assertThat(product.get("product_id").asString()).matches("P\\d{4}");
                    assertThat(product.get("name").asString()).isNotBlank();
                    assertThat(product.get("category").asString()).isIn("服饰", "美妆", "数码", "食品", "家居", "母婴");
                    sum += product.get("price").asDouble() * product.get("quantity").asInt();
                }
                assertThat(properties.get("revenue").asDouble()).isEqualTo(event.revenue()).isCloseTo(sum, offset(0.001));
                assertThat(orders.put(event.orderId(), event)).as("order ids are unique").isNull();
            }
        }
        assertThat(orders).isNotEmpty();
        for (Event event : events) {
            if (event.event().equals("Order Refunded")) {
                Event order = orders.get(event.orderId());
                assertThat(order).as("refund of a known order").isNotNull();
                assertThat(event.revenue()).isEqualTo(order.revenue());
                assertThat(event.personId()).isEqualTo(order.personId());
                assertThat(event.timestamp()).isAfter(order.timestamp().plusSeconds(86_400));
            }
        }
    }

    @Test
    void identifyCarriesTraits() {
        List<Event> identifies = generate(small, null).stream().filter(event -> event.type().equals("identify")).toList();
        assertThat(identifies).isNotEmpty().allSatisfy(event -> {
            assertThat(event.event()).isEqualTo("Identify");
            JsonNode traits = JSON.readTree(event.properties());
            assertThat(traits.get("city").asString()).isIn((Object[]) Population.CITIES);
            assertThat(traits.get("age_band").asString()).isIn((Object[]) Population.AGE_BANDS);
            assertThat(traits.get("gender").asString()).isIn("female", "male");
            assertThat(traits.get("interests").size()).isBetween(1, 3);
            assertThat(traits.get("email").asString()).endsWith("@example.com");
            assertThat(traits.get("name").asString()).isNotBlank();
        });
    }

    static List<Event> generate(DemoPlan plan, Instant cutoff) {
        List<Event> events = new ArrayList<>();
        new DemoGenerator(1, SHANGHAI, END, cutoff, plan).generate(10_000, events::addAll);
        return events;
    }

    private static String fingerprint(DemoPlan plan, int batchSize) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            long[] count = {0};
            new DemoGenerator(1, SHANGHAI, END, null, plan).generate(batchSize, batch -> {
                for (Event event : batch) {
                    digest.update(event.toString().getBytes(StandardCharsets.UTF_8));
                    count[0]++;
                }
            });
            return count[0] + ":" + HexFormat.of().formatHex(digest.digest());
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
