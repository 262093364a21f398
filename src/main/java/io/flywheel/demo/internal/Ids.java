package io.flywheel.demo.internal;

import java.nio.charset.StandardCharsets;

/**
 * Identifiers in UUID text form that are derived from the seed, so they look random yet repeat
 * exactly. Uniqueness is guaranteed, not just likely: the low 62 bits are a bijection of the
 * counter or person number.
 */
final class Ids {

    private static final long MASK_62 = (1L << 62) - 1;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final long messageHigh;
    private final long messageLow;
    private final long anonymousHigh;
    private final long anonymousLow;

    Ids(long seed) {
        this.messageHigh = Rng.derive(seed, 101, 0);
        this.messageLow = Rng.derive(seed, 102, 0) & MASK_62;
        this.anonymousHigh = Rng.derive(seed, 103, 0);
        this.anonymousLow = Rng.derive(seed, 104, 0) & MASK_62;
    }

    String messageId(long counter) {
        return uuid(Rng.mix(messageHigh + counter), permute62(counter ^ messageLow));
    }

    String anonymousId(long personId) {
        return uuid(Rng.mix(anonymousHigh + personId), permute62(personId ^ anonymousLow));
    }

    /** {@code u_000123}: six digits at least. */
    static String userId(long personId) {
        byte[] digits = new byte[20];
        int position = digits.length;
        long rest = personId;
        do {
            digits[--position] = (byte) ('0' + rest % 10);
            rest /= 10;
        } while (rest > 0);
        while (digits.length - position < 6) {
            digits[--position] = '0';
        }
        digits[--position] = '_';
        digits[--position] = 'u';
        return new String(digits, position, digits.length - position, StandardCharsets.ISO_8859_1);
    }

    /** A bijection of the values below 2^62 onto themselves. */
    static long permute62(long value) {
        long x = value & MASK_62;
        x ^= x >>> 31;
        x = (x * 0x7FB5D329728EA185L) & MASK_62;
        x ^= x >>> 27;
        x = (x * 0x81DADEF4BC2DD44DL) & MASK_62;
        x ^= x >>> 33;
        return x;
    }

    /** Version 4, variant 1 layout; the 62 low bits of {@code low} are kept. */
    private static String uuid(long high, long low) {
        long versioned = (high & 0xFFFFFFFFFFFF0FFFL) | 0x0000000000004000L;
        long varied = (low & MASK_62) | 0x8000000000000000L;
        byte[] text = new byte[36];
        hex(versioned >>> 32, 8, text, 0);
        text[8] = '-';
        hex(versioned >>> 16, 4, text, 9);
        text[13] = '-';
        hex(versioned, 4, text, 14);
        text[18] = '-';
        hex(varied >>> 48, 4, text, 19);
        text[23] = '-';
        hex(varied, 12, text, 24);
        return new String(text, StandardCharsets.ISO_8859_1);
    }

    private static void hex(long value, int digits, byte[] target, int offset) {
        long rest = value;
        for (int i = offset + digits - 1; i >= offset; i--) {
            target[i] = HEX[(int) (rest & 0xF)];
            rest >>>= 4;
        }
    }
}
