package tofu.bench;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Runs one measured window of a workload on one stack and records its figures. Setup and teardown (connecting,
 * closing) stay outside the window; allocation is counted over all threads inside it.
 */
final class Workloads {
    static final String ONE_WAY = "one-way";
    static final String CHANNELS = "channels";
    static final String RTT = "rtt back-to-back";
    static final String RTT_RATE = "rtt fixed-rate";
    private static final long FIRST_MESSAGE_NANOS = TimeUnit.SECONDS.toNanos(20);
    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final BenchConfig config;
    private final Results results;
    private final PrintStream log;

    Workloads(BenchConfig config, Results results, PrintStream log) {
        this.config = config;
        this.results = results;
        this.log = log;
    }

    /** The label of a body size: "0 B", "64 B", "1 KiB", "16 KiB", "65535 B". */
    static String sizeLabel(int size) {
        if (size >= 1024 && size % 1024 == 0) {
            return size / 1024 + " KiB";
        }
        return size + " B";
    }

    /**
     * One-way throughput: start the stream, warm up, then count messages received in a window of
     * {@code measureNanos}. Records msg/s, MB/s (frame bytes: 16-byte header + body) and B/msg.
     */
    void oneWay(String section, String workload, Stack stack, int bodySize, int channels) {
        String what = stack.name() + " " + section + " " + workload;
        try (Stack.Stream stream = stack.openStream(bodySize, channels)) {
            measure(section, workload, stack.name(), stream, bodySize);
        } catch (Exception | Error e) {
            fail(what, e);
        }
    }

    /** Starts {@code stream}, warms up and measures one window; records the figures under {@code column}. */
    void measure(String section, String workload, String column, Stack.Stream stream, int bodySize)
            throws InterruptedException {
        stream.start();
        sleep(config.warmNanos());
        awaitFirst(stream);
        long c0 = stream.received();
        ThreadMeter meter = ThreadMeter.start();
        long t0 = System.nanoTime();
        sleep(config.measureNanos());
        awaitMore(stream, c0);
        long c1 = stream.received();
        long t1 = System.nanoTime();
        ThreadMeter.Usage usage = meter.stop();
        long n = c1 - c0;
        double seconds = (t1 - t0) / 1e9;
        results.add(new Results.Row(section, workload, Metric.MSG_RATE), column, n / seconds);
        results.add(new Results.Row(section, workload, Metric.MB_RATE), column,
                n * (double) (Wire.HEADER + bodySize) / seconds / 1e6);
        results.add(new Results.Row(section, workload, Metric.ALLOC_PER_MSG), column,
                (double) usage.allocatedBytes() / n);
        results.add(new Results.Row(section, workload, Metric.CPU_PER_MSG), column, (double) usage.cpuNanos() / n);
        log.printf("  %-44s %9s msg/s; cpu/msg: %s%n", column + " " + section + " " + workload,
                Metric.MSG_RATE.format(n / seconds), usage.cpuBreakdown(n));
    }

    private static void awaitFirst(Stack.Stream stream) {
        awaitMore(stream, 0);
    }

    /**
     * Waits until the count passes {@code count}: a window must hold at least one message (a short window on a busy
     * machine, or a receiver that publishes its count per read batch, may otherwise see none).
     */
    private static void awaitMore(Stack.Stream stream, long count) {
        long deadline = System.nanoTime() + FIRST_MESSAGE_NANOS;
        while (stream.received() <= count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no message arrived within 20 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /**
     * Round-trip latency, one request in flight, timed by the calling thread from just before the send to just after
     * the response. Back-to-back ({@code rate == 0}): the next request leaves as soon as the response is in. Fixed
     * rate: requests are scheduled every 1/rate s; a response later than the interval means the requests that should
     * have left meanwhile were delayed too, which HdrHistogram's {@code recordValueWithExpectedInterval} adds back
     * (coordinated-omission correction), and the schedule restarts from now instead of bursting to catch up.
     */
    void roundTrip(String section, Stack stack, int bodySize, int rate) {
        String what = stack.name() + " " + section;
        try (Stack.Pinger pinger = stack.openPinger(bodySize)) {
            long warmEnd = System.nanoTime() + config.warmNanos();
            while (System.nanoTime() < warmEnd) {
                pinger.roundTrip();
            }
            Histogram h = new Histogram(HIGHEST_NANOS, 3);
            long interval = rate > 0 ? TimeUnit.SECONDS.toNanos(1) / rate : 0;
            long window = rate > 0 ? config.rateMeasureNanos() : config.measureNanos();
            long n = 0;
            ThreadMeter meter = ThreadMeter.start();
            long start = System.nanoTime();
            long next = start;
            while (true) {
                long now = System.nanoTime();
                if (now - start >= window) {
                    break;
                }
                if (interval > 0 && next - now > 0) {
                    LockSupport.parkNanos(next - now);
                }
                long t0 = System.nanoTime();
                pinger.roundTrip();
                long t1 = System.nanoTime();
                long v = Math.min(t1 - t0, HIGHEST_NANOS);
                if (interval > 0) {
                    h.recordValueWithExpectedInterval(v, interval);
                    next = Math.max(next + interval, t1);
                } else {
                    h.recordValue(v);
                }
                n++;
            }
            ThreadMeter.Usage usage = meter.stop();
            String workload = sizeLabel(bodySize) + (rate > 0 ? " @" + rate + "/s" : "");
            record(section, workload, Metric.P50, stack, h.getValueAtPercentile(50) / 1e3);
            record(section, workload, Metric.P99, stack, h.getValueAtPercentile(99) / 1e3);
            record(section, workload, Metric.P999, stack, h.getValueAtPercentile(99.9) / 1e3);
            record(section, workload, Metric.MAX, stack, h.getMaxValue() / 1e3);
            record(section, workload, Metric.ALLOC_PER_RT, stack, (double) usage.allocatedBytes() / n);
            record(section, workload, Metric.CPU_PER_RT, stack, usage.cpuNanos() / 1e3 / n);
            log.printf("  %-44s p50 %.1f us, %d round trips; cpu/rt: %s%n", what, h.getValueAtPercentile(50) / 1e3,
                    n, usage.cpuBreakdown(n));
        } catch (Exception | Error e) {
            fail(what, e);
        }
    }

    private void record(String section, String workload, Metric metric, Stack stack, double v) {
        results.add(new Results.Row(section, workload, metric), stack.name(), v);
    }

    void fail(String what, Throwable e) {
        results.note("FAILED " + what + ": " + e);
        log.println("  FAILED " + what + ": " + e);
        if (e instanceof Error && !(e instanceof AssertionError)) {
            throw (Error) e;
        }
    }

    static void sleep(long nanos) throws InterruptedException {
        long end = System.nanoTime() + nanos;
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }
}
