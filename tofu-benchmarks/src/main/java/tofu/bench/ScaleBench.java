package tofu.bench;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tofu.Address;
import tofu.Ampe;
import tofu.ChannelGroup;
import tofu.Reactor;

/**
 * The scale workload: one tofu engine (this process) accepting {@code n} UDS connections from a {@link ScaleClient}
 * in a child JVM. Measures the time to establish them (HelloRequest posted → HelloResponse received, seen by the
 * client), the used heap per idle connection on both sides (after GC, before and after), and the throughput of 64 B
 * messages with {@code active} channels streaming while the rest stay idle. UDS because 10,000 loopback TCP
 * connections would also spend ephemeral ports; the descriptor limit ({@code ulimit -n}) caps {@code n}.
 */
final class ScaleBench {
    static final String SECTION = "scale";
    static final String COLUMN = Stacks.TOFU_UDS;
    private static final int BODY = 64;
    private static final long FD_MARGIN = 256;
    private static final long LINE_WAIT_SECONDS = 300;

    private final BenchConfig config;
    private final Results results;
    private final Workloads workloads;
    private final PrintStream log;

    ScaleBench(BenchConfig config, Results results, Workloads workloads, PrintStream log) {
        this.config = config;
        this.results = results;
        this.workloads = workloads;
        this.log = log;
    }

    /** Runs the workload once; failures become notes. */
    void run(Path udsDir) {
        try {
            runOnce(udsDir);
        } catch (Exception | Error e) {
            workloads.fail("scale", e);
        }
    }

    private int affordableConnections() {
        int want = config.scaleConnections();
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (!(os instanceof UnixOperatingSystemMXBean)) {
            return want;
        }
        UnixOperatingSystemMXBean unix = (UnixOperatingSystemMXBean) os;
        long max = unix.getMaxFileDescriptorCount();
        long open = unix.getOpenFileDescriptorCount();
        long possible = max - open - FD_MARGIN;
        results.note("scale: file descriptor limit (ulimit -n) " + max + ", open before the test " + open);
        if (possible < want) {
            results.note("scale: DEGRADED to " + possible + " connections (wanted " + want + "): the descriptor limit "
                    + max + " leaves no more; raise it with ulimit -n");
            return (int) Math.max(1, possible);
        }
        return want;
    }

    private void runOnce(Path udsDir) throws Exception {
        int n = affordableConnections();
        int active = Math.min(config.scaleActive(), n);
        log.printf("  scale: %d idle UDS connections, %d active%n", n, active);
        Reactor engine = Reactor.create(TofuLink.OPTIONS);
        Threads.Worker receiving = null;
        try {
            Ampe ampe = engine.ampe();
            ChannelGroup group = ampe.create();
            Address address = TofuOps.listen(ampe, group,
                    Address.udsServer(udsDir.resolve("scale.sock").toString()));
            TofuReceiver receiver = new TofuReceiver(ampe, group);
            long heap0 = Heap.usedAfterGc();
            receiving = Threads.start("scale-receiver", receiver);
            Process child = startClient(address, n, active);
            try {
                measure(child, receiver, n, active, heap0);
            } finally {
                child.getOutputStream().close();
                if (!child.waitFor(20, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                    results.note("scale: the client process had to be killed");
                }
            }
        } finally {
            engine.close(); // ends the receiver: its waitReceive throws SHUTDOWN_STARTED
            if (receiving != null) {
                receiving.join();
            }
        }
    }

    private void measure(Process child, TofuReceiver receiver, int n, int active, long heap0)
            throws InterruptedException {
        BlockingQueue<String> lines = readLines(child);
        String[] connected = awaitLine(lines, "CONNECTED").split(" ");
        awaitAccepted(receiver, n);
        long heap1 = Heap.usedAfterGc();
        record("idle connections", Metric.CONNECTIONS, n);
        record("time to establish", Metric.ESTABLISH_MS, Long.parseLong(connected[2]) / 1e6);
        record("heap per idle conn, server", Metric.HEAP_PER_CONN, (heap1 - heap0) / (double) n);
        record("heap per idle conn, client", Metric.HEAP_PER_CONN, Long.parseLong(connected[3]) / (double) n);
        if (!"0".equals(connected[4])) {
            results.note("scale: " + connected[4] + " connects were refused and retried");
        }
        try (Stack.Stream stream = new ChildStream(child.getOutputStream(), receiver)) {
            workloads.measure(SECTION, active + " active of " + n + ", 64 B", COLUMN, stream, BODY);
        }
        awaitLine(lines, "DONE");
    }

    /** The child's senders seen as a stream: GO starts them, STOP ends them; this process counts what arrives. */
    private static final class ChildStream implements Stack.Stream {
        private final OutputStream toChild;
        private final TofuReceiver receiver;

        ChildStream(OutputStream toChild, TofuReceiver receiver) {
            this.toChild = toChild;
            this.receiver = receiver;
        }

        @Override
        public void start() {
            send(toChild, "GO");
        }

        @Override
        public long received() {
            return receiver.received();
        }

        @Override
        public void close() {
            send(toChild, "STOP");
        }
    }

    private void record(String workload, Metric metric, double value) {
        results.add(new Results.Row(SECTION, workload, metric), COLUMN, value);
    }

    private static Process startClient(Address address, int n, int active) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-Xmx1g", "-Dtofu.bench.pool=" + TofuLink.POOL, "-cp",
                System.getProperty("java.class.path"), ScaleClient.class.getName(), address.value(),
                Integer.toString(n), Integer.toString(active), Integer.toString(BODY));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** Copies the child's output lines into a queue, so waits on them can be bounded. */
    private static BlockingQueue<String> readLines(Process child) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Threads.start("scale-client-output", () -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            }
        });
        return lines;
    }

    private static String awaitLine(BlockingQueue<String> lines, String prefix) throws InterruptedException {
        while (true) {
            String line = lines.poll(LINE_WAIT_SECONDS, TimeUnit.SECONDS);
            if (line == null) {
                throw new IllegalStateException("the scale client did not say " + prefix + " in time");
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    private static void awaitAccepted(TofuReceiver receiver, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (receiver.accepted() < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("accepted " + receiver.accepted() + " of " + n + " connections");
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    private static void send(OutputStream out, String line) {
        try {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException("cannot talk to the scale client", e);
        }
    }
}
