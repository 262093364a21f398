package io.flywheel.analytics.web;

import tools.jackson.databind.node.ObjectNode;

/** Small helpers the report forms share for blank fields and optional request fields. */
final class Forms {

    private Forms() {
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    static String orDefault(String value, String fallback) {
        String text = blankToNull(value);
        return text == null ? fallback : text;
    }

    static void putIfPresent(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }
}
