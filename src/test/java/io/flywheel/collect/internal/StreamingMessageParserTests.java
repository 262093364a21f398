package io.flywheel.collect.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flywheel.collect.internal.MalformedBodyException.Reason;
import io.flywheel.collect.internal.StreamingMessageParser.Body;
import io.flywheel.collect.internal.StreamingMessageParser.Rejection;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class StreamingMessageParserTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant RECEIVED_AT = Instant.parse("2026-03-01T12:00:00Z");
    private static final List<String> TYPES = List.of("track", "page", "screen", "identify", "group", "alias");

    private final StreamingMessageParser parser = new StreamingMessageParser(JSON);

    @Test
    void everyCallTypeGivesTheFieldsOfTheTreeParser() {
        String common = """
                "messageId":"m-1","anonymousId":" a-1 ","userId":"u-1","timestamp":"2026-03-01T10:00:00+08:00",
                "context":{"ip":"10.0.0.1","page":{"url":"https://shop.example.com/?utm_source=q&gclid=g1","referrer":"https://www.baidu.com/"},
                "campaign":{"name":"spring"}}""";
        for (String type : TYPES) {
            String body = "{" + common + ",\"event\":\" Order Completed \",\"previousId\":\"old\",\"groupId\":\"g-1\","
                    + "\"properties\":{\"order_id\":\"o-1\",\"revenue\":\"19.90\",\"currency\":\"CNY\"},"
                    + "\"traits\":{\"plan\":\"pro\",\"total\":7}}";
            Message message = single(body, type);
            assertThat(message.type()).isEqualTo(type);
            assertThat(message.anonymousId()).isEqualTo("a-1");
            assertThat(message.utmSource()).isEqualTo("q");
            assertThat(message.utmCampaign()).isEqualTo("spring");
            assertThat(message.clickId()).isEqualTo("gclid");
            assertThat(message.timestamp()).isEqualTo(Instant.parse("2026-03-01T02:00:00Z"));
            assertSameAsTree(body, type);
        }
        assertThat(single("{\"userId\":\"u\",\"event\":\" Order Completed \",\"properties\":{\"revenue\":\"19.90\",\"order_id\":\"o-1\"}}",
                "track")).satisfies(message -> {
                    assertThat(message.event()).isEqualTo("Order Completed");
                    assertThat(message.revenue()).isEqualTo(19.9);
                    assertThat(message.orderId()).isEqualTo("o-1");
                });
        assertThat(single("{\"userId\":\"u\",\"groupId\":\"g\",\"traits\":{\"total\":7}}", "group").revenue()).isEqualTo(7.0);
    }

    @Test
    void everyReasonOfTheTreeParserIsGivenInItsOrder() {
        String longId = "x".repeat(257);
        Object[][] cases = {
                {"track", "{\"event\":\"E\"}", "anonymousId or userId is required"},
                {"track", "{\"anonymousId\":\"  \",\"userId\":\"\",\"event\":\"E\"}", "anonymousId or userId is required"},
                {"track", "{\"anonymousId\":true,\"event\":\"E\"}", "anonymousId must be a string"},
                {"track", "{\"userId\":1.5,\"event\":\"E\"}", "userId must be a string"},
                {"track", "{\"userId\":{\"nested\":true}}", "userId must be a string"},
                {"track", "{\"userId\":\"" + longId + "\"}", "userId must be at most 256 characters"},
                {"track", "{\"userId\":\"u\",\"messageId\":[1],\"event\":\"E\"}", "messageId must be a string"},
                {"track", "{\"userId\":\"u\"}", "event is required for track calls"},
                {"track", "{\"userId\":\"u\",\"event\":\"   \"}", "event is required for track calls"},
                {"track", "{\"userId\":\"u\",\"event\":{}}", "event is required for track calls"},
                {"track", "{\"userId\":\"u\",\"event\":\"" + "e".repeat(201) + "\"}", "event must be at most 200 characters"},
                {"track", "{\"event\":\"E\",\"userId\":\"u\",\"properties\":[1]}", "properties must be a JSON object"},
                {"identify", "{\"userId\":\"u\",\"traits\":\"plan\"}", "traits must be a JSON object"},
                {"page", "{\"userId\":\"u\",\"context\":5}", "context must be a JSON object"},
                {"alias", "{\"userId\":\"u\"}", "alias needs previousId and userId"},
                {"alias", "{\"anonymousId\":\"a\",\"previousId\":\"p\"}", "alias needs previousId and userId"},
                {"alias", "{\"userId\":\"u\",\"previousId\":false}", "previousId must be a string"},
                {"group", "{\"userId\":\"u\"}", "groupId is required for group calls"},
                {"group", "{\"userId\":\"u\",\"groupId\":\"" + longId + "\"}", "groupId must be at most 256 characters"},
                {"page", "{\"userId\":\"u\",\"timestamp\":\"yesterday\"}",
                        "timestamp must be an ISO-8601 date-time with an offset, e.g. 2026-01-01T08:00:00.000Z"},
                {"page", "{\"userId\":\"u\",\"timestamp\":\"2026-03-01T10:00:00\"}",
                        "timestamp must be an ISO-8601 date-time with an offset, e.g. 2026-01-01T08:00:00.000Z"},
                {"page", "{\"userId\":\"u\",\"timestamp\":1700000000}", "timestamp must be an ISO-8601 date-time string"},
                {"page", "{\"userId\":\"u\",\"originalTimestamp\":{}}", "originalTimestamp must be an ISO-8601 date-time string"},
                {"page", "{\"userId\":\"u\",\"sentAt\":\"soon\"}",
                        "sentAt must be an ISO-8601 date-time with an offset, e.g. 2026-01-01T08:00:00.000Z"},
                {"track", "{\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"revenue\":\"lots\"}}", "revenue must be a number"},
                {"track", "{\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"revenue\":null,\"total\":true}}", "total must be a number"},
                {"track", "{\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"revenue\":{\"amount\":1}}}", "revenue must be a number"},
                {"track", "{\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"big\":\"" + "x".repeat(31800) + "\"}}",
                        "a message must be at most 32 KB"},
                // the first failure in the tree parser's order, whatever the order in the document
                {"track", "{\"event\":\"\",\"properties\":5,\"userId\":7}", "properties must be a JSON object"},
                {"alias", "{\"timestamp\":\"bad\",\"previousId\":\"p\",\"context\":[],\"userId\":\"u\"}", "context must be a JSON object"},
                {"page", "{\"sentAt\":\"bad\",\"timestamp\":\"also bad\",\"userId\":\"u\"}",
                        "timestamp must be an ISO-8601 date-time with an offset, e.g. 2026-01-01T08:00:00.000Z"},
        };
        for (Object[] testCase : cases) {
            String type = (String) testCase[0];
            String body = (String) testCase[1];
            Body parsed = parser.parseSingle(bytes(body), type, RECEIVED_AT);
            assertThat(parsed.messages()).as(body).isEmpty();
            assertThat(parsed.rejected()).as(body).containsExactly(new Rejection(0, (String) testCase[2]));
            assertSameAsTree(body, type);
        }
    }

    @Test
    void aBatchRejectsBadItemsByIndexAndReadsTheItemsAfterThem() {
        String body = """
                {"batch":[
                  {"type":"track","anonymousId":"b","event":"Good 1"},
                  {"type":"track","anonymousId":"b","properties":{"deep":{"deeper":[{"x":1}]}}},
                  {"type":"dance","anonymousId":"b"},
                  {"anonymousId":"b"},
                  {"type":{"name":"track"},"anonymousId":"b"},
                  {"type":7,"anonymousId":"b"},
                  {"type":"identify","userId":{"nested":true}},
                  {"type":"page","anonymousId":"b","timestamp":"yesterday"},
                  {"type":"IDENTIFY","userId":"u-b","traits":{"city":"上海"}},
                  "not an object", 12, null, [1, {"a":2}],
                  {"type":"Track","userId":"last","event":"Good 2"}
                ]}""";
        Body parsed = parser.parseBatch(bytes(body), RECEIVED_AT);
        assertThat(parsed.size()).isEqualTo(14);
        assertThat(parsed.messages()).extracting(Message::event).containsExactly("Good 1", "Identify", "Good 2");
        assertThat(parsed.rejected()).containsExactly(
                new Rejection(1, "event is required for track calls"),
                new Rejection(2, "type must be one of track, page, screen, identify, group or alias, not 'dance'"),
                new Rejection(3, "type is required for batch items (track, page, screen, identify, group or alias)"),
                new Rejection(4, "type is required for batch items (track, page, screen, identify, group or alias)"),
                new Rejection(5, "type must be one of track, page, screen, identify, group or alias, not '7'"),
                new Rejection(6, "userId must be a string"),
                new Rejection(7, "timestamp must be an ISO-8601 date-time with an offset, e.g. 2026-01-01T08:00:00.000Z"),
                new Rejection(9, "a message must be a JSON object"),
                new Rejection(10, "a message must be a JSON object"),
                new Rejection(11, "a message must be a JSON object"),
                new Rejection(12, "a message must be a JSON object"));
        assertSameAsTree(body, null);
    }

    @Test
    void idsMayBeStringsOrIntegralNumbers() {
        String body = "{\"userId\":42,\"anonymousId\":-0,\"messageId\":123456789012345678901234567890,\"event\":\"E\"}";
        Message message = single(body, "track");
        assertThat(message.userId()).isEqualTo("42");
        assertThat(message.anonymousId()).isEqualTo("0");
        assertThat(message.messageId()).isEqualTo("123456789012345678901234567890");
        assertSameAsTree(body, "track");
        assertSameAsTree("{\"userId\":9007199254740993,\"event\":\"E\"}", "track");
        assertSameAsTree("{\"userId\":1e3,\"event\":\"E\"}", "track");
        assertSameAsTree("{\"userId\":\"u\",\"event\":12.50}", "track");
        assertSameAsTree("{\"userId\":\"u\",\"event\":true,\"properties\":{\"url\":1e2,\"order_id\":12.50,\"currency\":false}}", "track");
    }

    @Test
    void nullsAreAbsentFieldsAndAbsentObjectsAreStoredAsEmptyObjects() {
        String body = "{\"userId\":\"u\",\"anonymousId\":null,\"messageId\":null,\"event\":\"E\",\"properties\":null,\"context\":null,"
                + "\"timestamp\":null,\"originalTimestamp\":\"2026-03-01T11:00:00Z\",\"sentAt\":null}";
        Message message = single(body, "track");
        assertThat(message.anonymousId()).isNull();
        assertThat(UUID.fromString(message.messageId()).version()).isEqualTo(4);
        assertThat(message.properties()).isEqualTo("{}");
        assertThat(message.context()).isEqualTo("{}");
        assertThat(message.timestamp()).isEqualTo(Instant.parse("2026-03-01T11:00:00Z"));
        assertSameAsTree(body, "track");
        assertSameAsTree("{\"userId\":\"u\"}", "identify");
    }

    @Test
    void theLastOfARepeatedKeyWins() {
        String body = """
                {"userId":"first","event":"E","userId":"second",
                 "properties":{"revenue":"x"},"properties":{"url":"https://a.example/?utm_source=one","url":{"no":"text"},"revenue":1,"revenue":2},
                 "context":{"page":{"url":"https://b.example/?utm_medium=m","referrer":"r1"},"page":{"url":"https://c.example/"},
                 "campaign":{"source":"s"},"campaign":"none"},
                 "timestamp":"bad","timestamp":"2026-03-01T09:00:00Z"}""";
        Message message = single(body, "track");
        assertThat(message.userId()).isEqualTo("second");
        assertThat(message.revenue()).isEqualTo(2.0);
        assertThat(message.url()).isEqualTo("https://c.example/");
        assertThat(message.referrer()).isNull();
        assertThat(message.utmSource()).isNull();
        assertThat(message.timestamp()).isEqualTo(Instant.parse("2026-03-01T09:00:00Z"));
        assertSameAsTree(body, "track");
        assertSameAsTree("{\"batch\":[{\"type\":\"track\",\"userId\":\"u\"}],\"batch\":[{\"type\":\"page\",\"userId\":\"u\"}]}", null);
        assertSameAsTree("{\"batch\":[{\"type\":\"track\",\"type\":\"page\",\"userId\":\"u\",\"properties\":{\"a\":1},\"traits\":5}]}", null);
    }

    @Test
    void batchLevelSentAtAndContextApplyToItemsWithoutTheirOwnWhereverTheyStand() {
        String items = """
                "batch":[
                  {"type":"track","userId":"inherits","event":"E","timestamp":"2025-01-01T10:00:00Z"},
                  {"type":"track","userId":"own","event":"E","timestamp":"2025-01-01T10:00:00Z","sentAt":"2025-01-01T10:00:01Z",
                   "context":{"campaign":{"source":"own"}}},
                  {"type":"track","userId":"own null","event":"E","timestamp":"2025-01-01T10:00:00Z","sentAt":null,"context":null}
                ]""";
        String batchFields = "\"sentAt\":\"2025-01-01T10:00:05Z\",\"context\":{\"campaign\":{\"source\":\"batch\"},\"library\":{\"name\":\"x\"}}";
        for (String body : List.of("{" + items + "," + batchFields + "}", "{" + batchFields + "," + items + "}")) {
            List<Message> messages = parser.parseBatch(bytes(body), RECEIVED_AT).messages();
            assertThat(messages).extracting(Message::utmSource).containsExactly("batch", "own", null);
            assertThat(messages).extracting(message -> Duration.between(message.timestamp(), RECEIVED_AT))
                    .containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(1),
                            Duration.between(Instant.parse("2025-01-01T10:00:00Z"), RECEIVED_AT));
            assertThat(messages.get(0).context()).isEqualTo("{\"campaign\":{\"source\":\"batch\"},\"library\":{\"name\":\"x\"}}");
            assertThat(messages.get(2).context()).isEqualTo("{}");
            assertSameAsTree(body, null);
        }
        assertSameAsTree("{\"batch\":[{\"type\":\"page\",\"userId\":\"u\"},{\"type\":\"page\",\"userId\":\"v\",\"sentAt\":null}],"
                + "\"sentAt\":12,\"context\":[]}", null);
        assertSameAsTree("{\"context\":null,\"sentAt\":null,\"batch\":[{\"type\":\"page\",\"userId\":\"u\",\"timestamp\":\"2026-03-01T10:00:00Z\"}]}", null);
    }

    @Test
    void propertiesAndContextAreTheTextAsSent() {
        String properties = "{ \"title\" : \"Caf\\u00e9 \\\"中\\\"\",\n  \"nested\": {\"list\": [1, 2.50, {\"x\": null}], \"e\": 1E2},"
                + " \"path\": \"a\\/b\" }";
        String context = "{\"userAgent\":\"Mozilla\\/5.0\", \"page\" : {\"url\":\"https://s.example/\\u4e0a?x=1\"}}";
        String body = "{\"userId\":\"u\",\"event\":\"E\",\"properties\":" + properties + ",\"context\":" + context + "}";
        Message message = single(body, "track");
        assertThat(message.properties()).isEqualTo(properties);
        assertThat(message.context()).isEqualTo(context);
        assertThat(message.url()).isEqualTo("https://s.example/上?x=1");
        assertSameAsTree(body, "track");
        assertSameAsTree("{\"userId\":\"\\u00e9\\ud83d\\ude00 \\t\",\"event\":\"\\u4e0a\\u6d77\\n\"}", "track");
    }

    @Test
    void revenueIsANumberOrANumericStringAndTotalStandsInForIt() {
        assertThat(single("{\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"revenue\":\" 12.5 \"}}", "track").revenue()).isEqualTo(12.5);
        assertThat(single("{\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"revenue\":null,\"total\":\"3\"}}", "track").revenue()).isEqualTo(3.0);
        assertThat(single("{\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"revenue\":1,\"total\":\"bad\"}}", "track").revenue()).isEqualTo(1.0);
        assertThat(single("{\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"revenue\":1E400}}", "track").revenue()).isInfinite();
        for (String revenue : List.of("\"NaN\"", "\"1e3\"", "123456789012345678901234567890", "-0.0", "\"0x1p3\"", "\"\"")) {
            assertSameAsTree("{\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"revenue\":" + revenue + "}}", "track");
        }
    }

    @Test
    void eventTimeIsCorrectedForClockSkewAndFutureTimesAreReceiptTimes() {
        Message skewed = single("{\"userId\":\"u\",\"event\":\"E\",\"timestamp\":\"2025-01-01T10:00:00Z\",\"sentAt\":\"2025-01-01T10:00:05Z\"}", "track");
        assertThat(skewed.timestamp()).isEqualTo(RECEIVED_AT.minusSeconds(5));
        Message future = single("{\"userId\":\"u\",\"event\":\"E\",\"timestamp\":\"2026-03-03T12:00:00Z\"}", "track");
        assertThat(future.timestamp()).isEqualTo(RECEIVED_AT);
        Message original = single("{\"userId\":\"u\",\"event\":\"E\",\"originalTimestamp\":\"2026-03-01T11:00:00.123+01:00\","
                + "\"sentAt\":\"2026-03-01T11:00:00.123+01:00\"}", "track");
        assertThat(original.timestamp()).isEqualTo(RECEIVED_AT);
        assertSameAsTree("{\"userId\":\"u\",\"event\":\"E\",\"timestamp\":\"2026-03-01T10:00:00Z\",\"originalTimestamp\":\"bad\"}", "track");
        assertSameAsTree("{\"userId\":\"u\",\"event\":\"E\",\"timestamp\":\"2025-01-01T10:00:05Z\",\"sentAt\":\"2025-01-01T10:00:00Z\"}", "track");
    }

    @Test
    void utmComesFromTheCampaignBeforeTheQueryOfTheUrl() {
        String body = """
                {"anonymousId":"a","properties":{"url":"  ","referrer":"https://r.example/"},
                 "context":{"campaign":{"source":"wechat","medium":"  ","name":42},
                 "page":{"url":"https://s.example/p?utm_source=q&utm_medium=social&UTM_Campaign=c&fbclid=f&gclid=g#top"}}}""";
        Message message = single(body, "page");
        assertThat(message.url()).isEqualTo("https://s.example/p?utm_source=q&utm_medium=social&UTM_Campaign=c&fbclid=f&gclid=g#top");
        assertThat(message.referrer()).isEqualTo("https://r.example/");
        assertThat(message.utmSource()).isEqualTo("wechat");
        assertThat(message.utmMedium()).isEqualTo("social");
        assertThat(message.utmCampaign()).isEqualTo("42");
        assertThat(message.clickId()).isEqualTo("fbclid");
        assertSameAsTree(body, "page");
        assertSameAsTree("{\"anonymousId\":\"a\",\"properties\":{\"url\":\"https://s.example/?utm_source=q\"},"
                + "\"context\":{\"page\":{\"url\":\"https://other.example/\"},\"campaign\":[1]}}", "page");
    }

    @Test
    void longTextsAreCutToTheirColumns() {
        String body = "{\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"url\":\"https://s.example/" + "p".repeat(3000)
                + "\",\"order_id\":\"" + "o".repeat(300) + "\",\"currency\":\"" + "c".repeat(20) + "\"},"
                + "\"context\":{\"campaign\":{\"name\":\"" + "n".repeat(300) + "\"}}}";
        Message message = single(body, "track");
        assertThat(message.url()).hasSize(2048);
        assertThat(message.orderId()).hasSize(200);
        assertThat(message.currency()).hasSize(16);
        assertThat(message.utmCampaign()).hasSize(200);
        assertSameAsTree(body, "track");
    }

    @Test
    void theSizeRuleMeasuresTheJsonAsTheTreeParserWroteIt() {
        // 40,000 raw bytes of whitespace and escapes that a tree writes in under 31 KB: accepted as before
        String padded = "{\"a\":\"" + "\\u00e9".repeat(5000) + "\"," + " ".repeat(10000) + "\"b\":\"" + "x".repeat(15000) + "\"}";
        Message accepted = single("{\"userId\":\"u\",\"event\":\"E\",\"properties\":" + padded + "}", "track");
        assertThat(accepted.properties()).isEqualTo(padded);
        // around the limit, one byte either way, with the context counted too
        int limit = MessageParser.MAX_MESSAGE_BYTES - 1024;
        String context = "{\"ip\":\"1.2.3.4\"}";
        for (int length = limit - 40; length <= limit - 20; length++) {
            String body = "{\"userId\":\"u\",\"event\":\"E\",\"context\":" + context + ",\"properties\":{\"big\":\"" + "x".repeat(length) + "\"}}";
            assertSameAsTree(body, "track");
        }
        String repeated = "{\"big\":\"" + "x".repeat(20000) + "\",\"big\":\"" + "y".repeat(11000) + "\",\"n\":[1e6,-0,1E400,0.1]}";
        assertSameAsTree("{\"userId\":\"u\",\"event\":\"E\",\"properties\":" + repeated + "}", "track");
    }

    @Test
    void aBodyThatIsNoJsonObjectOrBatchIsMalformed() {
        assertMalformed("{not json", null, Reason.NOT_JSON);
        assertMalformed("{\"userId\":\"u\"} {}", "track", Reason.NOT_JSON);
        assertMalformed("{\"userId\":\"u\"} x", "track", Reason.NOT_JSON);
        assertMalformed("{\"userId\":\"u\",\"junk\":[1,2}", "track", Reason.NOT_JSON);
        assertMalformed("[1,2", "track", Reason.NOT_JSON);
        assertMalformed("{\"batch\":{}, x}", null, Reason.NOT_JSON);
        assertMalformed("[1,2]", "track", Reason.NOT_AN_OBJECT);
        assertMalformed("\"text\"", null, Reason.NOT_AN_OBJECT);
        assertMalformed("null", null, Reason.NOT_AN_OBJECT);
        assertMalformed("", "track", Reason.NOT_AN_OBJECT);
        assertMalformed(" \n", null, Reason.NOT_AN_OBJECT);
        assertMalformed("{\"batch\":{}}", null, Reason.BATCH_NOT_AN_ARRAY);
        assertMalformed("{\"batch\":[],\"batch\":null}", null, Reason.BATCH_NOT_AN_ARRAY);
        assertMalformed("{\"sentAt\":\"2026-03-01T10:00:00Z\"}", null, Reason.BATCH_NOT_AN_ARRAY);
        assertThatThrownBy(() -> parser.parseBatch(bytes("{\"writeKey\":\"wk_1\",\"batch\":5}"), RECEIVED_AT))
                .isInstanceOfSatisfying(MalformedBodyException.class, e -> assertThat(e.writeKey()).isEqualTo("wk_1"))
                .hasMessage("batch must be an array of messages");
        // an invalid UTF-8 byte or a huge number where no field is read still makes the body invalid, as in a tree
        byte[] invalidUtf8 = bytes("{\"userId\":\"u\",\"event\":\"E\",\"junk\":\"xx\"}");
        invalidUtf8[invalidUtf8.length - 4] = (byte) 0xC3;
        assertThat(streaming(invalidUtf8, "track")).isEqualTo(tree(invalidUtf8, "track"));
        assertSameAsTree("{\"userId\":\"u\",\"event\":\"E\",\"junk\":" + "9".repeat(1500) + "}", "track");
    }

    @Test
    void theWriteKeyMayComeInTheBody() {
        assertThat(parser.parseSingle(bytes("{\"writeKey\":\"wk_a\",\"userId\":\"u\",\"event\":\"E\"}"), "track", RECEIVED_AT).writeKey())
                .isEqualTo("wk_a");
        assertThat(parser.parseBatch(bytes("{\"batch\":[],\"writeKey\":\"wk_b\",\"writeKey\":\"wk_c\"}"), RECEIVED_AT))
                .isEqualTo(new Body("wk_c", List.of(), List.of(), 0));
        assertThat(parser.parseBatch(bytes("{\"batch\":[],\"writeKey\":{\"k\":1}}"), RECEIVED_AT).writeKey()).isNull();
    }

    @Test
    void bodiesWithAByteOrderMarkOrInUtf16AreReadAsTheTreeReadsThem() {
        String body = "{\"userId\":\"u\",\"event\":\"E\",\"properties\":{\"city\":\"上海\"}}";
        byte[] marked = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, bytes(body));
        assertThat(single(marked, "track").properties()).isEqualTo("{\"city\":\"上海\"}");
        assertThat(streaming(marked, "track")).isEqualTo(tree(marked, "track"));
        for (Charset charset : List.of(StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE)) {
            byte[] utf16 = body.getBytes(charset);
            assertThat(single(utf16, "track").properties()).isEqualTo("{\"city\":\"上海\"}");
            assertThat(streaming(utf16, "track")).isEqualTo(tree(utf16, "track"));
        }
    }

    @Test
    void aMessageMovesToItsProject() {
        Message message = single("{\"userId\":\"u\",\"event\":\"E\"}", "track");
        assertThat(message.projectId()).isZero();
        Message moved = message.withProject(7);
        assertThat(moved.projectId()).isEqualTo(7);
        assertThat(moved.withProject(0)).isEqualTo(message);
    }

    @Test
    void randomBodiesGiveWhatTheTreeParserGave() {
        RandomBodies bodies = new RandomBodies(new Random(20260301));
        for (int i = 0; i < 2500; i++) {
            String type = TYPES.get(bodies.random.nextInt(TYPES.size()));
            String single = bodies.corrupted(bodies.message(false));
            assertSameAsTree(single, type);
            assertSameAsTree(bodies.corrupted(bodies.batch()), null);
        }
    }

    @Test
    void theScannerMeasuresAnObjectAsTheTreeWritesIt() {
        RandomBodies bodies = new RandomBodies(new Random(42));
        for (int i = 0; i < 3000; i++) {
            String object = switch (i % 3) {
                case 0 -> bodies.properties();
                case 1 -> bodies.context();
                default -> "{\"v\":" + bodies.value(3) + ",\"w\":" + bodies.value(3) + ",\"v\":" + bodies.value(2) + "}";
            };
            assertThat(scannedLength(object)).as(object).isEqualTo(writtenLength(object));
        }
        String manyKeys = "{" + String.join(",", Collections.nCopies(3, "\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,"
                + "\"g\":7,\"h\":8,\"i\":9,\"j\":10,\"k\":\"eleven\"")) + ",\"z\":{\"a\":[-0,1E400,-1E400,1e-400,0.001,1e7]}}";
        assertThat(scannedLength(manyKeys)).isEqualTo(writtenLength(manyKeys));
    }

    /** As MessageParser measured: the tree read from the same UTF-8 bytes, written back. */
    private static long writtenLength(String object) {
        return MessageParser.utf8Length(JSON.writeValueAsString(JSON.readTree(bytes(object))));
    }

    private static long scannedLength(String object) {
        try (JsonParser json = JSON.createParser(bytes(object))) {
            json.nextToken();
            return new ObjectScanner(json, ObjectScanner.Writing.of(JSON)).object(ObjectScanner.Scope.PROPERTIES).compactLength;
        }
    }

    // the tree parser as the tracking controller used it, the oracle for every case

    private Outcome tree(byte[] body, String type) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        }
        catch (JacksonException e) {
            return Outcome.malformed(Reason.NOT_JSON);
        }
        if (root == null || !root.isObject()) {
            return Outcome.malformed(Reason.NOT_AN_OBJECT);
        }
        JsonNode key = root.get("writeKey");
        String writeKey = key != null && key.isString() ? key.stringValue() : null;
        MessageParser old = new MessageParser(JSON);
        List<Message> messages = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        if (type != null) {
            try {
                messages.add(old.parse(0, type, root, RECEIVED_AT));
            }
            catch (InvalidMessageException e) {
                rejected.add(new Rejection(0, e.getMessage()));
            }
            return Outcome.of(body, new Body(writeKey, messages, rejected, 1));
        }
        JsonNode items = root.get("batch");
        if (items == null || !items.isArray()) {
            return Outcome.malformed(Reason.BATCH_NOT_AN_ARRAY);
        }
        for (int index = 0; index < items.size(); index++) {
            try {
                messages.add(old.parse(0, null, withBatchContext(items.get(index), root), RECEIVED_AT));
            }
            catch (InvalidMessageException e) {
                rejected.add(new Rejection(index, e.getMessage()));
            }
        }
        return Outcome.of(body, new Body(writeKey, messages, rejected, items.size()));
    }

    /** As TrackingController: batch-level sentAt and context apply to items that do not carry their own. */
    private static JsonNode withBatchContext(JsonNode item, JsonNode body) {
        if (item == null || !item.isObject()) {
            return item;
        }
        ObjectNode copy = null;
        for (String field : List.of("sentAt", "context")) {
            if (body.has(field) && !item.has(field)) {
                copy = copy == null ? ((ObjectNode) item).deepCopy() : copy;
                copy.set(field, body.get(field));
            }
        }
        return copy == null ? item : copy;
    }

    private Outcome streaming(byte[] body, String type) {
        try {
            Body parsed = type == null ? parser.parseBatch(body, RECEIVED_AT) : parser.parseSingle(body, type, RECEIVED_AT);
            for (Message message : parsed.messages()) {
                assertThat(JSON.readTree(message.properties()).isObject()).isTrue();
                assertThat(JSON.readTree(message.context()).isObject()).isTrue();
            }
            return Outcome.of(body, parsed);
        }
        catch (MalformedBodyException e) {
            return Outcome.malformed(e.reason());
        }
    }

    private void assertSameAsTree(String body, String type) {
        byte[] bytes = bytes(body);
        assertThat(streaming(bytes, type)).as("%s body %s", type == null ? "batch" : type, abbreviated(body)).isEqualTo(tree(bytes, type));
    }

    private void assertMalformed(String body, String type, Reason reason) {
        byte[] bytes = bytes(body);
        assertThat(streaming(bytes, type)).as(body).isEqualTo(Outcome.malformed(reason)).isEqualTo(tree(bytes, type));
    }

    private Message single(String body, String type) {
        return single(bytes(body), type);
    }

    private Message single(byte[] body, String type) {
        Body parsed = parser.parseSingle(body, type, RECEIVED_AT);
        assertThat(parsed.rejected()).isEmpty();
        return parsed.messages().get(0);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private static String abbreviated(String body) {
        return body.length() <= 2000 ? body : body.substring(0, 2000) + "... (" + body.length() + " chars)";
    }

    /**
     * What a body gave, comparable across the two parsers: properties and context as the tree writes
     * them (the streaming parser keeps the text as sent), generated message ids as one placeholder.
     */
    record Outcome(Reason malformed, String writeKey, List<Message> messages, List<Rejection> rejected, int size) {

        static Outcome malformed(Reason reason) {
            return new Outcome(reason, null, List.of(), List.of(), 0);
        }

        static Outcome of(byte[] body, Body parsed) {
            String text = new String(body, StandardCharsets.UTF_8);
            return new Outcome(null, parsed.writeKey(), parsed.messages().stream().map(message -> comparable(message, text)).toList(),
                    parsed.rejected(), parsed.size());
        }

        private static Message comparable(Message message, String body) {
            String messageId = message.messageId();
            if (!body.contains(messageId) && isGenerated(messageId)) {
                messageId = "generated";
            }
            return new Message(message.projectId(), messageId, message.type(), message.event(), message.anonymousId(), message.userId(),
                    message.previousId(), message.groupId(), message.timestamp(), message.receivedAt(), message.url(), message.referrer(),
                    message.utmSource(), message.utmMedium(), message.utmCampaign(), message.clickId(), message.orderId(),
                    message.revenue(), message.currency(), compact(message.properties()), compact(message.context()), message.activity());
        }

        private static boolean isGenerated(String messageId) {
            try {
                return UUID.fromString(messageId).version() == 4;
            }
            catch (IllegalArgumentException e) {
                return false;
            }
        }

        private static String compact(String json) {
            return JSON.writeValueAsString(JSON.readTree(json));
        }
    }

    /** Bodies of valid and invalid fields in random order, spacing and escaping, from a seeded Random. */
    static final class RandomBodies {

        private static final List<String> TEXTS = List.of("u-1", " padded ", "", "  ", "上海", "Café", "emoji 😀", "quote \" and \\ slash /",
                "tab\tnew\nline", "\u0001\u001f", "x".repeat(257), "e".repeat(201), "Order Completed", "https://s.example/?utm_source=a&gclid=1",
                "https://s.example/p?utm_medium=m&utm_campaign=c&bd_vid=9#frag", "https://s.example/?%zz=1&ttclid=t", " 12.5 ", "NaN", "abc",
                "2026-03-01T10:00:00Z", "2026-03-01T10:00:00.123+08:00", "2025-01-01T10:00:05Z", "2026-03-09T10:00:00Z", "2026-03-01T10:00:00",
                "yesterday", "TRACK", "Page", "identify", "group", "alias", "screen", "dance");
        private static final List<String> NUMBERS = List.of("0", "-0", "42", "-7", "2147483648", "9223372036854775808",
                "123456789012345678901234567890", "1.5", "12.50", "1e2", "1E400", "-1.0e-400", "0.1", "1e6", "1e7", "0.001", "-2.5E-3");
        private static final List<String> MESSAGE_FIELDS = List.of("type", "anonymousId", "userId", "messageId", "event", "previousId",
                "groupId", "timestamp", "originalTimestamp", "sentAt", "properties", "traits", "context", "writeKey", "extra");
        private static final List<String> PROPERTY_FIELDS = List.of("url", "referrer", "revenue", "total", "order_id", "orderId", "currency",
                "title", "nested", "list");
        private static final List<String> REQUIRED_FIELDS = List.of("type", "userId", "event", "previousId", "groupId");
        private static final List<String> URLS = List.of("https://s.example/?utm_source=a&gclid=1", "https://s.example/p?utm_medium=m&utm_campaign=c&bd_vid=9#frag",
                "https://s.example/?%zz=1&ttclid=t", "/relative?UTM_SOURCE=Up&msclkid=m", "https://s.example/#?utm_source=no", "  ");

        final Random random;

        RandomBodies(Random random) {
            this.random = random;
        }

        String batch() {
            List<String> fields = new ArrayList<>();
            StringBuilder items = new StringBuilder("[");
            int count = random.nextInt(6);
            for (int i = 0; i < count; i++) {
                items.append(i == 0 ? "" : ",").append(space()).append(random.nextInt(12) == 0 ? value(1) : message(true));
            }
            fields.add(entry("batch", random.nextInt(25) == 0 ? value(1) : items.append(space()).append("]").toString()));
            if (random.nextInt(25) == 0) {
                fields.add(entry("batch", "[" + message(true) + "]"));
            }
            if (random.nextBoolean()) {
                fields.add(entry("sentAt", timestamp()));
            }
            if (random.nextBoolean()) {
                fields.add(entry("context", random.nextInt(10) == 0 ? value(1) : context()));
            }
            if (random.nextInt(3) == 0) {
                fields.add(entry("writeKey", random.nextInt(5) == 0 ? value(1) : "\"wk_" + random.nextInt(100) + "\""));
            }
            if (random.nextInt(4) == 0) {
                fields.add(entry("type", string()));
            }
            return object(fields);
        }

        /** A message; half of them valid in type, ids, event and times, so that the later rules are reached too. */
        String message(boolean batchItem) {
            boolean valid = random.nextBoolean();
            List<String> fields = new ArrayList<>();
            for (String field : MESSAGE_FIELDS) {
                if (random.nextInt(3) == 0 && !(valid && REQUIRED_FIELDS.contains(field))) {
                    continue;
                }
                int repeats = random.nextInt(15) == 0 ? 2 : 1;
                for (int i = 0; i < repeats; i++) {
                    fields.add(entry(field, valid ? validField(field, batchItem) : field(field, batchItem)));
                }
            }
            return object(fields);
        }

        private String field(String field, boolean batchItem) {
            if (random.nextInt(10) == 0) {
                return value(1);
            }
            return switch (field) {
                case "type" -> batchItem ? quoted(List.of("track", "page", "Screen", "IDENTIFY", "group", "alias", "dance").get(random.nextInt(7)))
                        : string();
                case "anonymousId", "userId", "messageId", "previousId", "groupId" -> random.nextInt(4) == 0 ? number() : string();
                case "timestamp", "originalTimestamp", "sentAt" -> timestamp();
                case "properties", "traits" -> properties();
                case "context" -> context();
                default -> string();
            };
        }

        private String validField(String field, boolean batchItem) {
            return switch (field) {
                case "type" -> batchItem ? quoted(List.of("track", "page", "Screen", "IDENTIFY", "group", "alias").get(random.nextInt(6)))
                        : string();
                case "anonymousId", "userId", "previousId", "groupId" -> random.nextInt(4) == 0 ? "" + random.nextInt(1000) : quoted("id-" + random.nextInt(50));
                case "messageId" -> quoted(UUID.randomUUID().toString());
                case "event" -> quoted(List.of("Order Completed", " Signed Up ", "上海 event").get(random.nextInt(3)));
                case "timestamp", "originalTimestamp", "sentAt" -> quoted(TEXTS.get(19 + random.nextInt(4)));
                default -> field(field, batchItem);
            };
        }

        private String timestamp() {
            return random.nextInt(6) == 0 ? value(0) : quoted(TEXTS.get(19 + random.nextInt(6)));
        }

        String properties() {
            if (random.nextInt(20) == 0) {
                return big();
            }
            List<String> fields = new ArrayList<>();
            int count = random.nextInt(7);
            for (int i = 0; i < count; i++) {
                String name = PROPERTY_FIELDS.get(random.nextInt(PROPERTY_FIELDS.size()));
                fields.add(entry(name, name.equals("url") || name.equals("referrer") ? url() : random.nextInt(3) == 0 ? number() : value(2)));
            }
            return object(fields);
        }

        String context() {
            if (random.nextInt(40) == 0) {
                return big();
            }
            List<String> fields = new ArrayList<>();
            int count = random.nextInt(5);
            for (int i = 0; i < count; i++) {
                switch (random.nextInt(5)) {
                    case 0 -> fields.add(entry("page", random.nextInt(8) == 0 ? value(1)
                            : object(List.of(entry("url", url()), entry(random.nextBoolean() ? "referrer" : "title", url())))));
                    case 1 -> fields.add(entry("campaign", random.nextInt(8) == 0 ? value(1) : object(List.of(entry("source", value(0)),
                            entry(random.nextBoolean() ? "medium" : "name", value(0)), entry("name", value(0))))));
                    case 2 -> fields.add(entry("ip", quoted("10.0.0." + random.nextInt(255))));
                    case 3 -> fields.add(entry("library", object(List.of(entry("name", string()), entry("version", number())))));
                    default -> fields.add(entry("userAgent", string()));
                }
            }
            return object(fields);
        }

        /**
         * An object whose written length is near the 32 KB limit, with escapes and spacing that make its raw
         * text longer, so that raw and written lengths fall on either side of the limit.
         */
        private String big() {
            int target = MessageParser.MAX_MESSAGE_BYTES - 1024 - 150 + random.nextInt(150);
            StringBuilder text = new StringBuilder();
            int written = 0;
            while (written < target) {
                switch (random.nextInt(12)) {
                    case 0 -> { text.append("\\u00e9"); written += 2; }
                    case 1 -> { text.append("é"); written += 2; }
                    case 2 -> { text.append("\\/"); written += 1; }
                    case 3 -> { text.append("\\n"); written += 2; }
                    case 4 -> { text.append("中"); written += 3; }
                    default -> { text.append('x'); written += 1; }
                }
            }
            return "{" + space() + "\"big\"" + space() + ":" + space() + "\"" + text + "\"" + space() + "}";
        }

        /** A value of any kind; objects and arrays nest up to {@code depth}. */
        String value(int depth) {
            int kind = random.nextInt(depth > 0 ? 8 : 6);
            return switch (kind) {
                case 0, 1 -> string();
                case 2 -> number();
                case 3 -> random.nextBoolean() ? "true" : "false";
                case 4 -> "null";
                case 5 -> quoted(TEXTS.get(random.nextInt(TEXTS.size())));
                case 6 -> "[" + space() + value(depth - 1) + "," + space() + value(depth - 1) + "]";
                default -> object(List.of(entry("k", value(depth - 1)), entry(random.nextBoolean() ? "k" : "m", value(depth - 1))));
            };
        }

        private String url() {
            return random.nextInt(4) == 0 ? value(1) : quoted(URLS.get(random.nextInt(URLS.size())));
        }

        private String string() {
            return quoted(TEXTS.get(random.nextInt(TEXTS.size())));
        }

        private String number() {
            return NUMBERS.get(random.nextInt(NUMBERS.size()));
        }

        /** A JSON string of the text, each character escaped or not at random where JSON allows both. */
        private String quoted(String text) {
            StringBuilder quoted = new StringBuilder("\"");
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '"' || c == '\\') {
                    quoted.append('\\').append(c);
                }
                else if (c < 0x20 || random.nextInt(20) == 0) {
                    quoted.append(String.format("\\u%04x", (int) c));
                }
                else if (c == '/' && random.nextBoolean()) {
                    quoted.append("\\/");
                }
                else {
                    quoted.append(c);
                }
            }
            return quoted.append('"').toString();
        }

        private String entry(String name, String value) {
            return quoted(name) + space() + ":" + space() + value;
        }

        private String object(List<String> entries) {
            List<String> shuffled = new ArrayList<>(entries);
            Collections.shuffle(shuffled, random);
            return "{" + space() + String.join("," + space(), shuffled) + space() + "}";
        }

        private String space() {
            return switch (random.nextInt(8)) {
                case 0 -> " ";
                case 1 -> "\n  ";
                default -> "";
            };
        }

        /** Mostly the body itself; sometimes cut, extended or not an object, to compare the failures too. */
        String corrupted(String body) {
            return switch (random.nextInt(30)) {
                case 0 -> body.substring(0, random.nextInt(body.length()));
                case 1 -> body + (random.nextBoolean() ? " {}" : " ");
                case 2 -> "[" + body + "]";
                case 3 -> {
                    int at = random.nextInt(body.length());
                    yield body.substring(0, at) + "}" + body.substring(at);
                }
                default -> body;
            };
        }
    }
}
