package io.flywheel.analytics.web;

import io.flywheel.analytics.ChannelSpend;
import io.flywheel.analytics.Growth;
import io.flywheel.analytics.GrowthSettings;
import io.flywheel.platform.Access;
import io.flywheel.platform.Capability;
import io.flywheel.platform.Project;
import io.flywheel.shared.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Growth settings", description = "The events behind AARRR and the channel report; marketing spend per channel and month")
class GrowthApiController {

    private final Growth growth;
    private final Access access;

    GrowthApiController(Growth growth, Access access) {
        this.growth = growth;
        this.access = access;
    }

    @GetMapping("/api/v1/projects/{projectId}/growth-settings")
    @Operation(summary = "The sign-up, activation and referral events of a project")
    GrowthSettings settings(@PathVariable long projectId) {
        return growth.settings(access.project(projectId, Capability.READ).id());
    }

    @PutMapping("/api/v1/projects/{projectId}/growth-settings")
    @Operation(summary = "Change the sign-up, activation and referral events")
    GrowthSettings updateSettings(@PathVariable long projectId, @RequestBody GrowthSettings settings) {
        Project project = access.project(projectId, Capability.OPERATE);
        return growth.updateSettings(project.id(), settings, access.current().name());
    }

    /** One row of spend as the API reads and writes it. */
    record SpendRow(String channel, String month, BigDecimal amount) {
    }

    @GetMapping("/api/v1/projects/{projectId}/channel-spend")
    @Operation(summary = "Spend per channel and month", description = "from/to are months like 2026-11 (default: this year).")
    List<SpendRow> spend(@PathVariable long projectId, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to) {
        Project project = access.project(projectId, Capability.READ);
        YearMonth end = to == null ? YearMonth.now(project.timeZone()).withMonth(12) : month(to, "to");
        YearMonth start = from == null ? end.withMonth(1) : month(from, "from");
        return growth.spend(project.id(), start, end).stream()
                .map(row -> new SpendRow(row.channel(), row.month().toString(), row.amount())).toList();
    }

    @PutMapping("/api/v1/projects/{projectId}/channel-spend")
    @Operation(summary = "Set spend per channel and month",
            description = "Body: [{\"channel\":\"SEM\",\"month\":\"2026-11\",\"amount\":12000}]. An amount of 0 removes the entry. "
                    + "Every row is checked before any is written.")
    ResponseEntity<Void> setSpend(@PathVariable long projectId, @RequestBody List<SpendRow> rows) {
        Project project = access.project(projectId, Capability.OPERATE);
        List<ChannelSpend> spend = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            SpendRow row = rows.get(i);
            if (row == null || row.channel() == null || row.amount() == null) {
                throw new InvalidInputException("spend[" + i + "]", "each row needs channel, month and amount");
            }
            spend.add(new ChannelSpend(row.channel(), month(row.month(), "spend[" + i + "].month"), row.amount()));
        }
        growth.setSpend(project.id(), spend, access.current().name());
        return ResponseEntity.noContent().build();
    }

    private static YearMonth month(String text, String field) {
        try {
            return YearMonth.parse(text == null ? "" : text.strip());
        }
        catch (DateTimeParseException e) {
            throw new InvalidInputException(field, field + " must be a month such as 2026-11");
        }
    }
}
