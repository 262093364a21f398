package io.flywheel.demo.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTests {

    @Test
    void escapesWhatJsonRequires() {
        assertThat(Json.quoted("say \"hi\"\\ \n\t\r\b\f \u0001")).isEqualTo("\"say \\\"hi\\\"\\\\ \\n\\t\\r\\b\\f \\u0001\"");
    }

    @Test
    void keepsChineseTextAndSlashes() {
        assertThat(Json.quoted("上海 https://shop.example.com/p/P1001")).isEqualTo("\"上海 https://shop.example.com/p/P1001\"");
    }

    @Test
    void escapesLineSeparatorsThatBreakJavaScript() {
        assertThat(Json.quoted("a\u2028b\u2029")).isEqualTo("\"a\\u2028b\\u2029\"");
    }

    @Test
    void writesMoneyWithTwoDecimals() {
        assertThat(Json.money(new StringBuilder(), 39_850).toString()).isEqualTo("398.50");
        assertThat(Json.money(new StringBuilder(), 7_905).toString()).isEqualTo("79.05");
        assertThat(Json.money(new StringBuilder(), 0).toString()).isEqualTo("0.00");
        assertThat(Json.money(new StringBuilder(), -150).toString()).isEqualTo("-1.50");
    }
}
