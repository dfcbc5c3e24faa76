package tofu.bench;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * Runs one measured window of a workload on one stack and records its figures. Setup and teardown (connecting,
 * closing) stay outside the window; allocation, CPU and context switches are counted over all threads inside it.
 */
final class Workloads {
    static final String ONE_WAY = "one-way";
    static final String CHANNELS = "channels";
    static final String WINDOW = "window (tofu: at most W in flight, pool (W, W))";
    static final String ALLOCATION = "allocation (get(ALWAYS), post(msg, into), window = pool)";
    static final String SERVICE = "server with many clients";
    static final String RTT = "rtt back-to-back";
    static final String RTT_RATE = "rtt fixed-rate";
    /** Largest round trip a histogram records; longer ones are recorded as this. */
    static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long FIRST_MESSAGE_NANOS = TimeUnit.SECONDS.toNanos(20);

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

    /** A stream factory that may throw, so every one-way workload shares {@link #oneWay}'s failure handling. */
    @FunctionalInterface
    interface StreamOpener {
        Stack.Stream open() throws Exception;
    }

    /**
     * One-way throughput: start the stream, warm up, then count messages received in a window of
     * {@code measureNanos}. Records msg/s, MB/s (frame bytes: 16-byte header + body), B/msg, CPU and context switches.
     */
    void oneWay(String section, String workload, Stack stack, int bodySize, int channels) {
        oneWay(section, workload, stack.name(), bodySize, () -> stack.openStream(bodySize, channels));
    }

    /** One-way throughput of the stream {@code opener} opens, recorded under {@code column}. */
    void oneWay(String section, String workload, String column, int bodySize, StreamOpener opener) {
        String what = column + " " + section + " " + workload;
        try (Stack.Stream stream = opener.open()) {
            measure(section, workload, column, stream, bodySize);
        } catch (Exception | Error e) {
            fail(what, e);
        }
    }

    /**
     * Whether each stack's long-lived objects (pools, buffers, channels) are moved to the old generation before it is
     * measured, as in an application that has run for a while (-Dtofu.bench.promote=false to skip). Why it matters:
     * with G1, a reference store into an old object that points to another region costs a card to refine, and a
     * fresh JVM whose pools are still young skips that cost (tofu's many-channels row ran 2× faster that way).
     */
    private static final boolean PROMOTE = Boolean.parseBoolean(System.getProperty("tofu.bench.promote", "true"));

    /** One full collection before a workload starts, for every stack alike ({@link #PROMOTE}). */
    static void promote() {
        if (PROMOTE) {
            System.gc();
        }
    }

    /** Starts {@code stream}, warms up and measures one window; records the figures under {@code column}. */
    void measure(String section, String workload, String column, Stack.Stream stream, int bodySize)
            throws InterruptedException {
        promote();
        stream.start();
        sleep(config.warmNanos());
        awaitMore(stream::received, 0);
        long c0 = stream.received();
        ThreadMeter meter = ThreadMeter.start();
        long t0 = System.nanoTime();
        sleep(config.measureNanos());
        awaitMore(stream::received, c0);
        long c1 = stream.received();
        long t1 = System.nanoTime();
        ThreadMeter.Usage usage = meter.stop();
        long n = c1 - c0;
        double seconds = (t1 - t0) / 1e9;
        record(section, workload, Metric.MSG_RATE, column, n / seconds);
        record(section, workload, Metric.MB_RATE, column, n * (double) (Wire.HEADER + bodySize) / seconds / 1e6);
        record(section, workload, Metric.ALLOC_PER_MSG, column, (double) usage.allocatedBytes() / n);
        record(section, workload, Metric.CPU_PER_MSG, column, (double) usage.cpuNanos() / n);
        record(section, workload, Metric.SWITCHES_PER_KMSG, column, usage.switches() * 1000.0 / n);
        log.printf("  %-44s %9s msg/s; cpu/msg: %s; cs/1k msg: %s %s%n", column + " " + section + " " + workload,
                Metric.MSG_RATE.format(n / seconds), usage.cpuBreakdown(n), usage.switchBreakdown(n / 1000.0),
                stream.diagnostics());
    }

