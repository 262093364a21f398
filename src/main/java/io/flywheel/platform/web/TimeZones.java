package io.flywheel.platform.web;

import io.flywheel.shared.InvalidInputException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;

/** Parses and lists IANA time zones for forms and the API. */
final class TimeZones {

    static final List<String> ALL = ZoneId.getAvailableZoneIds().stream()
            .filter(id -> id.contains("/") && !id.startsWith("Etc/") && !id.startsWith("SystemV/"))
            .sorted()
            .toList();

    private TimeZones() {
    }

    static ZoneId parse(String id, ZoneId fallback) {
        if (id == null || id.isBlank()) {
            if (fallback != null) {
                return fallback;
            }
            throw new InvalidInputException("timeZone", "timeZone is required, e.g. Asia/Shanghai");
        }
        try {
            return ZoneId.of(id.strip());
        }
        catch (DateTimeException e) {
            throw new InvalidInputException("timeZone", "timeZone must be an IANA time zone such as Asia/Shanghai or UTC, not '" + id + "'");
        }
    }
}
