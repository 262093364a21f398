package io.flywheel.events.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TimeRunTests {

    /** Person → times in order, the way a run must read. */
    private static Map<Integer, List<Long>> expected(int[] persons, long[] times, int size) {
        Map<Integer, List<Long>> map = new TreeMap<>();
        for (int i = 0; i < size; i++) {
            map.computeIfAbsent(persons[i], p -> new ArrayList<>()).add(times[i]);
        }
        map.values().forEach(list -> list.sort(null));
        return map;
    }

    private static Map<Integer, List<Long>> read(TimeRun run) {
        Map<Integer, List<Long>> map = new TreeMap<>();
        for (int p = 0; p < run.persons.length; p++) {
            if (p > 0) {
                assertThat(run.persons[p]).isGreaterThan(run.persons[p - 1]);
            }
            List<Long> list = new ArrayList<>();
            for (int i = run.starts[p]; i < run.starts[p + 1]; i++) {
                list.add(run.times[i]);
            }
            assertThat(list).isNotEmpty();
            map.put(run.persons[p], list);
        }
        return map;
    }

    @Test
    void groupsEntriesByPersonWithTimesInOrderForSmallAndSparsePersonIds() {
        Random random = new Random(7);
        for (int round = 0; round < 50; round++) {
            int size = random.nextInt(300);
            int[] persons = new int[size + 5];
            long[] times = new long[size + 5];
            // sparse ids (key sort) in some rounds, dense ones (counting sort) in others
            int range = round % 3 == 0 ? Integer.MAX_VALUE - 1 : 40;
            for (int i = 0; i < size; i++) {
                persons[i] = random.nextInt(range);
                times[i] = random.nextInt(1000) - 500;
            }
            TimeRun run = TimeRun.of(persons, times, size);
            assertThat(read(run)).isEqualTo(expected(persons, times, size));
            assertThat(run.size()).isEqualTo(size);
            if (size > 0) {
                long min = Long.MAX_VALUE;
                long max = Long.MIN_VALUE;
                for (int i = 0; i < size; i++) {
                    min = Math.min(min, times[i]);
                    max = Math.max(max, times[i]);
                }
                assertThat(run.minTime).isEqualTo(min);
                assertThat(run.maxTime).isEqualTo(max);
                assertThat(run.overlaps(max, max + 10)).isTrue();
                assertThat(run.overlaps(max + 1, max + 10)).isFalse();
                assertThat(run.overlaps(min - 10, min - 1)).isFalse();
            }
        }
    }

    @Test
    void mergesTwoRunsAndRemovesPersons() {
        Random random = new Random(11);
        for (int round = 0; round < 50; round++) {
            int sizeA = random.nextInt(200);
            int sizeB = random.nextInt(200);
            int[] persons = new int[sizeA + sizeB];
            long[] times = new long[sizeA + sizeB];
            for (int i = 0; i < persons.length; i++) {
                persons[i] = random.nextInt(30);
                times[i] = random.nextInt(100);
            }
            TimeRun a = TimeRun.of(persons, times, sizeA);
            int[] personsB = java.util.Arrays.copyOfRange(persons, sizeA, persons.length);
            long[] timesB = java.util.Arrays.copyOfRange(times, sizeA, times.length);
            TimeRun b = TimeRun.of(personsB, timesB, sizeB);
            TimeRun merged = TimeRun.merge(a, b);
            assertThat(read(merged)).isEqualTo(expected(persons, times, persons.length));

            int removed = random.nextInt(30);
            Map<Integer, List<Long>> without = expected(persons, times, persons.length);
            without.remove(removed);
            without.remove(removed + 1);
            TimeRun kept = merged.without(person -> person == removed || person == removed + 1);
            assertThat(read(kept)).isEqualTo(without);
            assertThat(merged.without(person -> false)).isSameAs(merged);
        }
    }
}
