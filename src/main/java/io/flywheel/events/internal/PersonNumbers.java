package io.flywheel.events.internal;

import java.util.Arrays;

/**
 * Dense numbers 0..n-1 for the person ids met in a query. Person ids are small sequential numbers
 * per project, so a direct array does the mapping; ids outside its reach go through a hash map.
 */
final class PersonNumbers {

    private static final int DIRECT_LIMIT = 1 << 24;

    private int[] direct = new int[1 << 16];
    private final LongIntMap others = new LongIntMap(1 << 10);
    private int size;

    PersonNumbers() {
        Arrays.fill(direct, -1);
    }

    int number(long personId) {
        if (personId >= 0 && personId < DIRECT_LIMIT) {
            int id = (int) personId;
            if (id >= direct.length) {
                int old = direct.length;
                direct = Arrays.copyOf(direct, Math.min(DIRECT_LIMIT, Math.max(id + 1, old * 2)));
                Arrays.fill(direct, old, direct.length, -1);
            }
            int number = direct[id];
            if (number < 0) {
                number = size++;
                direct[id] = number;
            }
            return number;
        }
        int before = others.size();
        int number = others.getOrAddNext(personId);
        if (others.size() > before) {
            // the map numbers its own keys from 0; shift them into the shared sequence
            others.put(personId, size);
            number = size++;
        }
        else {
            number = others.get(personId);
        }
        return number;
    }

    int size() {
        return size;
    }
}
