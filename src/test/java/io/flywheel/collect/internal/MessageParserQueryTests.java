package io.flywheel.collect.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageParserQueryTests {

    @Test
    void readsTheQueryBetweenQuestionMarkAndFragment() {
        assertThat(MessageParser.query("https://shop.example.com/p?utm_source=WeChat&UTM_Medium=social%20post#top"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("utm_source", "WeChat", "utm_medium", "social post"));
        assertThat(MessageParser.query("https://shop.example.com/p#a?b=c")).isEmpty();
        assertThat(MessageParser.query("https://shop.example.com/p")).isEmpty();
        assertThat(MessageParser.query("https://shop.example.com/p?")).isEmpty();
        assertThat(MessageParser.query(null)).isEmpty();
        assertThat(MessageParser.query("not a url ?gclid=abc&x")).containsExactlyInAnyOrderEntriesOf(Map.of("gclid", "abc", "x", ""));
        assertThat(MessageParser.query("/p?a=%E4%B8%8A%E6%B5%B7&a=second&bad=%zz")).containsEntry("a", "上海").doesNotContainKey("bad");
    }
}
