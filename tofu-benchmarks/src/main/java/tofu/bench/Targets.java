package tofu.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The performance targets of the side-by-side issue, checked against the medians of a run and marked honestly:
 * MET, NOT MET, or NO DATA when a figure is missing (stack not run, or it failed).
 */
final class Targets {
    /** Allocation counts as zero below this many bytes per message: the snapshots themselves cost a few hundred. */
    static final double ZERO_ALLOC = 0.5;

    enum Verdict { MET, NOT_MET, NO_DATA }

    /** One checked target. */
    record Check(String target, String detail, Verdict verdict) {
    }

    private final Results results;
    private final List<Check> checks = new ArrayList<>();

    private Targets(Results results) {
        this.results = results;
    }

    static List<Check> evaluate(Results results, int[] sizes) {
        Targets t = new Targets(results);
        t.throughput(sizes);
        t.latency();
        t.allocation();
        return List.copyOf(t.checks);
    }

    private void throughput(int[] sizes) {
        Results.Row small = results.find(Workloads.ONE_WAY, Workloads.sizeLabel(64), Metric.MSG_RATE);
        ratio("64 B one-way >= 2x JeroMQ", small, Stacks.TOFU_TCP, Stacks.JEROMQ_TCP, 2.0, true);
        ratio("64 B one-way >= Netty (TCP)", small, Stacks.TOFU_TCP, Stacks.NETTY_TCP, 1.0, true);
        for (int size : sizes) {
            Results.Row row = results.find(Workloads.ONE_WAY, Workloads.sizeLabel(size), Metric.MSG_RATE);
            ratio("UDS >= TCP, one-way " + Workloads.sizeLabel(size), row, Stacks.TOFU_UDS, Stacks.TOFU_TCP, 1.0,
                    true);
        }
        for (int size : new int[] {16 * 1024, 65535}) {
            Results.Row row = results.find(Workloads.ONE_WAY, Workloads.sizeLabel(size), Metric.MB_RATE);
            String label = Workloads.sizeLabel(size) + " bandwidth";
            ratio(label + " >= 90% raw NIO (TCP)", row, Stacks.TOFU_TCP, Stacks.NIO_TCP, 0.9, true);
            ratio(label + " >= Netty (TCP)", row, Stacks.TOFU_TCP, Stacks.NETTY_TCP, 1.0, true);
            ratio(label + " >= 90% raw NIO (UDS)", row, Stacks.TOFU_UDS, Stacks.NIO_UDS, 0.9, true);
        }
    }

    private void latency() {
        for (String section : new String[] {Workloads.RTT, Workloads.RTT_RATE}) {
            Results.Row p50 = results.firstRow(section, Metric.P50);
            Results.Row p999 = results.firstRow(section, Metric.P999);
            String tag = section.replace("rtt ", "") + " ";
            ratio("RTT p50 <= 1.3x raw NIO (TCP), " + tag, p50, Stacks.TOFU_TCP, Stacks.NIO_TCP, 1.3, false);
            ratio("RTT p50 <= Netty (TCP), " + tag, p50, Stacks.TOFU_TCP, Stacks.NETTY_TCP, 1.0, false);
            ratio("RTT p50 <= 1.3x raw NIO (UDS), " + tag, p50, Stacks.TOFU_UDS, Stacks.NIO_UDS, 1.3, false);
            for (String stack : new String[] {Stacks.TOFU_TCP, Stacks.TOFU_UDS}) {
                double a = p999 == null ? Double.NaN : results.median(p999, stack);
                double b = p50 == null ? Double.NaN : results.median(p50, stack);
                add("RTT p99.9 <= 3x p50, " + tag + stack, a, b, 3.0, false,
                        String.format(Locale.ROOT, "p99.9 %.1f us, p50 %.1f us", a, b));
            }
        }
    }

    private void allocation() {
        for (String stack : new String[] {Stacks.TOFU_TCP, Stacks.TOFU_UDS}) {
            String[][] sections = {
                {Workloads.ONE_WAY, "B/msg"}, {Workloads.CHANNELS, "B/msg"}, {ScaleBench.SECTION, "B/msg"},
                {Workloads.RTT, "B/rt"}, {Workloads.RTT_RATE, "B/rt"}};
            for (String[] s : sections) {
                double worst = Double.NaN;
                String where = "";
                for (Results.Row row : results.rows()) {
                    boolean alloc = row.metric() == Metric.ALLOC_PER_MSG || row.metric() == Metric.ALLOC_PER_RT;
                    double v = results.median(row, stack);
                    if (row.section().equals(s[0]) && alloc && !Double.isNaN(v) && !(v <= worst)) {
                        worst = v;
                        where = row.workload();
                    }
                }
                if (s[0].equals(ScaleBench.SECTION) && Double.isNaN(worst)) {
                    continue; // the scale workload runs on one stack only
                }
                add("0 B/msg allocated, " + s[0] + ", " + stack, worst, ZERO_ALLOC, 1.0, false,
                        Double.isNaN(worst) ? "" : String.format(Locale.ROOT, "worst %.1f %s (%s)", worst, s[1],
                                where));
            }
        }
    }

    private void ratio(String target, Results.Row row, String tofu, String peer, double factor, boolean atLeast) {
        double a = row == null ? Double.NaN : results.median(row, tofu);
        double b = row == null ? Double.NaN : results.median(row, peer);
        String unit = row == null ? "" : row.metric().unit;
        add(target, a, b, factor, atLeast, String.format(Locale.ROOT, "%s %s vs %s %s %s = %.2fx", tofu,
                row == null ? "-" : row.metric().format(a), peer, row == null ? "-" : row.metric().format(b), unit,
                a / b));
    }

    /** Checks {@code a >= factor*b} (atLeast) or {@code a <= factor*b}. */
    private void add(String target, double a, double b, double factor, boolean atLeast, String detail) {
        Verdict v;
        if (Double.isNaN(a) || Double.isNaN(b)) {
            v = Verdict.NO_DATA;
        } else if (atLeast ? a >= factor * b : a <= factor * b) {
            v = Verdict.MET;
        } else {
            v = Verdict.NOT_MET;
        }
        checks.add(new Check(target, detail, v));
    }

    /** Prints the evaluated targets; those without data (workload not run or failed) are only counted. */
    static void print(List<Check> checks, PrintStream out) {
        out.println();
        out.println("== targets ==");
        int noData = 0;
        for (Check c : checks) {
            if (c.verdict() == Verdict.NO_DATA) {
                noData++;
                continue;
            }
            String verdict = c.verdict() == Verdict.NOT_MET ? "NOT MET" : "MET";
            out.printf(Locale.ROOT, "%-8s %-50s %s%n", verdict, c.target(), c.detail());
        }
        if (noData > 0) {
            out.println(noData + " target(s) not evaluated: their workloads or stacks were not run, or failed");
        }
    }
}
