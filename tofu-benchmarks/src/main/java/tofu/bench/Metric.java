package tofu.bench;

import java.util.Locale;

/** What a figure measures: its unit, which direction is better, and how it is printed. */
enum Metric {
    MSG_RATE("msg/s", true),
    MB_RATE("MB/s", true),
    ALLOC_PER_MSG("B/msg", false),
    CPU_PER_MSG("cpu ns/msg", false),
    SWITCHES_PER_KMSG("cs/1k msg", false),
    RT_RATE("rt/s", true),
    P50("p50 us", false),
    P99("p99 us", false),
    P999("p99.9 us", false),
    MAX("max us", false),
    ALLOC_PER_RT("B/rt", false),
    CPU_PER_RT("cpu us/rt", false),
    SWITCHES_PER_RT("cs/rt", false),
    SWITCHES_PER_KRT("cs/1k rt", false),
    CONNECTIONS("conns", true),
    ESTABLISH_MS("ms", false),
    HEAP_PER_CONN("B/conn", false);

    final String unit;
    final boolean higherIsBetter;

    Metric(String unit, boolean higherIsBetter) {
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
    }

    /** The metric printed with {@code unit}, or null. */
    static Metric byUnit(String unit) {
        for (Metric m : values()) {
            if (m.unit.equals(unit)) {
                return m;
            }
        }
        return null;
    }

    /** Prints a value compactly (k/M suffixes for rates, one decimal for small figures). */
    String format(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        switch (this) {
            case MSG_RATE:
            case RT_RATE:
                return v >= 1e6 ? String.format(Locale.ROOT, "%.2fM", v / 1e6)
                        : String.format(Locale.ROOT, "%.1fk", v / 1e3);
            case CONNECTIONS:
            case ESTABLISH_MS:
            case HEAP_PER_CONN:
                return String.format(Locale.ROOT, "%.0f", v);
            default:
                return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
        }
    }
}
