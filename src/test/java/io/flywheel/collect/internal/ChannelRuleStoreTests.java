package io.flywheel.collect.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.flywheel.collect.ChannelRule;
import io.flywheel.support.Databases;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ChannelRuleStoreTests {

    @ParameterizedTest
    @EnumSource(Databases.class)
    void aProjectUsesDefaultsUntilItHasItsOwnRules(Databases engine) {
        ChannelRuleStore store = new ChannelRuleStore(engine.migrated().jdbc());
        assertThat(store.find(1)).isEmpty();

        List<ChannelRule> rules = List.of(
                new ChannelRule("Partners", ChannelRule.Field.UTM_CAMPAIGN, ChannelRule.Operator.CONTAINS, List.of("partner", "affiliate")),
                new ChannelRule("Anything", ChannelRule.Field.REFERRER_HOST, ChannelRule.Operator.IS_SET, List.of()));
        store.replace(1, rules, "ops", Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(store.find(1)).contains(rules);
        assertThat(store.find(2)).isEmpty();

        store.replace(1, List.of(), "ops", Instant.parse("2026-01-02T00:00:00Z"));
        assertThat(store.find(1)).contains(List.of());
        store.delete(1);
        assertThat(store.find(1)).isEmpty();
    }
}