    /**
     * Waits until the count passes {@code count}: a window must hold at least one message (a short window on a busy
     * machine, or a receiver that publishes its count per read batch, may otherwise see none).
     */
    private static void awaitMore(LongSupplier counter, long count) {
        long deadline = System.nanoTime() + FIRST_MESSAGE_NANOS;
        while (counter.getAsLong() <= count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("nothing arrived within 20 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /**
     * Round-trip latency, one request in flight. Back-to-back ({@code rate == 0}): the next request leaves as soon as
     * the response is in, driven by the stack's own way ({@link Stack.Pinger#backToBack}: the calling thread, or
     * Netty's event loop). Fixed rate: the calling thread schedules requests every 1/rate s and times each from just
     * before the send to just after the response; a response later than the interval means the requests that should
     * have left meanwhile were delayed too, which HdrHistogram's {@code recordValueWithExpectedInterval} adds back
     * (coordinated-omission correction), and the schedule restarts from now instead of bursting to catch up.
     */
    void roundTrip(String section, Stack stack, int bodySize, int rate) {
        roundTrip(section, stack, stack.name(), bodySize, rate);
    }

    /** {@link #roundTrip(String, Stack, int, int)}, recorded under {@code column}. */
    void roundTrip(String section, Stack stack, String column, int bodySize, int rate) {
        String what = column + " " + section;
        try (Stack.Pinger pinger = stack.openPinger(bodySize)) {
            promote();
            pinger.warmUp(config.warmNanos());
            Histogram h = new Histogram(HIGHEST_NANOS, 3);
            ThreadMeter meter = ThreadMeter.start();
            long n = rate > 0 ? paced(pinger, h, rate) : pinger.backToBack(config.measureNanos(), h);
            ThreadMeter.Usage usage = meter.stop();
            String workload = sizeLabel(bodySize) + (rate > 0 ? " @" + rate + "/s" : "");
            recordLatency(section, workload, column, h);
            record(section, workload, Metric.ALLOC_PER_RT, column, (double) usage.allocatedBytes() / n);
            record(section, workload, Metric.CPU_PER_RT, column, usage.cpuNanos() / 1e3 / n);
            record(section, workload, Metric.SWITCHES_PER_RT, column, (double) usage.switches() / n);
            log.printf("  %-44s p50 %.1f us, %d round trips; cpu/rt: %s; cs/rt: %s%n", what,
                    h.getValueAtPercentile(50) / 1e3, n, usage.cpuBreakdown(n), usage.switchBreakdown(n));
        } catch (Exception | Error e) {
            fail(what, e);
        }
    }

    private long paced(Stack.Pinger pinger, Histogram h, int rate) throws Exception {
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long n = 0;
        long start = System.nanoTime();
        long next = start;
        while (true) {
            long now = System.nanoTime();
            if (now - start >= config.rateMeasureNanos()) {
                return n;
            }
            if (next - now > 0) {
                LockSupport.parkNanos(next - now);
            }
            long t0 = System.nanoTime();
            pinger.roundTrip();
            long t1 = System.nanoTime();
            h.recordValueWithExpectedInterval(Math.min(t1 - t0, HIGHEST_NANOS), interval);
            next = Math.max(next + interval, t1);
            n++;
        }
    }

    /**
     * The "server with many clients" workload: {@code clients} connections each keeping {@code inFlight} requests
     * outstanding against one echo server; round trips per second and their percentiles over one window.
     */
    void service(String section, Stack stack, int clients, int inFlight, int bodySize) {
        String workload = clients + " clients x " + inFlight + " in flight, " + sizeLabel(bodySize);
        String what = stack.name() + " " + section + " " + workload;
        Stack.Service service = null;
        try {
            service = stack.openService(clients, inFlight, bodySize);
            if (service == null) {
                return; // the stack has no such workload: its cells stay empty
            }
            Stack.Service s = service;
            promote();
            s.start();
            sleep(config.warmNanos());
            awaitMore(s::completed, 0);
            long c0 = s.completed();
            s.interval();
            ThreadMeter meter = ThreadMeter.start();
            long t0 = System.nanoTime();
            sleep(config.measureNanos());
            awaitMore(s::completed, c0);
            long c1 = s.completed();
            long t1 = System.nanoTime();
            Histogram h = s.interval();
            ThreadMeter.Usage usage = meter.stop();
            long n = c1 - c0;
            record(section, workload, Metric.RT_RATE, stack.name(), n / ((t1 - t0) / 1e9));
            recordLatency(section, workload, stack.name(), h);
            record(section, workload, Metric.ALLOC_PER_RT, stack.name(), (double) usage.allocatedBytes() / n);
            record(section, workload, Metric.CPU_PER_RT, stack.name(), usage.cpuNanos() / 1e3 / n);
            record(section, workload, Metric.SWITCHES_PER_KRT, stack.name(), usage.switches() * 1000.0 / n);
            log.printf("  %-44s %9s rt/s, p99 %.0f us; cpu/rt: %s%n", what,
                    Metric.RT_RATE.format(n / ((t1 - t0) / 1e9)), h.getValueAtPercentile(99) / 1e3,
                    usage.cpuBreakdown(n));
        } catch (Exception | Error e) {
            fail(what, e);
        } finally {
            if (service != null) {
                try {
                    service.close();
                } catch (RuntimeException e) {
                    fail(what + " (closing)", e);
                }
            }
        }
    }

    private void recordLatency(String section, String workload, String column, Histogram h) {
        record(section, workload, Metric.P50, column, h.getValueAtPercentile(50) / 1e3);
        record(section, workload, Metric.P99, column, h.getValueAtPercentile(99) / 1e3);
        record(section, workload, Metric.P999, column, h.getValueAtPercentile(99.9) / 1e3);
        record(section, workload, Metric.MAX, column, h.getMaxValue() / 1e3);
    }

    void record(String section, String workload, Metric metric, String column, double v) {
        results.add(new Results.Row(section, workload, metric), column, v);
    }

    void fail(String what, Throwable e) {
        results.note("FAILED " + what + ": " + e);
        log.println("  FAILED " + what + ": " + e);
        e.printStackTrace(log);
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
