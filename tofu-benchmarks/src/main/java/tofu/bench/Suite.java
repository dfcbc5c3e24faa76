package tofu.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the parts of a side-by-side run in order. Within a part every figure is measured {@code runs} times, and the
 * runs alternate between stacks (run 1 of every stack, then run 2, ...), so drift of the machine's load hits all
 * stacks alike and each ratio is a same-run ratio. Single-threaded: the harness thread.
 */
final class Suite {
    private static final int SMALL = 64;
    private static final int LARGE = 16 * 1024;
    /** Messages tofu's sender posts per channel in turn in the second many-channels row: Netty's flush unit. */
    static final int BURST = 64;

    private final BenchConfig config;
    private final Results results;
    private final Path udsDir;
    private final PrintStream log;
    private final Workloads w;
    private final List<Stack> stacks = new ArrayList<>();

    Suite(BenchConfig config, Results results, Path udsDir, PrintStream log) {
        this.config = config;
        this.results = results;
        this.udsDir = udsDir;
        this.log = log;
        this.w = new Workloads(config, results, log);
        for (String name : config.stacks()) {
            stacks.add(Stacks.create(name, udsDir));
        }
    }

    void run() {
        if (config.has(BenchConfig.Part.THROUGHPUT)) {
            throughput();
        }
        if (config.has(BenchConfig.Part.WINDOW)) {
            window();
        }
        if (config.has(BenchConfig.Part.ALLOCATION)) {
            allocation();
        }
        if (config.has(BenchConfig.Part.CHANNELS)) {
            channels();
        }
        if (config.has(BenchConfig.Part.SERVICE)) {
            service();
        }
        if (config.has(BenchConfig.Part.LATENCY)) {
            latency();
        }
        if (config.has(BenchConfig.Part.PINNED)) {
            new PinnedLatency(config, results, w, log).run();
        }
        if (config.has(BenchConfig.Part.SCALE)) {
            log.println("scale");
            new ScaleBench(config, results, w, log).run(udsDir);
        }
    }

    private void throughput() {
        log.println("one-way throughput");
        for (int size : config.sizes()) {
            for (int run = 0; run < config.runs(); run++) {
                for (Stack s : stacks) {
                    w.oneWay(Workloads.ONE_WAY, Workloads.sizeLabel(size), s, size, 1);
                }
            }
        }
    }

    /** The tofu stacks among those run. */
    private List<TofuStack> tofuStacks() {
        List<TofuStack> tofu = new ArrayList<>();
        for (Stack s : stacks) {
            if (s instanceof TofuStack) {
                tofu.add((TofuStack) s);
            }
        }
        return tofu;
    }

    /**
     * Item 1 of issue 14: tofu's 64 B one-way rate at each send window W (pool (W, W)), sender posting with
     * {@code post(msg)} and {@code get(ALWAYS)}. The peers have no such window; their 64 B one-way figures of this
     * run are copied into every row so that each W has its ratios.
     */
    private void window() {
        log.println("send window");
        for (int run = 0; run < config.runs(); run++) {
            for (int window : config.windows()) {
                for (TofuStack s : tofuStacks()) {
                    w.oneWay(Workloads.WINDOW, windowLabel(SMALL, window), s.name(), SMALL,
                            () -> s.openWindowStream(SMALL, 1, window, false, 1));
                }
            }
        }
        for (int window : config.windows()) {
            copyPeers(Workloads.WINDOW, windowLabel(SMALL, window));
        }
    }

    static String windowLabel(int size, int window) {
        return Workloads.sizeLabel(size) + ", W=" + window;
    }

