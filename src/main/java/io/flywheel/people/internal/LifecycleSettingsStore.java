package io.flywheel.people.internal;

import io.flywheel.events.LifecycleThresholds;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Per-project lifecycle thresholds. */
@Repository
public class LifecycleSettingsStore {

    private final JdbcClient jdbc;

    public LifecycleSettingsStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<LifecycleThresholds> find(long projectId) {
        return jdbc.sql("SELECT new_days, at_risk_days, dormant_days, churned_days FROM lifecycle_settings WHERE project_id = :projectId")
                .param("projectId", projectId)
                .query((row, number) -> new LifecycleThresholds(row.getInt(1), row.getInt(2), row.getInt(3), row.getInt(4)))
                .optional();
    }

    public void save(long projectId, LifecycleThresholds thresholds, String actor, Instant now) {
        int updated = jdbc.sql("""
                        UPDATE lifecycle_settings SET new_days = :newDays, at_risk_days = :atRisk, dormant_days = :dormant,
                        churned_days = :churned, updated_at = :now, updated_by = :actor WHERE project_id = :projectId""")
                .params(parameters(projectId, thresholds, actor, now))
                .update();
        if (updated == 0) {
            jdbc.sql("""
                            INSERT INTO lifecycle_settings (project_id, new_days, at_risk_days, dormant_days, churned_days, updated_at, updated_by)
                            VALUES (:projectId, :newDays, :atRisk, :dormant, :churned, :now, :actor)""")
                    .params(parameters(projectId, thresholds, actor, now))
                    .update();
        }
    }

    private static java.util.Map<String, Object> parameters(long projectId, LifecycleThresholds thresholds, String actor, Instant now) {
        return java.util.Map.of("projectId", projectId, "newDays", thresholds.newDays(), "atRisk", thresholds.atRiskDays(),
                "dormant", thresholds.dormantDays(), "churned", thresholds.churnedDays(), "now", Timestamp.from(now), "actor", actor);
    }
}
