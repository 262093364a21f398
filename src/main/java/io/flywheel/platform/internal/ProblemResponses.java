package io.flywheel.platform.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Writes RFC 9457 problem details from filters, where no controller advice runs. */
final class ProblemResponses {

    static final String TYPE_PREFIX = "urn:flywheel:problem:";

    private ProblemResponses() {
    }

    static void write(HttpServletResponse response, int status, String type, String title, String detail) throws IOException {
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        if (status == 401) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"Flywheel\", Bearer");
        }
        response.getWriter().write("{\"type\":\"" + TYPE_PREFIX + type + "\",\"title\":\"" + escape(title)
                + "\",\"status\":" + status + ",\"detail\":\"" + escape(detail) + "\"}");
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    }
                    else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
