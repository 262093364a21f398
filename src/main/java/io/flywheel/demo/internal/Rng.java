package io.flywheel.demo.internal;

/**
 * A small, fast, re-seedable random source (SplitMix64). The simulation re-seeds one instance per
 * person and day instead of sharing a stream, so that what one person does never depends on what
 * another did: that keeps runs reproducible and lets calibration simulate a sample of persons.
 * Only {@link StrictMath} is used for floating point functions, so results are the same on every
 * platform.
 */
final class Rng {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private long state;

    Rng(long seed) {
        this.state = seed;
    }

    void reseed(long seed) {
        this.state = seed;
    }

    long nextLong() {
        state += GOLDEN;
        return mix(state);
    }

    /** Uniform in [0, 1). */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound). */
    int nextInt(int bound) {
        return (int) (((nextLong() >>> 33) * bound) >>> 31);
    }

    /** Uniform in [from, to]. */
    int between(int from, int to) {
        return from + nextInt(to - from + 1);
    }

    boolean chance(double probability) {
        return nextDouble() < probability;
    }

    /** Standard normal (Box-Muller). */
    double gaussian() {
        double u = 1.0 - nextDouble();
        double v = nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u)) * StrictMath.cos(2.0 * Math.PI * v);
    }

    /** Number of failures before the first success, with the given mean. */
    int geometric(double mean, int max) {
        double p = 1.0 / (1.0 + mean);
        int count = 0;
        while (count < max && !chance(p)) {
            count++;
        }
        return count;
    }

    /** Index picked from a cumulative weight table whose last entry is the total. */
    int pick(double[] cumulative) {
        double target = nextDouble() * cumulative[cumulative.length - 1];
        int low = 0;
        int high = cumulative.length - 1;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (cumulative[middle] > target) {
                high = middle;
            }
            else {
                low = middle + 1;
            }
        }
        return low;
    }

    static double[] cumulative(double... weights) {
        double[] cumulative = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] < 0) {
                throw new IllegalArgumentException("weights must not be negative");
            }
            sum += weights[i];
            cumulative[i] = sum;
        }
        return cumulative;
    }

    /** The SplitMix64 finaliser: a bijection of 64-bit values with good avalanche. */
    static long mix(long value) {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A seed for one purpose ({@code stream}) and one thing ({@code key}) derived from the run's seed. */
    static long derive(long seed, long stream, long key) {
        return mix(mix(seed ^ (stream * GOLDEN)) + key * 0xD1B54A32D192ED03L);
    }
}
