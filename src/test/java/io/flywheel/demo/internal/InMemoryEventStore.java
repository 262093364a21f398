package io.flywheel.demo.internal;

import io.flywheel.events.DailyActivity;
import io.flywheel.events.Event;
import io.flywheel.events.EventStore;
import io.flywheel.events.IdentityLink;
import io.flywheel.events.IngestBatch;
import io.flywheel.events.PersonActivity;
import io.flywheel.events.PersonDeleted;
import io.flywheel.events.PersonMerge;
import io.flywheel.events.PersonProfile;
import io.flywheel.events.PersonQuery;
import io.flywheel.events.PersonSummary;
import io.flywheel.shared.Page;
import io.flywheel.shared.PageRequest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** An event store in lists; it can be told to fail on the n-th write. */
final class InMemoryEventStore implements EventStore {

    final List<Event> events = new ArrayList<>();
    final List<IdentityLink> links = new ArrayList<>();
    final Map<String, Long> positions = new HashMap<>();
    int writes;
    int failOnWrite = -1;

    @Override
    public synchronized void append(List<Event> batch) {
        write();
        events.addAll(batch);
    }

    @Override
    public synchronized void apply(IngestBatch batch) {
        write();
        events.addAll(batch.events());
        links.addAll(batch.links());
        positions.put(batch.source(), batch.position());
    }

    private void write() {
        writes++;
        if (writes == failOnWrite) {
            throw new IllegalStateException("disk full");
        }
    }

    @Override
    public synchronized long position(String source) {
        return positions.getOrDefault(source, -1L);
    }

    @Override
    public synchronized long count(long projectId) {
        return events.stream().filter(event -> event.projectId() == projectId).count();
    }

    @Override
    public synchronized void deleteProject(long projectId) {
        events.removeIf(event -> event.projectId() == projectId);
        links.removeIf(link -> link.projectId() == projectId);
    }

    @Override
    public synchronized void identityLinks(Consumer<IdentityLink> consumer) {
        links.forEach(consumer);
    }

    @Override
    public Set<String> existingMessageIds(long projectId, Collection<String> messageIds, Instant from, Instant to) {
        throw new UnsupportedOperationException("not used by the demo module");
    }

    @Override
    public void recentMessageIds(int limit, MessageIdConsumer consumer) {
        throw new UnsupportedOperationException("not used by the demo module");
    }

    @Override
    public Map<Long, Long> maxPersonIds() {
        throw new UnsupportedOperationException("not used by the demo module");
    }

    @Override
    public void personMerges(Consumer<PersonMerge> consumer) {
        throw new UnsupportedOperationException("not used by the demo module");
    }

    @Override
    public List<Event> latest(long projectId, int limit) {
        throw new UnsupportedOperationException("not used by the demo module");
    }

    @Override
    public Optional<PersonProfile> person(long projectId, long personId) {
        throw new UnsupportedOperationException("not used by the demo module");
    }

    @Override
    public List<DailyActivity> dailyActivity(long projectId, ZoneId zone, LocalDate from, LocalDate to) {
        throw new UnsupportedOperationException("not used by the demo module");
    }

    @Override
    public Page<PersonSummary> persons(long projectId, PersonQuery query, PageRequest page) {
        throw new UnsupportedOperationException("not used by the demo module");
    }

    @Override
    public Page<Event> personEvents(long projectId, long personId, String event, Instant from, Instant to, PageRequest page) {
        throw new UnsupportedOperationException("not used by the demo module");
    }

    @Override
    public PersonActivity personActivity(long projectId, long personId) {
        throw new UnsupportedOperationException("not used by the demo module");
    }

    @Override
    public boolean updateTraits(long projectId, long personId, String patch, Instant at) {
        throw new UnsupportedOperationException("not used by the demo module");
    }

    @Override
    public Optional<PersonDeleted> deletePerson(long projectId, long personId) {
        throw new UnsupportedOperationException("not used by the demo module");
    }
}
