package io.flywheel.analytics.internal;

import io.flywheel.analytics.ChannelSpend;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class ChannelSpendStore {

    private final JdbcClient jdbc;

    public ChannelSpendStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Spend of the months {@code from} to {@code to} inclusive, by month then channel. */
    public List<ChannelSpend> between(long projectId, YearMonth from, YearMonth to) {
        return jdbc.sql("""
                        SELECT channel, spend_month, amount FROM channel_spend
                        WHERE project_id = :projectId AND spend_month >= :from AND spend_month <= :to ORDER BY spend_month, channel""")
                .param("projectId", projectId)
                .param("from", Date.valueOf(from.atDay(1)))
                .param("to", Date.valueOf(to.atDay(1)))
                .query((row, number) -> new ChannelSpend(row.getString(1), YearMonth.from(row.getDate(2).toLocalDate()), row.getBigDecimal(3)))
                .list();
    }

    /** Sets one month's spend on a channel; a zero amount removes it. */
    public void save(long projectId, ChannelSpend spend, String actor, Instant now) {
        jdbc.sql("DELETE FROM channel_spend WHERE project_id = :projectId AND channel = :channel AND spend_month = :month")
                .param("projectId", projectId)
                .param("channel", spend.channel())
                .param("month", Date.valueOf(spend.month().atDay(1)))
                .update();
        if (spend.amount().signum() == 0) {
            return;
        }
        jdbc.sql("""
                        INSERT INTO channel_spend (project_id, channel, spend_month, amount, updated_at, updated_by)
                        VALUES (:projectId, :channel, :month, :amount, :now, :actor)""")
                .param("projectId", projectId)
                .param("channel", spend.channel())
                .param("month", Date.valueOf(spend.month().atDay(1)))
                .param("amount", spend.amount())
                .param("now", Timestamp.from(now))
                .param("actor", actor)
                .update();
    }
}
