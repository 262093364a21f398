package io.flywheel.collect.internal;

import io.flywheel.collect.ChannelRule;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class ChannelRuleStore {

    private final JdbcClient jdbc;

    ChannelRuleStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The project's own rules, or empty when it uses the defaults. */
    Optional<List<ChannelRule>> find(long projectId) {
        boolean customised = jdbc.sql("SELECT COUNT(*) FROM channel_rule_sets WHERE project_id = :projectId")
                .param("projectId", projectId).query(Long.class).single() > 0;
        if (!customised) {
            return Optional.empty();
        }
        return Optional.of(jdbc.sql("""
                        SELECT channel, field, operator, rule_values FROM channel_rules
                        WHERE project_id = :projectId ORDER BY position""")
                .param("projectId", projectId)
                .query((row, number) -> new ChannelRule(
                        row.getString("channel"),
                        ChannelRule.Field.valueOf(row.getString("field")),
                        ChannelRule.Operator.valueOf(row.getString("operator")),
                        Arrays.asList(row.getString("rule_values").split(","))))
                .list());
    }

    void replace(long projectId, List<ChannelRule> rules, String actor, Instant now) {
        delete(projectId);
        jdbc.sql("INSERT INTO channel_rule_sets (project_id, updated_at, updated_by) VALUES (:projectId, :now, :actor)")
                .param("projectId", projectId)
                .param("now", Timestamp.from(now))
                .param("actor", actor)
                .update();
        for (int position = 0; position < rules.size(); position++) {
            ChannelRule rule = rules.get(position);
            jdbc.sql("""
                    INSERT INTO channel_rules (project_id, position, channel, field, operator, rule_values)
                    VALUES (:projectId, :position, :channel, :field, :operator, :values)""")
                    .param("projectId", projectId)
                    .param("position", position)
                    .param("channel", rule.channel())
                    .param("field", rule.field().name())
                    .param("operator", rule.operator().name())
                    .param("values", String.join(",", rule.values()))
                    .update();
        }
    }

    void delete(long projectId) {
        jdbc.sql("DELETE FROM channel_rules WHERE project_id = :projectId").param("projectId", projectId).update();
        jdbc.sql("DELETE FROM channel_rule_sets WHERE project_id = :projectId").param("projectId", projectId).update();
    }
}