    /**
     * Item 5 of issue 14: bytes allocated per message in the steady state of a sender that keeps its in-flight count
     * within the pool, takes messages with {@code get(ALWAYS)} and posts with {@code post(msg, into)} (the header
     * snapshot of {@code post(msg)} is an allocation the user chooses), at 64 B and 16 KiB.
     */
    private void allocation() {
        log.println("allocation");
        int window = TofuLink.POOL;
        for (int size : new int[] {SMALL, LARGE}) {
            for (int run = 0; run < config.runs(); run++) {
                for (TofuStack s : tofuStacks()) {
                    w.oneWay(Workloads.ALLOCATION, windowLabel(size, window), s.name(), size,
                            () -> s.openWindowStream(size, 1, window, true, 1));
                }
            }
        }
    }

    /**
     * Many active channels. tofu's sender posts one message per channel in turn (the hardest case for batching per
     * channel); Netty's producers write up to 64 per channel between flushes and raw NIO a full buffer, so tofu is
     * also measured posting {@value #BURST} per channel in turn (a row of its own, the peers' figures copied).
     */
    private void channels() {
        log.println("many channels");
        for (int channels : config.channelCounts()) {
            String workload = channelsLabel(channels);
            if (channels == 1 && copyOneWay(workload)) {
                continue;
            }
            for (int run = 0; run < config.runs(); run++) {
                for (Stack s : stacks) {
                    w.oneWay(Workloads.CHANNELS, workload, s, SMALL, channels);
                }
                for (TofuStack s : tofuStacks()) {
                    w.oneWay(Workloads.CHANNELS, burstLabel(channels), s.name(), SMALL,
                            () -> s.openWindowStream(SMALL, channels, TofuStack.window(channels), false, BURST));
                }
            }
            List<String> peers = config.stacks().stream().filter(s -> !Stacks.isTofu(s)).toList();
            copy(Workloads.CHANNELS, workload, Workloads.CHANNELS, burstLabel(channels), peers);
        }
    }

    static String channelsLabel(int channels) {
        return channels + " ch x " + Workloads.sizeLabel(SMALL);
    }

    static String burstLabel(int channels) {
        return channelsLabel(channels) + ", " + BURST + " per ch";
    }

    private void service() {
        log.println("server with many clients");
        for (int clients : config.clientCounts()) {
            for (int run = 0; run < config.runs(); run++) {
                for (Stack s : stacks) {
                    w.service(Workloads.SERVICE, s, clients, config.inFlight(), SMALL);
                }
            }
        }
    }

    private void latency() {
        log.println("round trips");
        for (int run = 0; run < config.runs(); run++) {
            for (Stack s : stacks) {
                w.roundTrip(Workloads.RTT, s, config.rttBody(), 0);
            }
        }
        for (int run = 0; run < config.runs(); run++) {
            for (Stack s : stacks) {
                w.roundTrip(Workloads.RTT_RATE, s, config.rttBody(), config.rate());
            }
        }
    }

    /** The single-channel row is the 64 B one-way measurement: reuse it rather than measure it twice. */
    private boolean copyOneWay(String workload) {
        return copy(Workloads.ONE_WAY, Workloads.sizeLabel(SMALL), Workloads.CHANNELS, workload, config.stacks());
    }

    /** Copies the peers' 64 B one-way figures of this run into a row of {@code section}. */
    private void copyPeers(String section, String workload) {
        List<String> peers = config.stacks().stream().filter(s -> !Stacks.isTofu(s)).toList();
        copy(Workloads.ONE_WAY, Workloads.sizeLabel(SMALL), section, workload, peers);
    }

    private boolean copy(String fromSection, String fromWorkload, String toSection, String workload,
                         List<String> columns) {
        boolean copied = false;
        for (Metric m : new Metric[] {Metric.MSG_RATE, Metric.MB_RATE, Metric.ALLOC_PER_MSG, Metric.CPU_PER_MSG,
            Metric.SWITCHES_PER_KMSG}) {
            Results.Row from = results.find(fromSection, fromWorkload, m);
            if (from == null) {
                return copied;
            }
            for (String stack : columns) {
                for (double v : results.values(from, stack)) {
                    results.add(new Results.Row(toSection, workload, m), stack, v);
                    copied = true;
                }
            }
        }
        return copied;
    }
}
