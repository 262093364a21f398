package io.flywheel.demo.internal;

import java.util.Arrays;

/**
 * The events of one simulated day in compact form (about 30 bytes each instead of a full
 * {@link io.flywheel.events.Event}), so that a day of a hundred-million-event run fits in a few
 * tens of megabytes. {@link #sortedOrder()} gives the order by time in which they are turned into
 * events.
 */
final class DayBuffer {

    static final int PAGE = 0;
    static final int APP_OPENED = 1;
    static final int SEARCHED = 2;
    static final int VIEWED = 3;
    static final int ADDED = 4;
    static final int SHARED = 5;
    static final int CHECKOUT = 6;
    static final int ORDER = 7;
    static final int REFUND = 8;
    static final int SIGNED_UP = 9;
    static final int IDENTIFY = 10;

    static final long WITH_USER = 1L << 4;
    static final long APP = 1L << 5;
    private static final int TOUCH_SHIFT = 6;
    private static final int ARG_SHIFT = 12;
    private static final int EXTRA_SHIFT = 44;

    int size;
    /** Milliseconds since the start of the day. */
    int[] time = new int[1024];
    int[] person = new int[1024];
    long[] info = new long[1024];
    /** The inviting person of a referral visit, or -1. */
    int[] aux = new int[1024];

    int carts;
    int[] cartStart = new int[256];
    int[] cartLength = new int[256];
    long[] cartOrder = new long[256];
    int cartItemCount;
    /** Product index times 8 plus quantity. */
    int[] cartItems = new int[1024];

    private long[] keys = new long[0];

    void clear() {
        size = 0;
        carts = 0;
        cartItemCount = 0;
    }

    void add(int kind, long flags, long timeOfDay, int personIndex, int argument, int extra, int auxiliary) {
        if (size == time.length) {
            grow();
        }
        time[size] = (int) timeOfDay;
        person[size] = personIndex;
        info[size] = kind | flags | ((long) argument << ARG_SHIFT) | ((long) extra << EXTRA_SHIFT);
        aux[size] = auxiliary;
        size++;
    }

    /** Moves the events from index {@code from} on by {@code delta} milliseconds. */
    void shift(int from, long delta) {
        for (int i = from; i < size; i++) {
            time[i] += (int) delta;
        }
    }

    /** Drops the events from index {@code from} on whose time of day is at or after {@code limit}. */
    void truncate(int from, long limit) {
        for (int i = from; i < size; i++) {
            if (time[i] >= limit) {
                size = i;
                return;
            }
        }
    }

    int addCart(int[] products, int[] quantities, int items) {
        if (carts == cartStart.length) {
            cartStart = Arrays.copyOf(cartStart, carts * 2);
            cartLength = Arrays.copyOf(cartLength, carts * 2);
            cartOrder = Arrays.copyOf(cartOrder, carts * 2);
        }
        if (cartItemCount + items > cartItems.length) {
            cartItems = Arrays.copyOf(cartItems, Math.max(cartItems.length * 2, cartItemCount + items));
        }
        cartStart[carts] = cartItemCount;
        cartLength[carts] = items;
        cartOrder[carts] = 0;
        for (int i = 0; i < items; i++) {
            cartItems[cartItemCount++] = products[i] * 8 + quantities[i];
        }
        return carts++;
    }

    static int kind(long info) {
        return (int) (info & 0xF);
    }

    static boolean has(long info, long flag) {
        return (info & flag) != 0;
    }

    /** Channel ordinal plus one of the visit's campaign data, 0 when there is none. */
    static int touchChannel(long info) {
        return (int) (info >>> TOUCH_SHIFT) & 0x7;
    }

    static int touchVariant(long info) {
        return (int) (info >>> (TOUCH_SHIFT + 3)) & 0x7;
    }

    static long touch(Channel channel, int variant) {
        return ((long) (channel.ordinal() + 1) << TOUCH_SHIFT) | ((long) variant << (TOUCH_SHIFT + 3));
    }

    static int argument(long info) {
        return (int) (info >>> ARG_SHIFT);
    }

    static int extra(long info) {
        return (int) (info >>> EXTRA_SHIFT) & 0xFF;
    }

    /** Indexes of the events ordered by time; ties keep the order in which they were added. */
    int[] sortedOrder() {
        if (keys.length < size) {
            keys = new long[Math.max(size, keys.length * 2)];
        }
        for (int i = 0; i < size; i++) {
            keys[i] = ((long) time[i] << 32) | i;
        }
        Arrays.sort(keys, 0, size);
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = (int) keys[i];
        }
        return order;
    }

    private void grow() {
        int capacity = time.length * 2;
        time = Arrays.copyOf(time, capacity);
        person = Arrays.copyOf(person, capacity);
        info = Arrays.copyOf(info, capacity);
        aux = Arrays.copyOf(aux, capacity);
    }
}
