package io.flywheel.collect.internal;

import io.flywheel.collect.ChannelRuleBook;
import io.flywheel.events.Event;
import io.flywheel.events.EventStore;
import io.flywheel.events.IngestBatch;
import io.flywheel.events.PersonDeleted;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns durable log entries into stored events, one batch at a time, on a single thread: drops
 * duplicate message ids, resolves persons and channels, and writes events, identity changes and the
 * log position in one transaction.
 */
final class Applier {

    static final String SOURCE = "wal";
    private static final Duration DUPLICATE_WINDOW = Duration.ofDays(2);

    /** What one batch did. */
    record Outcome(int stored, int duplicates) {
    }

    /**
     * A batch ready for the event store: its log entries (to prepare again should storing fail),
     * what to write, and how many duplicates were dropped.
     */
    record Prepared(List<WriteAheadLog.Entry> entries, IngestBatch batch, int duplicates, long number) {

        long lastSequence() {
            return entries.get(entries.size() - 1).sequence();
        }
    }

    private final EventStore store;
    private final ChannelRuleBook channels;
    private final int recentCapacity;
    private Identities identities;
    private RecentMessageIds recent;
    /**
     * The exact message ids of batches prepared but maybe not yet committed, by batch number: a
     * duplicate of one of them would not be found in the store yet.
     */
    private final java.util.ArrayDeque<Map.Entry<Long, List<String>>> unconfirmed = new java.util.ArrayDeque<>();
    private final Set<String> unconfirmedIds = new HashSet<>();
    private long batches;

    Applier(EventStore store, ChannelRuleBook channels, int recentCapacity) {
        this.store = store;
        this.channels = channels;
        this.recentCapacity = recentCapacity;
        reload();
    }

    /** Rebuilds the in-memory state from the store: on start, and after a batch failed half-way. */
    void reload() {
        Identities fresh = new Identities();
        store.identityLinks(fresh::load);
        store.personMerges(fresh::load);
        store.maxPersonIds().forEach(fresh::reserveUpTo);
        fresh.finishLoading();
        RecentMessageIds ids = new RecentMessageIds(recentCapacity);
        store.recentMessageIds(recentCapacity, ids::addAndCheck);
        identities = fresh;
        recent = ids;
        unconfirmed.clear();
        unconfirmedIds.clear();
    }

    /** New persons of the project get ids above {@code personId}. */
    void reserve(long projectId, long personId) {
        identities.reserveUpTo(projectId, personId);
    }

    /** Forgets the ids and persons of a deleted person. */
    void forget(PersonDeleted deleted) {
        identities.forget(deleted);
    }

    /** Prepares and stores one batch on the calling thread. */
    Outcome apply(List<WriteAheadLog.Entry> entries) {
        Prepared prepared = prepare(entries, Long.MAX_VALUE);
        store(prepared);
        return new Outcome(prepared.batch().events().size(), prepared.duplicates());
    }

    /**
     * Decodes the entries, drops duplicates and resolves persons and channels. Batches may be
     * prepared ahead of storing: {@code committed} is the number of the last batch known to be
     * stored, so that duplicates of later ones are recognised without the store.
     */
    Prepared prepare(List<WriteAheadLog.Entry> entries, long committed) {
        while (!unconfirmed.isEmpty() && unconfirmed.peekFirst().getKey() <= committed) {
            // one by one: Set.removeAll(List) asks List.contains for every element of the set when the
            // set is not larger, which is quadratic (it was half of this thread's time under single events)
            for (String id : unconfirmed.pollFirst().getValue()) {
                unconfirmedIds.remove(id);
            }
        }
        List<Message> messages = new ArrayList<>(entries.size());
        for (WriteAheadLog.Entry entry : entries) {
            messages.add(MessageCodec.decode(entry.payload()));
        }
        List<String> freshIds = new ArrayList<>(messages.size());
        List<Message> fresh = withoutDuplicates(messages, freshIds);
        Identities.Changes changes = new Identities.Changes();
        List<Event> events = new ArrayList<>(fresh.size());
        for (Message message : fresh) {
            long person = identities.resolve(message, changes);
            events.add(toEvent(message, person, ChannelRules.resolve(message, channels.rules(message.projectId()))));
        }
        long number = ++batches;
        if (committed != Long.MAX_VALUE) {
            unconfirmed.addLast(Map.entry(number, freshIds));
            unconfirmedIds.addAll(freshIds);
        }
        long position = entries.get(entries.size() - 1).sequence();
        return new Prepared(List.copyOf(entries), new IngestBatch(events, changes.links(), changes.merges(), SOURCE, position),
                messages.size() - fresh.size(), number);
    }

    /** Writes a prepared batch in one transaction: events, identity changes and the log position. */
    void store(Prepared prepared) {
        store.apply(prepared.batch());
    }

    private static String key(Message message) {
        return message.projectId() + ":" + message.messageId();
    }

    /** The messages not seen before, in order; their keys go to {@code keptIds}, in the same order. */
    private List<Message> withoutDuplicates(List<Message> messages, List<String> keptIds) {
        Set<String> inBatch = new HashSet<>();
        List<Message> kept = new ArrayList<>(messages.size());
        Map<Long, List<Message>> suspects = new HashMap<>();
        for (Message message : messages) {
            String id = key(message);
            if (!inBatch.add(id)) {
                continue;
            }
            if (recent.addAndCheck(message.projectId(), message.messageId())) {
                if (unconfirmedIds.contains(id)) {
                    continue;
                }
                suspects.computeIfAbsent(message.projectId(), project -> new ArrayList<>()).add(message);
            }
            kept.add(message);
            keptIds.add(id);
        }
        Set<Message> stored = new HashSet<>();
        suspects.forEach((project, candidates) -> {
            Instant from = candidates.stream().map(Message::timestamp).min(Instant::compareTo).orElseThrow().minus(DUPLICATE_WINDOW);
            Instant to = candidates.stream().map(Message::timestamp).max(Instant::compareTo).orElseThrow().plus(DUPLICATE_WINDOW);
            Set<String> existing = store.existingMessageIds(project, candidates.stream().map(Message::messageId).toList(), from, to);
            candidates.stream().filter(message -> existing.contains(message.messageId())).forEach(stored::add);
        });
        if (stored.isEmpty()) {
            return kept;
        }
        List<Message> unstored = new ArrayList<>(kept.size());
        List<String> unstoredIds = new ArrayList<>(kept.size());
        for (int i = 0; i < kept.size(); i++) {
            if (!stored.contains(kept.get(i))) {
                unstored.add(kept.get(i));
                unstoredIds.add(keptIds.get(i));
            }
        }
        keptIds.clear();
        keptIds.addAll(unstoredIds);
        return unstored;
    }

    private static Event toEvent(Message message, long person, String channel) {
        return new Event(message.projectId(), message.messageId(), message.type(), message.event(), person, message.anonymousId(),
                message.userId(), message.timestamp(), message.receivedAt(), message.url(), message.referrer(), message.utmSource(),
                message.utmMedium(), message.utmCampaign(), channel, message.orderId(), message.revenue(), message.currency(),
                message.properties(), message.context(), message.activity());
    }
}
