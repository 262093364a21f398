package io.flywheel.events.internal;

import io.flywheel.events.Breakdown;
import io.flywheel.events.Event;
import io.flywheel.events.PersonActivity;
import io.flywheel.events.PersonQuery;
import io.flywheel.events.PersonSummary;
import io.flywheel.events.QueryControl;
import io.flywheel.shared.Page;
import io.flywheel.shared.PageRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads persons for the person list and the profile page: the list of merged persons, a person's
 * events and what the person did. Each call reads one snapshot, so a merge committed in between
 * cannot split an answer; every user value travels as a parameter.
 */
final class DuckDbPersons {

    /**
     * The common table expression {@code members}: every raw person row of the project with its
     * {@code root}. The one parameter is the project. Person sets build their conditions on it too.
     */
    static final String MEMBERS = """
            members AS (
                SELECT p.person_id, p.first_seen, p.last_seen, p.event_count, p.user_id, p.traits, p.traits_updated_at,
                       p.first_touch_channel, p.first_touch_at, p.last_touch_channel, p.last_touch_at,
                       coalesce(m.root_id, p.person_id) AS root
                FROM %s p
                LEFT JOIN person_merges m ON m.project_id = p.project_id AND m.person_id = p.person_id
                WHERE p.project_id = ?
            )""".formatted(DuckDbEventStore.PERSONS_NOW);

    /**
     * Every root of the project with its merged persons' rows combined by the rules of
     * {@link DuckDbEventStore#person}: seen times and counts over all, the root's userId or else the
     * most recently seen one, traits in the order of their last identify (the root last on a tie),
     * the channel of the earliest touch. The one parameter is the project.
     */
    private static final String ROOTS = """
            WITH %s, roots AS (
                SELECT root AS person_id, min(first_seen) AS first_seen, max(last_seen) AS last_seen, sum(event_count) AS events,
                       coalesce(max(user_id) FILTER (person_id = root), arg_max(user_id, last_seen)) AS user_id,
                       CAST(list_reduce(list_prepend('{}', list(traits ORDER BY traits_updated_at NULLS FIRST, person_id = root)),
                                        (traits, patch) -> json_merge_patch(traits, patch)) AS VARCHAR) AS traits,
                       arg_min(first_touch_channel, first_touch_at) FILTER (first_touch_at IS NOT NULL) AS channel
                FROM members
                GROUP BY root
            )
            """.formatted(DuckDbPersons.MEMBERS);

    private final DuckDbEventStore store;

    DuckDbPersons(DuckDbEventStore store) {
        this.store = store;
    }

    Page<PersonSummary> search(long projectId, PersonQuery query, PageRequest page) {
        return search(projectId, query, page, null);
    }

