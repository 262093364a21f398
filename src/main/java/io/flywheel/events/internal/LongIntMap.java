package io.flywheel.events.internal;

import java.util.Arrays;

/** An open-addressing map from long keys to int values without boxing, for hot query loops. */
final class LongIntMap {

    private static final int MISSING = -1;

    private long[] keys;
    private int[] values;
    private int size;
    private int mask;

    LongIntMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
        keys = new long[capacity];
        values = new int[capacity];
        Arrays.fill(values, MISSING);
        mask = capacity - 1;
    }

    /** The value of {@code key}, or -1. */
    int get(long key) {
        int slot = slot(key);
        while (values[slot] != MISSING) {
            if (keys[slot] == key) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
        return MISSING;
    }

    /** The value of {@code key}, adding {@code size()} as its value when it is new. */
    int getOrAddNext(long key) {
        int slot = slot(key);
        while (values[slot] != MISSING) {
            if (keys[slot] == key) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
        int value = size++;
        keys[slot] = key;
        values[slot] = value;
        if (size * 2 > keys.length) {
            grow();
        }
        return value;
    }

    void put(long key, int value) {
        int slot = slot(key);
        while (values[slot] != MISSING && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        if (values[slot] == MISSING) {
            size++;
        }
        keys[slot] = key;
        values[slot] = value;
        if (size * 2 > keys.length) {
            grow();
        }
    }

    int size() {
        return size;
    }

    private int slot(long key) {
        long hash = key * 0x9E3779B97F4A7C15L;
        return (int) (hash ^ (hash >>> 32)) & mask;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        Arrays.fill(values, MISSING);
        mask = keys.length - 1;
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != MISSING) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }
}
