package io.flywheel.analytics;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.YearMonth;

/** Marketing spend on one channel in one month, in the project's currency. */
public record ChannelSpend(String channel, YearMonth month, BigDecimal amount) {

    public ChannelSpend {
        requireNonNull(channel, "channel is null");
        requireNonNull(month, "month is null");
        requireNonNull(amount, "amount is null");
    }
}
