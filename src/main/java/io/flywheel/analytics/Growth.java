package io.flywheel.analytics;

import io.flywheel.analytics.internal.ChannelSpendStore;
import io.flywheel.analytics.internal.GrowthSettingsStore;
import io.flywheel.analytics.internal.QueryCache;
import io.flywheel.platform.AuditLog;
import io.flywheel.shared.InvalidInputException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.YearMonth;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** A project's growth settings (the events behind AARRR) and its marketing spend per channel and month. */
@Service
public class Growth {

    public static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000000");

    private final GrowthSettingsStore settings;
    private final ChannelSpendStore spend;
    private final AuditLog audit;
    private final Clock clock;
    private final QueryCache cache;

    public Growth(GrowthSettingsStore settings, ChannelSpendStore spend, AuditLog audit, Clock clock, QueryCache cache) {
        this.cache = cache;
        this.settings = settings;
        this.spend = spend;
        this.audit = audit;
        this.clock = clock;
    }

    public GrowthSettings settings(long projectId) {
        return settings.find(projectId).orElse(GrowthSettings.DEFAULTS);
    }

    @Transactional
    public GrowthSettings updateSettings(long projectId, GrowthSettings changed, String actor) {
        GrowthSettings checked = new GrowthSettings(event(changed.signUpEvent(), "signUpEvent"),
                event(changed.activationEvent(), "activationEvent"), event(changed.referralEvent(), "referralEvent"));
        settings.save(projectId, checked, actor, clock.instant());
        cache.evictProject(projectId);
        audit.record(actor, projectId, "analytics.settings.updated", "project:" + projectId,
                "sign-up=" + checked.signUpEvent() + ", activation=" + checked.activationEvent() + ", referral=" + checked.referralEvent());
        return checked;
    }

    public List<ChannelSpend> spend(long projectId, YearMonth from, YearMonth to) {
        if (to.isBefore(from)) {
            throw new InvalidInputException("to", "to is before from");
        }
        return spend.between(projectId, from, to);
    }

    /** Sets the given months' spend (zero removes an entry); all rows are checked before any is written. */
    @Transactional
    public void setSpend(long projectId, List<ChannelSpend> rows, String actor) {
        if (rows.isEmpty() || rows.size() > 500) {
            throw new InvalidInputException("spend", "send 1 to 500 rows");
        }
        for (int i = 0; i < rows.size(); i++) {
            ChannelSpend row = rows.get(i);
            if (row.channel().isBlank() || row.channel().length() > 64) {
                throw new InvalidInputException("spend[" + i + "].channel", "channel must be 1 to 64 characters");
            }
            if (row.amount().signum() < 0 || row.amount().compareTo(MAX_AMOUNT) >= 0 || row.amount().scale() > 2) {
                throw new InvalidInputException("spend[" + i + "].amount", "amount must be between 0 and 10^12 with at most 2 decimals");
            }
            if (row.month().getYear() < 2000 || row.month().getYear() > 2100) {
                throw new InvalidInputException("spend[" + i + "].month", "month must be between 2000 and 2100");
            }
        }
        cache.evictProject(projectId);
        for (ChannelSpend row : rows) {
            spend.save(projectId, new ChannelSpend(row.channel().strip(), row.month(), row.amount()), actor, clock.instant());
            audit.record(actor, projectId, "analytics.spend.set", "channel:" + row.channel().strip(),
                    row.month() + " = " + row.amount().toPlainString());
        }
    }

    private static String event(String name, String field) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new InvalidInputException(field, field + " must be an event name of 1 to 200 characters");
        }
        return name.strip();
    }
}
