package io.flywheel.analytics.internal;

import io.flywheel.analytics.GrowthSettings;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class GrowthSettingsStore {

    private final JdbcClient jdbc;

    public GrowthSettingsStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<GrowthSettings> find(long projectId) {
        return jdbc.sql("SELECT signup_event, activation_event, referral_event FROM analytics_settings WHERE project_id = :projectId")
                .param("projectId", projectId)
                .query((row, number) -> new GrowthSettings(row.getString(1), row.getString(2), row.getString(3)))
                .optional();
    }

    public void save(long projectId, GrowthSettings settings, String actor, Instant now) {
        int updated = jdbc.sql("""
                        UPDATE analytics_settings SET signup_event = :signUp, activation_event = :activation, referral_event = :referral,
                        updated_at = :now, updated_by = :actor WHERE project_id = :projectId""")
                .param("signUp", settings.signUpEvent())
                .param("activation", settings.activationEvent())
                .param("referral", settings.referralEvent())
                .param("now", Timestamp.from(now))
                .param("actor", actor)
                .param("projectId", projectId)
                .update();
        if (updated == 0) {
            jdbc.sql("""
                            INSERT INTO analytics_settings (project_id, signup_event, activation_event, referral_event, updated_at, updated_by)
                            VALUES (:projectId, :signUp, :activation, :referral, :now, :actor)""")
                    .param("projectId", projectId)
                    .param("signUp", settings.signUpEvent())
                    .param("activation", settings.activationEvent())
                    .param("referral", settings.referralEvent())
                    .param("now", Timestamp.from(now))
                    .param("actor", actor)
                    .update();
        }
    }
}
