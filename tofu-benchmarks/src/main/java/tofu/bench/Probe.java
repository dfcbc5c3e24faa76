package tofu.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One tofu workload alone, for a fixed time, with nothing else in the process: the subject for {@code perf stat},
 * {@code perf sched}, {@code strace -f -c} or JFR when the side-by-side figures need explaining.
 *
 * <pre>
 * java -cp tofu-benchmarks.jar tofu.bench.Probe window tcp 1024 10     # 64 B one-way, W = pool = 1024, 10 s
 * java -cp tofu-benchmarks.jar tofu.bench.Probe rtt uds 0 10           # back-to-back 64 B round trips, 10 s
 * java -Dtofu.bench.body=16384 -cp tofu-benchmarks.jar tofu.bench.Probe window uds 4096 10   # 16 KiB bodies
 * java -cp tofu-benchmarks.jar tofu.bench.Probe channels tcp 256 10     # 256 channels round-robin, 64 B
 * java -cp tofu-benchmarks.jar tofu.bench.Probe service tcp 2 10       # 1024 clients x 4 in flight, over 2 pairs
 *                                                                     # of engines (docs/SCALING.md)
 * perf stat -e context-switches,cpu-migrations -p $(pgrep -f tofu.bench.Probe) -- sleep 3
 * </pre>
 *
 * <p>Prints one line per second (rate, and for round trips p50/p99) to standard output, and the totals at the end.
 */
public final class Probe {
    /** Body size in bytes (-Dtofu.bench.body=N, default 64): 16384 or 65535 for the large-body rows. */
    private static final int BODY = Integer.getInteger("tofu.bench.body", 64);

    private Probe() {
    }

    /** Arguments: {@code window|rtt}, {@code tcp|uds}, window (ignored for rtt), seconds. */
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: Probe window|channels|rtt|service tcp|uds WINDOW|CHANNELS|ENGINES SECONDS");
            System.exit(2);
        }
        boolean uds = "uds".equals(args[1]);
        int window = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        Path dir = Files.createTempDirectory("tofu-probe");
        try {
            TofuStack stack = new TofuStack(uds ? dir : null);
            if ("rtt".equals(args[0])) {
                roundTrips(stack, seconds);
            } else if ("channels".equals(args[0])) {
                try (Stack.Stream stream = stack.openStream(BODY, window)) {
                    count(stack, stream, window, seconds);
                }
            } else if ("service".equals(args[0])) {
                service(stack, window, seconds);
            } else {
                oneWay(stack, window, seconds);
            }
        } finally {
            try (java.util.stream.Stream<Path> files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static void oneWay(TofuStack stack, int window, int seconds) throws Exception {
        try (Stack.Stream stream = stack.openWindowStream(BODY, 1, window, false, 1)) {
            count(stack, stream, window, seconds);
        }
    }

    /** Starts {@code stream} and prints its rate every second, then the total; {@code label}: W or channels. */
    private static void count(TofuStack stack, Stack.Stream stream, int label, int seconds) throws Exception {
        Workloads.promote(); // old pools, as in the harness
        stream.start();
        long first = stream.received();
        long t0 = System.nanoTime();
        long last = first;
        for (int s = 0; s < seconds; s++) {
            TimeUnit.SECONDS.sleep(1);
            long now = stream.received();
            System.out.printf(Locale.ROOT, "%s %d, %d B: %.2f M msg/s, %.0f MB/s; %s%n", stack.name(), label, BODY,
                    (now - last) / 1e6, (now - last) * (BODY + 16.0) / 1e6, stream.diagnostics());
            last = now;
        }
        double rate = (last - first) / ((System.nanoTime() - t0) / 1e9);
        System.out.printf(Locale.ROOT, "total %.3f M msg/s, %.0f MB/s%n", rate / 1e6, rate * (BODY + 16.0) / 1e6);
    }

    /**
     * The "server with many clients" workload (1024 clients, 4 requests in flight each) spread over {@code engines}
     * independent pairs of engines, each pair with its own share of the clients, client thread and echo thread: how a
     * user spreads load over several engines today.
     */
    private static void service(TofuStack stack, int engines, int seconds) throws Exception {
        int clients = 1024;
        java.util.List<Stack.Service> shards = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < engines; i++) {
                shards.add(stack.openService(clients / engines, 4, BODY));
            }
            shards.forEach(Stack.Service::start);
            TimeUnit.SECONDS.sleep(1);
            long first = completed(shards);
            shards.forEach(Stack.Service::interval);
            long t0 = System.nanoTime();
            TimeUnit.SECONDS.sleep(seconds);
            long n = completed(shards) - first;
            double elapsed = (System.nanoTime() - t0) / 1e9;
            Histogram h = new Histogram(Workloads.HIGHEST_NANOS, 3);
            shards.forEach(s -> h.add(s.interval()));
            System.out.printf(Locale.ROOT, "%s, %d clients over %d engine pair(s): %.0f k rt/s, p50 %.0f us, "
                    + "p99 %.0f us, p99.9 %.0f us%n", stack.name(), clients, engines, n / elapsed / 1e3,
                    h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                    h.getValueAtPercentile(99.9) / 1e3);
        } finally {
            shards.forEach(Stack.Service::close);
        }
    }

    private static long completed(java.util.List<Stack.Service> shards) {
        return shards.stream().mapToLong(Stack.Service::completed).sum();
    }

    private static void roundTrips(TofuStack stack, int seconds) throws Exception {
        try (Stack.Pinger pinger = stack.openPinger(BODY)) {
            Histogram total = new Histogram(Workloads.HIGHEST_NANOS, 3);
            for (int s = 0; s < seconds; s++) {
                Histogram h = new Histogram(Workloads.HIGHEST_NANOS, 3);
                long n = pinger.backToBack(TimeUnit.SECONDS.toNanos(1), h);
                total.add(h);
                System.out.printf(Locale.ROOT, "%s: %d rt/s, p50 %.1f us, p99 %.1f us, p99.9 %.1f us%n", stack.name(),
                        n, h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                        h.getValueAtPercentile(99.9) / 1e3);
            }
            System.out.printf(Locale.ROOT, "total %d round trips, p50 %.1f us, p99 %.1f us, p99.9 %.1f us%n",
                    total.getTotalCount(), total.getValueAtPercentile(50) / 1e3,
                    total.getValueAtPercentile(99) / 1e3, total.getValueAtPercentile(99.9) / 1e3);
        }
    }
}
