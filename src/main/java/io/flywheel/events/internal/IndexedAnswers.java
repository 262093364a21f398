package io.flywheel.events.internal;

import io.flywheel.events.PersonCondition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers the plainest behaviour conditions of an incremental segment refresh for a few persons
 * straight from the time index, so that none of their events has to be copied into DuckDB: how
 * many events of a name (or of any name) a person's ids have in a time range, and whether a person
 * did one event and then another within some time. The answers are per root person, over every id
 * merged into it, exactly as {@link ConditionSql} would count them from the copied events.
 */
final class IndexedAnswers {

    /** A question asked of every person. */
    sealed interface Question permits Count, Then {
    }

    /**
     * How many events of {@code name} ({@link PersonCondition#ANY_EVENT} for every name) have a time
     * from {@code from} to {@code to} (microseconds, both included).
     */
    record Count(String name, long from, long to) implements Question {
    }

    /**
     * Whether some {@code then} event in the range has a {@code first} event in the range strictly
     * before it and at most {@code within} microseconds earlier (1 if so).
     */
    record Then(String first, String then, long from, long to, long within) implements Question {
    }

    /** Receives one answer: the question's place in the list, the root person and a positive answer. */
    @FunctionalInterface
    interface Sink {
        void accept(int question, long root, long answer) throws java.sql.SQLException;
    }

    private IndexedAnswers() {
    }

    /** The question a condition is, for conditions the index can answer (see {@link #answerable}). */
    static Question question(PersonCondition condition, io.flywheel.events.Audience audience) {
        if (condition instanceof PersonCondition.Did did) {
            long[] range = range(did.window(), audience);
            return new Count(did.event(), range[0], range[1]);
        }
        PersonCondition.Sequence sequence = (PersonCondition.Sequence) condition;
        long[] range = range(sequence.window(), audience);
        return new Then(sequence.first().event(), sequence.then().event(), range[0], range[1], sequence.within().toNanos() / 1_000);
    }

    /** Whether {@link #question} applies: counts and sequences of events without property filters. */
    static boolean answerable(PersonCondition condition) {
        if (condition instanceof PersonCondition.Did did) {
            return did.filters().isEmpty();
        }
        if (condition instanceof PersonCondition.Sequence sequence) {
            return sequence.first().filters().isEmpty() && sequence.then().filters().isEmpty()
                    && !sequence.first().event().equals(PersonCondition.ANY_EVENT) && !sequence.then().event().equals(PersonCondition.ANY_EVENT);
        }
        return false;
    }

    /** The window as {@link ConditionSql} bounds it, in microseconds, both ends included. */
    private static long[] range(PersonCondition.Window window, io.flywheel.events.Audience audience) {
        if (window.lastDays() != null) {
            java.time.Instant now = audience.now();
            return new long[] {DuckDbEventStore.micros(now.minusSeconds(86_400L * window.lastDays())), DuckDbEventStore.micros(now)};
        }
        long from = window.from() == null ? Long.MIN_VALUE : DuckDbEventStore.micros(window.from().atStartOfDay(audience.zone()).toInstant());
        long to = window.to() == null ? Long.MAX_VALUE
                : DuckDbEventStore.micros(window.to().plusDays(1).atStartOfDay(audience.zone()).toInstant()) - 1;
        return new long[] {from, to};
    }

