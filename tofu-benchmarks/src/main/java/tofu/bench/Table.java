package tofu.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The stdout table: one line per figure, a column per stack (median of the runs, ± half their range in % of the
 * median), then tofu's ratio to each peer. A ratio above 1 is better for rates, below 1 for latency and bytes.
 */
final class Table {
    /** A tofu/peer ratio column; with several peers (Netty's two transports) the best of them in that row. */
    record Ratio(String label, String tofu, List<String> peers) {
        Ratio(String label, String tofu, String peer) {
            this(label, tofu, List.of(peer));
        }
    }

    static final List<Ratio> RATIOS = List.of(
            new Ratio("tcp/nio", Stacks.TOFU_TCP, Stacks.NIO_TCP),
            new Ratio("tcp/netty", Stacks.TOFU_TCP, Stacks.NETTY_TCP),
            new Ratio("tcp/zmq", Stacks.TOFU_TCP, Stacks.JEROMQ_TCP),
            new Ratio("uds/nio", Stacks.TOFU_UDS, Stacks.NIO_UDS),
            new Ratio("uds/netty", Stacks.TOFU_UDS, Stacks.NETTY_UDS),
            new Ratio("uds/tcp", Stacks.TOFU_UDS, Stacks.TOFU_TCP));
    private static final int WORKLOAD = 34;
    private static final int METRIC = 11;
    private static final int CELL = 16;
    private static final int RATIO = 10;

    private Table() {
    }

    /** The ratio columns that apply to these stacks. */
    static List<Ratio> ratios(List<String> stacks) {
        List<Ratio> out = new ArrayList<>();
        for (Ratio r : RATIOS) {
            if (stacks.contains(r.tofu()) && r.peers().stream().anyMatch(stacks::contains)) {
                out.add(r);
            }
        }
        return out;
    }

    static void print(Results results, List<String> stacks, PrintStream out) {
        List<String> columns = Stacks.columns(stacks, results);
        List<Ratio> ratios = ratios(stacks);
        String section = null;
        for (Results.Row row : results.rows()) {
            if (!row.section().equals(section)) {
                section = row.section();
                out.println();
                out.println("== " + section + " ==");
                header(columns, ratios, out);
            }
            StringBuilder line = new StringBuilder();
            line.append(pad(row.workload(), WORKLOAD)).append(pad(row.metric().unit, METRIC));
            for (String stack : columns) {
                line.append(leftPad(cell(results.stat(row, stack), row.metric()), CELL));
            }
            line.append(" |");
            for (Ratio r : ratios) {
                line.append(leftPad(ratio(results, row, r), RATIO));
            }
            out.println(line);
        }
        out.println();
        out.println("cells: median of the runs ±half their min-max range (% of median; for medians below 1, the "
                + "largest run in brackets); ratios: tofu median / peer median, the better Netty transport for */netty "
                + "(rates: >1 is better; us and bytes: <1 is better)");
    }

    private static void header(List<String> columns, List<Ratio> ratios, PrintStream out) {
        StringBuilder h = new StringBuilder(pad("workload", WORKLOAD)).append(pad("unit", METRIC));
        for (String s : columns) {
            h.append(leftPad(s, CELL));
        }
        h.append(" |");
        for (Ratio r : ratios) {
            h.append(leftPad(r.label(), RATIO));
        }
        out.println(h);
    }

    static String cell(Results.Stat s, Metric metric) {
        if (s.n() == 0) {
            return "-";
        }
        String v = metric.format(s.median());
        if (s.n() > 1 && Math.abs(s.median()) >= 1) {
            v += String.format(Locale.ROOT, " ±%.0f%%", s.spreadPercent());
        } else if (s.n() > 1) {
            v += " (<=" + metric.format(s.max()) + ")"; // a percentage of almost nothing says nothing
        }
        return v;
    }

    /** tofu median / peer median, or NaN when either is missing or the peer's is 0. */
    static double ratioValue(Results results, Results.Row row, Ratio r) {
        double t = results.median(row, r.tofu());
        double p = bestMedian(results, row, r.peers());
        if (Double.isNaN(t) || Double.isNaN(p) || p == 0) {
            return Double.NaN;
        }
        return t / p;
    }

    /** The best median among {@code peers} in {@code row} (highest rate, lowest time or bytes); NaN if none. */
    static double bestMedian(Results results, Results.Row row, List<String> peers) {
        double best = Double.NaN;
        for (String peer : peers) {
            double v = results.median(row, peer);
            if (Double.isNaN(v)) {
                continue;
            }
            if (Double.isNaN(best) || (row.metric().higherIsBetter ? v > best : v < best)) {
                best = v;
            }
        }
        return best;
    }

    private static String ratio(Results results, Results.Row row, Ratio r) {
        double v = ratioValue(results, row, r);
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }

    private static String leftPad(String s, int width) {
        return s.length() >= width ? " " + s : " ".repeat(width - s.length()) + s;
    }
}