    /**
     * Like {@link #search(long, PersonQuery, PageRequest)}, only among the persons of a restriction:
     * common table expressions that follow {@code members} (each starting with a comma) and the name
     * of the one holding the persons in its column {@code person}; null for everyone.
     */
    Page<PersonSummary> search(long projectId, PersonQuery query, PageRequest page, Restriction restriction) {
        Sql list = select(projectId, restriction)
                .append("SELECT person_id, epoch_us(first_seen), epoch_us(last_seen), events, user_id, channel, traits FROM roots WHERE TRUE");
        restrict(list, restriction);
        conditions(list, projectId, query);
        String direction = query.ascending() ? " ASC" : " DESC";
        String column = switch (query.sort()) {
            case LAST_SEEN -> "last_seen";
            case FIRST_SEEN -> "first_seen";
            case EVENTS -> "events";
        };
        // persons never seen (only imported) have no seen times and come last in either direction
        list.append(" ORDER BY " + column + direction + " NULLS LAST, person_id" + direction + " LIMIT ? OFFSET ?", page.size(), page.offset());
        Sql count = select(projectId, restriction).append("SELECT count(*) FROM roots WHERE TRUE");
        restrict(count, restriction);
        conditions(count, projectId, query);
        try (Connection connection = store.reader()) {
            connection.setAutoCommit(false);
            List<PersonSummary> persons = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(list.text())) {
                list.bind(statement);
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        persons.add(summary(row));
                    }
                }
            }
            long total = count(connection, count);
            connection.commit();
            return new Page<>(persons, page.page(), page.size(), total);
        }
        catch (SQLException e) {
            throw new EventStoreException("searching persons failed: " + e.getMessage(), e);
        }
    }

    /** A restriction of a person list; see {@link #search(long, PersonQuery, PageRequest, Restriction)}. */
    record Restriction(Sql expressions, String name) {
    }

    private static Sql select(long projectId, Restriction restriction) {
        Sql sql = new Sql().append(ROOTS, projectId);
        if (restriction != null) {
            sql.include(restriction.expressions());
        }
        return sql.append(" ");
    }

    private static void restrict(Sql sql, Restriction restriction) {
        if (restriction != null) {
            sql.append(" AND person_id IN (SELECT person FROM " + restriction.name() + ")");
        }
    }

    /** Every person of a list in person id order, as {@link #search} reads them. */
    void each(long projectId, Restriction restriction, java.util.function.Consumer<PersonSummary> consumer, QueryControl control) {
        Sql list = select(projectId, restriction)
                .append("SELECT person_id, epoch_us(first_seen), epoch_us(last_seen), events, user_id, channel, traits FROM roots WHERE TRUE");
        restrict(list, restriction);
        list.append(" ORDER BY person_id");
        DuckDbEventAnalytics.run(store, list, control, row -> {
            while (row.next()) {
                consumer.accept(summary(row));
            }
            return null;
        });
    }

    private static PersonSummary summary(ResultSet row) throws SQLException {
        return new PersonSummary(row.getLong(1), DuckDbEventStore.nullableInstant(row, 2), DuckDbEventStore.nullableInstant(row, 3),
                row.getLong(4), row.getString(5), row.getString(6), row.getString(7));
    }

    /** Appends the query's filters to a statement over {@code roots}. */
    private static void conditions(Sql sql, long projectId, PersonQuery query) {
        if (query.text() != null) {
            String text = query.text().toLowerCase(Locale.ROOT);
            sql.append(" AND (contains(lower(user_id), ?)", text)
                    .append(" OR contains(lower(CAST(json_extract_string(traits, '$.*') AS VARCHAR)), ?)", text)
                    .append(" OR person_id IN (SELECT coalesce(m.root_id, i.person_id) FROM identities i")
                    .append(" LEFT JOIN person_merges m ON m.project_id = i.project_id AND m.person_id = i.person_id")
                    .append(" WHERE i.project_id = ? AND contains(lower(i.distinct_id), ?))", projectId, text)
                    .append(" OR person_id IN (SELECT " + Sql.PERSON + " FROM events e " + Sql.MERGES)
                    .append(" WHERE e.project_id = ? AND (contains(lower(e.anonymous_id), ?) OR contains(lower(e.user_id), ?)))",
                            projectId, text, text);
            Long id = number(query.text());
            if (id != null) {
                sql.append(" OR person_id = coalesce((SELECT root_id FROM person_merges WHERE project_id = ? AND person_id = ?), ?)",
                        projectId, id, id);
            }
            sql.append(")");
        }
        if (query.channel() != null) {
            if (query.channel().equals(Breakdown.NONE)) {
                sql.append(" AND channel IS NULL");
            }
            else {
                sql.append(" AND channel = ?", query.channel());
            }
        }
        if (query.traitKey() != null) {
            // the key cannot close the quoted path: PersonQuery allows no quotes or backslashes in it
            sql.append(" AND json_extract_string(traits, ?) = ?", "$.\"" + query.traitKey() + "\"", query.traitValue());
        }
    }

    private static Long number(String text) {
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Long.parseLong(text);
    }

    Page<Event> events(long projectId, long personId, String event, Instant from, Instant to, PageRequest page) {
        try (Connection connection = store.reader()) {
            connection.setAutoCommit(false);
            List<Long> members = DuckDbEventStore.members(connection, projectId, personId);
            Sql where = new Sql().append(" FROM events WHERE project_id = ? AND person_id IN (" + Sql.placeholders(members.size()) + ")",
                    projectId);
            for (long member : members) {
                where.parameterValue(member);
            }
            if (event != null) {
                where.append(" AND event = ?", event);
            }
            if (from != null) {
                where.append(" AND ts >= ?", from);
            }
            if (to != null) {
                where.append(" AND ts < ?", to);
            }
            Sql list = new Sql().append("SELECT " + DuckDbEventStore.EVENT_COLUMNS).include(where)
                    .append(" ORDER BY ts DESC, received_at DESC, message_id LIMIT ? OFFSET ?", page.size(), page.offset());
            List<Event> events = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(list.text())) {
                list.bind(statement);
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        events.add(DuckDbEventStore.event(row));
                    }
                }
            }
            long total = count(connection, new Sql().append("SELECT count(*)").include(where));
            connection.commit();
            return new Page<>(events, page.page(), page.size(), total);
        }
        catch (SQLException e) {
            throw new EventStoreException("reading a person's events failed: " + e.getMessage(), e);
        }
    }

    PersonActivity activity(long projectId, long personId) {
        try (Connection connection = store.reader()) {
            connection.setAutoCommit(false);
            List<Long> members = DuckDbEventStore.members(connection, projectId, personId);
            String in = Sql.placeholders(members.size());
            String refundedOrders = "(SELECT DISTINCT order_id FROM events WHERE project_id = ? AND event = 'Order Refunded' AND order_id IS NOT NULL)";
            Sql orders = new Sql().append("SELECT count(*) FILTER (event = 'Order Completed'), "
                            + "count(*) FILTER (event = 'Order Completed' AND order_id IN " + refundedOrders + "), "
                            + "coalesce(sum(revenue) FILTER (event = 'Order Completed' AND (order_id IS NULL OR order_id NOT IN " + refundedOrders
                            + ")), 0), epoch_us(max(ts) FILTER (event = 'Order Completed')) "
                            + "FROM events WHERE project_id = ? AND person_id IN (" + in + ")", projectId, projectId, projectId);
            members.forEach(orders::parameterValue);
            Sql sessions = new Sql().append("SELECT count(*) FILTER (before IS NULL OR before >= 1800000000) FROM ("
                    + "SELECT epoch_us(ts) - lag(epoch_us(ts)) OVER (ORDER BY ts) AS before "
                    + "FROM events WHERE project_id = ? AND person_id IN (" + in + "))", projectId);
            members.forEach(sessions::parameterValue);
            long orderCount;
            long refunded;
            double revenue;
            Instant lastOrderAt;
            try (PreparedStatement statement = connection.prepareStatement(orders.text())) {
                orders.bind(statement);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    orderCount = row.getLong(1);
                    refunded = row.getLong(2);
                    revenue = row.getDouble(3);
                    long lastOrder = row.getLong(4);
                    lastOrderAt = row.wasNull() ? null : DuckDbEventStore.instant(lastOrder);
                }
            }
            PersonActivity activity = new PersonActivity(count(connection, sessions), orderCount, refunded, revenue, lastOrderAt);
            connection.commit();
            return activity;
        }
        catch (SQLException e) {
            throw new EventStoreException("reading a person's activity failed: " + e.getMessage(), e);
        }
    }

    private static long count(Connection connection, Sql sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql.text())) {
            sql.bind(statement);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }
}