    /**
     * Answers every question for the given persons ({@code personIds} ascending, {@code roots}
     * alongside); sends only positive answers (a missing one is 0); returns how many events were read.
     */
    static long answer(TimeIndex.Snapshot snapshot, List<Question> questions, long[] personIds, long[] roots, Sink sink)
            throws java.sql.SQLException {
        IndexedPersonEvents.Persons persons = IndexedPersonEvents.Persons.of(personIds, roots);
        // the distinct roots, and each indexed id's root among them
        Map<Long, Integer> rootIndex = new HashMap<>();
        List<Long> rootIds = new ArrayList<>();
        int[] rootOf = new int[persons.size()];
        for (int p = 0; p < persons.size(); p++) {
            rootOf[p] = rootIndex.computeIfAbsent(persons.root(p), root -> {
                rootIds.add(root);
                return rootIds.size() - 1;
            });
        }
        // per name read, the earliest time any question reads it from
        Map<String, Long> starts = new HashMap<>();
        for (Question question : questions) {
            if (question instanceof Count count) {
                starts.merge(count.name(), count.from(), Math::min);
            }
            else if (question instanceof Then then) {
                starts.merge(then.first(), then.from(), Math::min);
                starts.merge(then.then(), then.from(), Math::min);
            }
        }
        // per name, each root's times (sorted)
        Map<String, long[][]> times = new HashMap<>();
        long read = 0;
        for (Map.Entry<String, Long> start : starts.entrySet()) {
            // the state of all events holds each time shifted left by one, its lowest bit telling page and screen calls apart
            boolean any = start.getKey().equals(PersonCondition.ANY_EVENT);
            TimeIndex.NameState state = any ? snapshot.all() : snapshot.name(start.getKey());
            long from = !any || start.getValue() == Long.MIN_VALUE ? start.getValue() : start.getValue() << 1;
            long[][] byRoot = new long[rootIds.size()][];
            int[] sizes = new int[rootIds.size()];
            read += IndexedPersonEvents.visit(state, from, persons.ids(), (position, value) -> {
                long micros = any ? value >> 1 : value;
                int root = rootOf[position];
                long[] held = byRoot[root];
                if (held == null) {
                    held = byRoot[root] = new long[8];
                }
                else if (sizes[root] == held.length) {
                    held = byRoot[root] = Arrays.copyOf(held, held.length * 2);
                }
                held[sizes[root]++] = micros;
            });
            for (int root = 0; root < byRoot.length; root++) {
                if (byRoot[root] != null) {
                    byRoot[root] = Arrays.copyOf(byRoot[root], sizes[root]);
                    Arrays.sort(byRoot[root]);
                }
            }
            times.put(start.getKey(), byRoot);
        }
        for (int q = 0; q < questions.size(); q++) {
            Question question = questions.get(q);
            Count count = question instanceof Count asked ? asked : null;
            Then then = question instanceof Then asked ? asked : null;
            long[][] counted = count == null ? null : times.get(count.name());
            long[][] firsts = then == null ? null : times.get(then.first());
            long[][] thens = then == null ? null : times.get(then.then());
            for (int root = 0; root < rootIds.size(); root++) {
                long answer = count != null ? count(counted[root], count.from(), count.to()) : then(then, firsts[root], thens[root]);
                if (answer > 0) {
                    sink.accept(q, rootIds.get(root), answer);
                }
            }
        }
        return read;
    }

    private static long count(long[] times, long from, long to) {
        if (times == null) {
            return 0;
        }
        return firstAbove(times, to) - PersonScan.firstAtOrAfter(times, 0, times.length, from);
    }

    private static long then(Then question, long[] firsts, long[] thens) {
        if (firsts == null || thens == null) {
            return 0;
        }
        int lowest = PersonScan.firstAtOrAfter(firsts, 0, firsts.length, question.from());
        int end = firstAbove(thens, question.to());
        for (int i = PersonScan.firstAtOrAfter(thens, 0, thens.length, question.from()); i < end; i++) {
            long then = thens[i];
            // the latest first event strictly before this one: if it is too early, every earlier one is too
            int before = PersonScan.firstAtOrAfter(firsts, lowest, firsts.length, then) - 1;
            if (before >= lowest && then - firsts[before] <= question.within()) {
                return 1;
            }
        }
        return 0;
    }

    /** The index of the first value greater than {@code value} in sorted {@code values}. */
    private static int firstAbove(long[] values, long value) {
        return value == Long.MAX_VALUE ? values.length : PersonScan.firstAtOrAfter(values, 0, values.length, value + 1);
    }
}
