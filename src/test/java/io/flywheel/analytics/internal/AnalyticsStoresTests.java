package io.flywheel.analytics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.analytics.ChannelSpend;
import io.flywheel.analytics.GrowthSettings;
import io.flywheel.events.Scope;
import io.flywheel.support.Databases;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The analytics module's stores and migration, on H2 and on PostgreSQL. */
class AnalyticsStoresTests {

    private static final Instant NOW = Instant.parse("2026-06-01T08:30:00Z");

    @ParameterizedTest
    @EnumSource(Databases.class)
    void growthSettingsAreInsertedThenUpdated(Databases engine) {
        GrowthSettingsStore store = new GrowthSettingsStore(engine.migrated().jdbc());
        assertThat(store.find(1)).isEmpty();

        store.save(1, new GrowthSettings("Registered", "Cart Added", "Invite Sent"), "ana", NOW);
        store.save(1, new GrowthSettings("Registered", "Checkout Started", "Invite Sent"), "bo", NOW);
        store.save(2, GrowthSettings.DEFAULTS, "ana", NOW);

        assertThat(store.find(1)).contains(new GrowthSettings("Registered", "Checkout Started", "Invite Sent"));
        assertThat(store.find(2)).contains(GrowthSettings.DEFAULTS);
    }

    @ParameterizedTest
    @EnumSource(Databases.class)
    void spendIsKeptPerChannelAndMonthAndZeroRemovesIt(Databases engine) {
        ChannelSpendStore store = new ChannelSpendStore(engine.migrated().jdbc());
        store.save(1, new ChannelSpend("SEM", YearMonth.of(2026, 10), new BigDecimal("1000.50")), "ana", NOW);
        store.save(1, new ChannelSpend("SEM", YearMonth.of(2026, 11), new BigDecimal("2000")), "ana", NOW);
        store.save(1, new ChannelSpend("抖音", YearMonth.of(2026, 11), new BigDecimal("300")), "ana", NOW);
        store.save(1, new ChannelSpend("SEM", YearMonth.of(2026, 11), new BigDecimal("2500")), "bo", NOW);
        store.save(2, new ChannelSpend("SEM", YearMonth.of(2026, 11), new BigDecimal("9")), "ana", NOW);

        List<ChannelSpend> spend = store.between(1, YearMonth.of(2026, 11), YearMonth.of(2026, 12));
        assertThat(spend).extracting(ChannelSpend::channel).containsExactly("SEM", "抖音");
        assertThat(spend.get(0).amount()).isEqualByComparingTo("2500");
        assertThat(store.between(1, YearMonth.of(2026, 1), YearMonth.of(2026, 12))).hasSize(3);

        store.save(1, new ChannelSpend("抖音", YearMonth.of(2026, 11), BigDecimal.ZERO), "bo", NOW);
        assertThat(store.between(1, YearMonth.of(2026, 11), YearMonth.of(2026, 11))).extracting(ChannelSpend::channel).containsExactly("SEM");
    }

    @Test
    void spendIsSpreadOverTheDaysOfItsMonth() {
        Scope scope = new Scope(1, ZoneId.of("UTC"), LocalDate.parse("2026-10-17"), LocalDate.parse("2026-11-15"));
        Map<String, Double> spend = Answers.prorate(scope, List.of(
                new ChannelSpend("SEM", YearMonth.of(2026, 10), new BigDecimal("3100")),   // 15 of 31 days
                new ChannelSpend("SEM", YearMonth.of(2026, 11), new BigDecimal("3000")),   // 15 of 30 days
                new ChannelSpend("SEO", YearMonth.of(2026, 12), new BigDecimal("999"))));  // outside
        assertThat(spend).containsExactly(Map.entry("SEM", 1500.0 + 1500.0));
    }
}
