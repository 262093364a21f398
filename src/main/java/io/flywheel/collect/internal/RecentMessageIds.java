package io.flywheel.collect.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Remembers 64-bit fingerprints of the most recent message ids, in two generations of primitive
 * hash sets: when the young one is full it becomes the old one and the oldest generation is
 * forgotten. A hit only means "maybe seen"; the applier confirms it against the event store, so a
 * fingerprint collision can never drop an event.
 */
final class RecentMessageIds {

    private final int capacity;
    private LongSet young;
    private LongSet old;

    RecentMessageIds(int capacity) {
        this.capacity = capacity;
        this.young = new LongSet(capacity);
        this.old = new LongSet(1);
    }

    /** Records the id; returns true if it may have been seen before. */
    boolean addAndCheck(long projectId, String messageId) {
        long fingerprint = fingerprint(projectId, messageId);
        boolean seen = young.contains(fingerprint) || old.contains(fingerprint);
        if (!seen) {
            if (young.size() >= capacity) {
                old = young;
                young = new LongSet(capacity);
            }
            young.add(fingerprint);
        }
        return seen;
    }

    static long fingerprint(long projectId, String messageId) {
        long hash = 0xcbf29ce484222325L ^ projectId * 0x9E3779B97F4A7C15L;
        for (byte b : messageId.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b;
            hash *= 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        return hash;
    }

    /** Open addressing with linear probing; 0 marks an empty slot, so 0 itself is stored as 1. */
    static final class LongSet {
        private final long[] slots;
        private final int mask;
        private int size;

        LongSet(int expected) {
            int length = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
            slots = new long[length];
            mask = length - 1;
        }

        boolean contains(long value) {
            long key = value == 0 ? 1 : value;
            for (int i = index(key); ; i = (i + 1) & mask) {
                if (slots[i] == 0) {
                    return false;
                }
                if (slots[i] == key) {
                    return true;
                }
            }
        }

        void add(long value) {
            long key = value == 0 ? 1 : value;
            for (int i = index(key); ; i = (i + 1) & mask) {
                if (slots[i] == key) {
                    return;
                }
                if (slots[i] == 0) {
                    slots[i] = key;
                    size++;
                    return;
                }
            }
        }

        int size() {
            return size;
        }

        void clear() {
            Arrays.fill(slots, 0);
            size = 0;
        }

        private int index(long key) {
            return (int) (key ^ (key >>> 32)) & mask;
        }
    }
}
