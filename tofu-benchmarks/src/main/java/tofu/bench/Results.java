package tofu.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every figure of a suite run: for each row (section, workload, metric) and stack, the values of the alternating
 * runs, in insertion order; plus free-text notes (failures, degraded workloads, handshake retries). Single-threaded:
 * only the harness thread records.
 */
final class Results {
    /** One line of the table. */
    record Row(String section, String workload, Metric metric) {
    }

    /** The summary of one cell: median of the runs and their range. */
    record Stat(double median, double min, double max, int n) {
        static final Stat NONE = new Stat(Double.NaN, Double.NaN, Double.NaN, 0);

        /** Half the min–max range as a percentage of the median (0 for a single run). */
        double spreadPercent() {
            return n < 2 || median == 0 ? 0 : 100 * (max - min) / 2 / Math.abs(median);
        }
    }

    private final Map<Row, Map<String, List<Double>>> values = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    void add(Row row, String stack, double value) {
        values.computeIfAbsent(row, r -> new LinkedHashMap<>()).computeIfAbsent(stack, s -> new ArrayList<>())
                .add(value);
    }

    void note(String note) {
        notes.add(note);
    }

    List<Row> rows() {
        return List.copyOf(values.keySet());
    }

    List<String> notes() {
        return List.copyOf(notes);
    }

    /** The raw run values of a cell (empty if none). */
    List<Double> values(Row row, String stack) {
        return values.getOrDefault(row, Map.of()).getOrDefault(stack, List.of());
    }

    Stat stat(Row row, String stack) {
        List<Double> v = values(row, stack);
        if (v.isEmpty()) {
            return Stat.NONE;
        }
        double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        int n = a.length;
        double median = n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
        return new Stat(median, a[0], a[n - 1], n);
    }

    /** The median of a cell, NaN if it has no value. */
    double median(Row row, String stack) {
        return stat(row, stack).median();
    }

    /** The first row of {@code section} with {@code metric}, or null. */
    Row firstRow(String section, Metric metric) {
        for (Row row : values.keySet()) {
            if (row.section().equals(section) && row.metric() == metric) {
                return row;
            }
        }
        return null;
    }

    /** The row of {@code section} whose workload and metric match, or null. */
    Row find(String section, String workload, Metric metric) {
        Row r = new Row(section, workload, metric);
        return values.containsKey(r) ? r : null;
    }
}
