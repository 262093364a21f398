package io.flywheel.events;

import io.flywheel.shared.Page;
import io.flywheel.shared.PageRequest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Stores and reads events. Implementations are engine specific (DuckDB embedded, ClickHouse in
 * production); callers never see the engine. Along with the events, every write keeps each
 * person's profile (first and last seen, traits, first and last touch) up to date in the same
 * transaction, whichever path the events take. Profile data ({@link Event#activity()} false) is
 * written to the profile only: it is no event that any read or report returns or counts.
 */
public interface EventStore {

    /** Appends events; when this returns normally the events are durable. */
    void append(List<Event> events);

    /**
     * Applies an ingestion batch atomically: all of it is stored with the source position, or none.
     */
    void apply(IngestBatch batch);

    /** The last position applied from a source, or -1 when nothing was. */
    long position(String source);

    /**
     * Which of the given message ids a project already stored among events with timestamps in
     * {@code [from, to)} or, whenever applied, as profile data ({@link Event#activity()} false);
     * used to confirm suspected duplicates exactly.
     */
    Set<String> existingMessageIds(long projectId, Collection<String> messageIds, Instant from, Instant to);

    /** Calls back with (projectId, messageId) of the most recently received events and profile data, newest first. */
    void recentMessageIds(int limit, MessageIdConsumer consumer);

    /** Every identity link of every project, to rebuild the identity map on start. */
    void identityLinks(Consumer<IdentityLink> consumer);

    /** The highest person id used by any event or profile, per project. */
    Map<Long, Long> maxPersonIds();

    /** Every person merge of every project, oldest first. */
    void personMerges(Consumer<PersonMerge> consumer);

    /** Receives one stored message id. */
    @FunctionalInterface
    interface MessageIdConsumer {
        void accept(long projectId, String messageId);
    }

    /** The most recently received events of a project, newest first (the live debugger view). */
    List<Event> latest(long projectId, int limit);

    /** Number of events stored for a project. */
    long count(long projectId);

    /**
     * Events and active persons per day for the inclusive day range, days taken in {@code zone}.
     * Days without events are present with zero counts.
     */
    List<DailyActivity> dailyActivity(long projectId, ZoneId zone, LocalDate from, LocalDate to);

    /**
     * The profile of a person, combined with every person merged into the same root; asking for a
     * merged person answers its root's profile. Empty when the project has no such person.
     */
    Optional<PersonProfile> person(long projectId, long personId);

    /**
     * A page of a project's persons (merged identities, each listed once as its root) that match
     * the query, in its order, with the number of all that match.
     */
    Page<PersonSummary> persons(long projectId, PersonQuery query, PageRequest page);

    /**
     * A page of the events of a person and of every person merged with it, newest first; optionally
     * only those named {@code event} and those with timestamps in {@code [from, to)} (either may be
     * null). An unknown person has no events.
     */
    Page<Event> personEvents(long projectId, long personId, String event, Instant from, Instant to, PageRequest page);

    /** Sessions, orders and revenue of a person and every person merged with it. */
    PersonActivity personActivity(long projectId, long personId);

    /**
     * Applies a JSON merge patch (RFC 7396) to a person's traits, as an identify call at {@code at}
     * would: the root's traits take the patch and count as updated at {@code at}. A trait the patch
     * removes (null) is removed from every person merged with the root too, so that it does not
     * come back from them. Runs in one transaction.
     *
     * @param patch a JSON object text
     * @return false when the project has no such person
     */
    boolean updateTraits(long projectId, long personId, String patch, Instant at);

    /**
     * Removes a person and every person merged with it: their events, identity links, merges and
     * profiles, in one transaction. Empty when the project has no such person.
     */
    Optional<PersonDeleted> deletePerson(long projectId, long personId);

    /** Removes every event, identity link, merge and person profile of a project. */
    void deleteProject(long projectId);
}
