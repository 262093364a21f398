package io.flywheel.demo.internal;

/**
 * Hand-built JSON text. The events carry small objects whose shape is known, so writing them
 * directly is both simple and far faster than a general JSON library.
 */
final class Json {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {
    }

    /** Appends {@code value} as a JSON string literal, quotes included. */
    static StringBuilder string(StringBuilder target, String value) {
        target.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> target.append("\\\"");
                case '\\' -> target.append("\\\\");
                case '\n' -> target.append("\\n");
                case '\r' -> target.append("\\r");
                case '\t' -> target.append("\\t");
                case '\b' -> target.append("\\b");
                case '\f' -> target.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        target.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF])
                                .append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
                    }
                    else {
                        target.append(c);
                    }
                }
            }
        }
        return target.append('"');
    }

    static String quoted(String value) {
        return string(new StringBuilder(value.length() + 2), value).toString();
    }

    /** {@code "name":"value"} */
    static StringBuilder field(StringBuilder target, String name, String value) {
        return string(string(target, name).append(':'), value);
    }

    /** An amount of money in cents as a JSON number with two decimals, e.g. {@code 398.50}. */
    static StringBuilder money(StringBuilder target, long cents) {
        if (cents < 0) {
            target.append('-');
        }
        long absolute = Math.abs(cents);
        target.append(absolute / 100).append('.');
        long fraction = absolute % 100;
        if (fraction < 10) {
            target.append('0');
        }
        return target.append(fraction);
    }
}
