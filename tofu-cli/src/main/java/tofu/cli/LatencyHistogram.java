package tofu.cli;

import java.util.Locale;
import org.HdrHistogram.Histogram;
import tofu.cli.text.Json;

/**
 * Round-trip times of a run, in an HdrHistogram: constant memory whatever the count, values kept to 3 significant
 * digits (a p99 of 123.4 µs is exact to 0.1 µs). Percentiles follow HdrHistogram's definition (the value at or below
 * which that share of the samples lie). Used by one thread.
 */
public final class LatencyHistogram {
    /** Significant decimal digits kept. */
    private static final int DIGITS = 3;

    private final Histogram histogram = new Histogram(DIGITS); // auto-resizing: any value from 1 ns up

    /** Records one round trip of {@code nanos} (at least 1 ns). */
    public void record(long nanos) {
        histogram.recordValue(Math.max(1, nanos));
    }

    /** Returns the number of samples. */
    public long count() {
        return histogram.getTotalCount();
    }

    /** Returns the value at {@code percent} (0..100], in nanoseconds; 0 without samples. */
    public long at(double percent) {
        return count() == 0 ? 0 : histogram.getValueAtPercentile(percent);
    }

    /** Returns the smallest sample in nanoseconds, 0 without samples. */
    public long min() {
        return count() == 0 ? 0 : histogram.getMinValue();
    }

    /** Returns the largest sample in nanoseconds, 0 without samples. */
    public long max() {
        return count() == 0 ? 0 : histogram.getMaxValue();
    }

    /** Returns the mean in nanoseconds, 0 without samples. */
    public double mean() {
        return count() == 0 ? 0 : histogram.getMean();
    }

    /** Formats min, p50, p90, p99, p99.9, max and mean in microseconds on one line, the same in every locale. */
    public String summaryMicros() {
        return String.format(Locale.ROOT,
                "min %.1f  p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f  mean %.1f (us)",
                min() / 1e3, at(50) / 1e3, at(90) / 1e3, at(99) / 1e3, at(99.9) / 1e3, max() / 1e3, mean() / 1e3);
    }

    /** The same figures as a JSON object, in microseconds. */
    public Json json() {
        return Json.object().put("min", min() / 1e3, 1).put("p50", at(50) / 1e3, 1).put("p90", at(90) / 1e3, 1)
                .put("p99", at(99) / 1e3, 1).put("p99_9", at(99.9) / 1e3, 1).put("max", max() / 1e3, 1)
                .put("mean", mean() / 1e3, 1);
    }
}
