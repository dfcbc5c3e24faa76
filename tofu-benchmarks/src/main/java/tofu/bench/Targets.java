package tofu.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The performance targets (issue 14's goals, and the earlier ones it did not replace), checked against the medians of
 * a run and marked honestly: MET, NOT MET, or NO DATA when a figure is missing (stack not run, or it failed). "Netty"
 * means the better of its two transports (NIO, epoll) in that row.
 */
final class Targets {
    /** Allocation counts as zero below this many bytes per message: the snapshots themselves cost a few hundred. */
    static final double ZERO_ALLOC = 0.5;
    private static final int SMALL = 64;

    enum Verdict { MET, NOT_MET, NO_DATA }

    /** One checked target. */
    record Check(String target, String detail, Verdict verdict) {
    }

    private final Results results;
    private final BenchConfig config;
    private final List<Check> checks = new ArrayList<>();

    private Targets(Results results, BenchConfig config) {
        this.results = results;
        this.config = config;
    }

    static List<Check> evaluate(Results results, BenchConfig config) {
        Targets t = new Targets(results, config);
        t.window();
        t.largeBodies();
        t.udsVersusTcp();
        t.channels();
        t.latency(Workloads.RTT, Workloads.RTT_RATE, 1.0, "");
        t.latency(PinnedLatency.BACK_TO_BACK, PinnedLatency.FIXED_RATE, 1.5, "pinned ");
        t.allocation();
        return List.copyOf(t.checks);
    }

    /** Goal 1: a window a user would pick reaches most of the large window's rate, which leads the peers. */
    private void window() {
        Results.Row big = results.find(Workloads.WINDOW, Suite.windowLabel(SMALL, 4096), Metric.MSG_RATE);
        Results.Row mid = results.find(Workloads.WINDOW, Suite.windowLabel(SMALL, 1024), Metric.MSG_RATE);
        for (String tofu : new String[] {Stacks.TOFU_TCP, Stacks.TOFU_UDS}) {
            double a = mid == null ? Double.NaN : results.median(mid, tofu);
            double b = big == null ? Double.NaN : results.median(big, tofu);
            add("64 B W=1024 >= 90% of W=4096, " + tofu, a, b, 0.9, true,
                    String.format(Locale.ROOT, "%s vs %s msg/s = %.2fx", Metric.MSG_RATE.format(a),
                            Metric.MSG_RATE.format(b), a / b));
        }
        ratio("64 B W=4096 >= 1.5x Netty (TCP)", big, Stacks.TOFU_TCP, Stacks.NETTY_TCP, 1.5, true);
        ratio("64 B W=4096 >= 2x JeroMQ (TCP)", big, Stacks.TOFU_TCP, List.of(Stacks.JEROMQ_TCP), 2.0, true);
        ratio("64 B W=4096 >= 1.5x Netty (UDS)", big, Stacks.TOFU_UDS, Stacks.NETTY_UDS, 1.5, true);
    }

    /** Goal 4: large bodies against Netty and raw NIO. */
    private void largeBodies() {
        for (int size : new int[] {16 * 1024, 65535}) {
            Results.Row row = results.find(Workloads.ONE_WAY, Workloads.sizeLabel(size), Metric.MB_RATE);
            String label = Workloads.sizeLabel(size) + " bandwidth";
            ratio(label + " >= 1.2x Netty (TCP)", row, Stacks.TOFU_TCP, Stacks.NETTY_TCP, 1.2, true);
            ratio(label + " >= 90% raw NIO (TCP)", row, Stacks.TOFU_TCP, List.of(Stacks.NIO_TCP), 0.9, true);
            ratio(label + " >= 85% raw NIO (UDS)", row, Stacks.TOFU_UDS, List.of(Stacks.NIO_UDS), 0.85, true);
        }
    }

    private void udsVersusTcp() {
        for (int size : config.sizes()) {
            Results.Row row = results.find(Workloads.ONE_WAY, Workloads.sizeLabel(size), Metric.MSG_RATE);
            ratio("UDS >= TCP, one-way " + Workloads.sizeLabel(size), row, Stacks.TOFU_UDS, List.of(Stacks.TOFU_TCP),
                    1.0, true);
        }
    }

    /**
     * Goal 2: many active channels at least as fast as Netty on the same counts; checked on both tofu rows (one
     * message per channel in turn, and bursts of 64 per channel like Netty's producers).
     */
    private void channels() {
        for (int channels : config.channelCounts()) {
            if (channels == 1) {
                continue;
            }
            for (String workload : new String[] {Suite.channelsLabel(channels), Suite.burstLabel(channels)}) {
                Results.Row row = results.find(Workloads.CHANNELS, workload, Metric.MSG_RATE);
                String what = workload.replace(" ch x ", " channels x ");
                ratio(what + " >= Netty (TCP)", row, Stacks.TOFU_TCP, Stacks.NETTY_TCP, 1.0, true);
                ratio(what + " >= Netty (UDS)", row, Stacks.TOFU_UDS, Stacks.NETTY_UDS, 1.0, true);
            }
        }
    }

    /**
     * Goal 3: round-trip p50 within {@code nettyFactor} of Netty's event-loop ping-pong (1 unpinned, 1.5 pinned) and
     * p99.9 within 3x p50; and the earlier target p50 <= 1.3x raw NIO.
     */
    private void latency(String backToBack, String fixedRate, double nettyFactor, String tag) {
        for (String section : new String[] {backToBack, fixedRate}) {
            Results.Row p50 = results.firstRow(section, Metric.P50);
            Results.Row p999 = results.firstRow(section, Metric.P999);
            String what = tag + "RTT " + (section.equals(backToBack) ? "back-to-back" : "fixed-rate") + " ";
            String factor = nettyFactor == 1.0 ? "" : String.format(Locale.ROOT, "%.1fx ", nettyFactor);
            ratio(what + "p50 <= " + factor + "Netty (TCP)", p50, Stacks.TOFU_TCP, Stacks.NETTY_TCP, nettyFactor,
                    false);
            ratio(what + "p50 <= " + factor + "Netty (UDS)", p50, Stacks.TOFU_UDS, Stacks.NETTY_UDS, nettyFactor,
                    false);
            ratio(what + "p50 <= 1.3x raw NIO (TCP)", p50, Stacks.TOFU_TCP, List.of(Stacks.NIO_TCP), 1.3, false);
            ratio(what + "p50 <= 1.3x raw NIO (UDS)", p50, Stacks.TOFU_UDS, List.of(Stacks.NIO_UDS), 1.3, false);
            for (String stack : new String[] {Stacks.TOFU_TCP, Stacks.TOFU_UDS}) {
                double a = p999 == null ? Double.NaN : results.median(p999, stack);
                double b = p50 == null ? Double.NaN : results.median(p50, stack);
                add(what + "p99.9 <= 3x p50, " + stack, a, b, 3.0, false,
                        String.format(Locale.ROOT, "p99.9 %.1f us, p50 %.1f us", a, b));
            }
        }
    }

    /**
     * Goal 5: 0 B/msg in the steady state with {@code get(ALWAYS)} and window = pool (allocation section, 64 B and
     * 16 KiB); and the earlier target for the workloads that post with {@code post(msg, into)}: round trips and the
     * scale stream. The one-way, window and channel streams post with {@code post(msg)}, whose header snapshot is an
     * allocation the user chooses, so they are not checked.
     */
    private void allocation() {
        for (String stack : new String[] {Stacks.TOFU_TCP, Stacks.TOFU_UDS}) {
            for (int size : new int[] {SMALL, 16 * 1024}) {
                Results.Row row = results.find(Workloads.ALLOCATION, Suite.windowLabel(size, TofuLink.POOL),
                        Metric.ALLOC_PER_MSG);
                double v = row == null ? Double.NaN : results.median(row, stack);
                add("0 B/msg, get(ALWAYS), window = pool, " + Workloads.sizeLabel(size) + ", " + stack, v, ZERO_ALLOC,
                        1.0, false, String.format(Locale.ROOT, "%.1f B/msg", v));
            }
            String[] sections = {Workloads.RTT, Workloads.RTT_RATE, ScaleBench.SECTION};
            for (String section : sections) {
                worstAllocation(stack, section);
            }
        }
    }

    private void worstAllocation(String stack, String section) {
        double worst = Double.NaN;
        String where = "";
        for (Results.Row row : results.rows()) {
            boolean alloc = row.metric() == Metric.ALLOC_PER_MSG || row.metric() == Metric.ALLOC_PER_RT;
            double v = results.median(row, stack);
            if (row.section().equals(section) && alloc && !Double.isNaN(v) && !(v <= worst)) {
                worst = v;
                where = row.workload();
            }
        }
        if (section.equals(ScaleBench.SECTION) && Double.isNaN(worst)) {
            return; // the scale workload runs on one stack only
        }
        add("0 B/msg allocated, " + section + ", " + stack, worst, ZERO_ALLOC, 1.0, false,
                Double.isNaN(worst) ? "" : String.format(Locale.ROOT, "worst %.1f B (%s)", worst, where));
    }

    private void ratio(String target, Results.Row row, String tofu, List<String> peers, double factor,
                       boolean atLeast) {
        double a = row == null ? Double.NaN : results.median(row, tofu);
        double b = row == null ? Double.NaN : Table.bestMedian(results, row, peers);
        String peer = row == null ? String.join("|", peers) : bestPeer(row, peers);
        String unit = row == null ? "" : row.metric().unit;
        add(target, a, b, factor, atLeast, String.format(Locale.ROOT, "%s %s vs %s %s %s = %.2fx", tofu,
                row == null ? "-" : row.metric().format(a), peer, row == null ? "-" : row.metric().format(b), unit,
                a / b));
    }

    private String bestPeer(Results.Row row, List<String> peers) {
        double best = Table.bestMedian(results, row, peers);
        for (String p : peers) {
            if (results.median(row, p) == best) {
                return p;
            }
        }
        return String.join("|", peers);
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
            out.printf(Locale.ROOT, "%-8s %-56s %s%n", verdict, c.target(), c.detail());
        }
        if (noData > 0) {
            out.println(noData + " target(s) not evaluated: their workloads or stacks were not run, or failed");
        }
    }
}
