package tofu.cli;

import java.util.Arrays;

/**
 * Percentiles of recorded samples (e.g. round-trip nanoseconds), computed by sorting a copy: exact, no histogram,
 * no dependency. Immutable after construction.
 */
public final class Percentiles {
    private final long[] sorted;

    private Percentiles(long[] sorted) {
        this.sorted = sorted;
    }

    /**
     * Returns the percentiles of the first {@code count} samples.
     *
     * @throws IllegalArgumentException if {@code count} is negative or larger than the array
     */
    public static Percentiles of(long[] samples, int count) {
        if (count < 0 || count > samples.length) {
            throw new IllegalArgumentException("count must be 0.." + samples.length + ", was " + count);
        }
        long[] copy = Arrays.copyOf(samples, count);
        Arrays.sort(copy);
        return new Percentiles(copy);
    }

    /** Returns the number of samples. */
    public int count() {
        return sorted.length;
    }

    /**
     * Returns the value at {@code percent} (0 &lt; percent &le; 100) by the nearest-rank method: the smallest sample
     * such that at least {@code percent} % of the samples are at or below it; 0 when there are no samples.
     */
    public long at(double percent) {
        if (!(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("percent must be in (0, 100], was " + percent);
        }
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(1, rank) - 1];
    }

    /** Returns the smallest sample, 0 when there are none. */
    public long min() {
        return sorted.length == 0 ? 0 : sorted[0];
    }

    /** Returns the largest sample, 0 when there are none. */
    public long max() {
        return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
    }

    /** Returns the arithmetic mean, 0 when there are no samples. */
    public double mean() {
        if (sorted.length == 0) {
            return 0;
        }
        double sum = 0;
        for (long v : sorted) {
            sum += v;
        }
        return sum / sorted.length;
    }

    /** Formats min, p50, p90, p99, p99.9 and max of nanosecond samples in microseconds, on one line. */
    public String summaryMicros() {
        return String.format("min %s  p50 %s  p90 %s  p99 %s  p99.9 %s  max %s (us)", us(min()), us(at(50)),
                us(at(90)), us(at(99)), us(at(99.9)), us(max()));
    }

    private static String us(long nanos) {
        return String.format("%.1f", nanos / 1000.0);
    }
}
