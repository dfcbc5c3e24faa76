package tofu.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tofu.Body;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;
import tofu.cli.text.Json;
import tofu.cli.text.SafeText;

/**
 * {@code tofu ping <address> [--count N] [--size B] [--timeout-ms T] [--interval-ms I]}: one request at a time
 * against an echo peer, like ping: a reply that does not come within the timeout counts as lost and the run goes on;
 * Ctrl-C ends the run and prints the summary so far; the summary counts sent, received and lost, with percentiles
 * from an HdrHistogram.
 */
@Command(name = "ping", mixinStandardHelpOptions = true,
        header = "Measure round-trip latency against an echo peer.",
        description = {"Send requests one at a time to 'tofu listen --echo' and print each round trip, then a "
                + "summary: sent, received, lost, and min/p50/p90/p99/p99.9/max/mean.",
            "A reply that does not come within --timeout-ms counts as lost and the run goes on; a reply that comes "
                + "later is counted as late, not received. Ctrl-C ends the run and prints the summary so far "
                + "(exit code 130).",
            "Exits 0 if every request was answered, 3 if some were lost."})
public final class PingCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    TlsOptions tls;

    @Parameters(index = "0", paramLabel = "<address>", description = "An echo peer: tcp|<host>|<port>, tls|<host>|<port> or uds|<path>.")
    String address;

    @Option(names = "--count", paramLabel = "N", defaultValue = "10",
            description = "Requests to send (default 10; 0 = until Ctrl-C).")
    long count;

    @Option(names = "--size", paramLabel = "B", defaultValue = "64",
            description = "Body bytes per request, 0..65535 (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--timeout-ms", paramLabel = "T", defaultValue = "2000",
            description = "How long to wait for each reply, in ms (default ${DEFAULT-VALUE}).")
    long timeoutMillis;

    @Option(names = "--connect-timeout-ms", paramLabel = "T", defaultValue = "5000",
            description = "How long to wait for the connection (the HelloResponse), in ms (default ${DEFAULT-VALUE}).")
    long connectTimeoutMillis;

    @Option(names = "--interval-ms", paramLabel = "I", defaultValue = "0",
            description = "Time from one request to the next, in ms (default 0: send as soon as the reply came).")
    long intervalMillis;

    @Option(names = "--quiet", description = "Print only the summary (with a progress bar on a terminal).")
    boolean quiet;

    @Option(names = "--progress", description = "With --quiet, show the progress bar even when not on a terminal.")
    boolean progress;

    @Option(names = "--json", description = "Print one JSON object per reply or timeout, then a summary object.")
    boolean json;

    private long sent;
    private long received;
    private long late;
    private final LatencyHistogram rtt = new LatencyHistogram();

    @Override
    public Integer call() throws InterruptedException {
        if (count < 0 || timeoutMillis < 1 || connectTimeoutMillis < 1 || intervalMillis < 0 || size < 0
                || size > Body.MAX_LENGTH) {
            throw new ParameterException(spec.commandLine(), "need --count >= 0, --timeout-ms >= 1, "
                    + "--connect-timeout-ms >= 1, --interval-ms >= 0 and --size 0.." + Body.MAX_LENGTH);
        }
        PrintWriter out = spec.commandLine().getOut();
        Thread runner = Thread.currentThread();
        CountDownLatch finished = new CountDownLatch(1);
        try (ShutdownHook hook = ShutdownHook.install(runner::interrupt, finished);
             ClientSession session = ClientSession.connect(address, tls.applyClient(Options.DEFAULT, address),
                     connectTimeoutMillis)) {
            String peer = session.address().value();
            if (!json) {
                out.printf(Locale.ROOT, "PING %s: %s requests of %d B, timeout %d ms%n", SafeText.escape(peer),
                        count == 0 ? "unlimited" : Long.toString(count), size, timeoutMillis);
                out.flush();
            }
            boolean interrupted = false;
            try {
                run(session, out);
            } catch (InterruptedException e) {
                interrupted = true; // Ctrl-C: the summary so far, then 130
            } catch (CliException e) {
                summary(out, peer); // the connection ended: what was measured still counts
                throw e;
            }
            Thread.interrupted(); // an interrupt that raced with the end of the run is answered by the summary too
            if (!interrupted) {
                session.bye(session.ampe()::put);
            }
            summary(out, peer);
            finished.countDown();
            return interrupted ? ExitCodes.INTERRUPTED : received == sent ? ExitCodes.OK : ExitCodes.TIMEOUT;
        } finally {
            finished.countDown();
        }
    }

    private void run(ClientSession session, PrintWriter out) throws InterruptedException {
        byte[] payload = RoundTrips.payload(size);
        long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), quiet && ProgressBar.enabled(progress), count);
        try {
            for (long seq = 1; count == 0 || seq <= count; seq++) {
                Message request = session.message(OpCode.REQUEST);
                request.bhdr().messageId(seq);
                request.body().append(payload);
                long start = System.nanoTime();
                session.send(request);
                sent++;
                awaitReply(session, out, seq, start, timeoutNanos);
                bar.update(seq);
                long pause = TimeUnit.MILLISECONDS.toNanos(intervalMillis) - (System.nanoTime() - start);
                if (pause > 0 && (count == 0 || seq < count)) {
                    TimeUnit.NANOSECONDS.sleep(pause); // pacing, as ping's -i: nothing waits on it
                }
            }
        } finally {
            bar.finish();
        }
    }

    /** Waits for the reply to {@code seq} until its timeout; earlier replies arriving now are late. */
    private void awaitReply(ClientSession session, PrintWriter out, long seq, long start, long timeoutNanos)
            throws InterruptedException {
        while (true) {
            Message m = session.poll(timeoutNanos - (System.nanoTime() - start));
            long now = System.nanoTime();
            if (m == null) {
                print(out, Json.ofType("timeout").put("seq", seq).put("timeout_ms", timeoutMillis),
                        String.format(Locale.ROOT, "timeout seq=%d (no reply within %d ms)", seq, timeoutMillis));
                return;
            }
            long id = m.bhdr().messageId();
            boolean response = m.bhdr().opCode() == OpCode.RESPONSE;
            session.ampe().put(m);
            if (response && id == seq) {
                received++;
                rtt.record(now - start);
                print(out, Json.ofType("reply").put("seq", seq).put("rtt_us", (now - start) / 1e3, 1),
                        String.format(Locale.ROOT, "reply seq=%d time=%.3f ms", seq, (now - start) / 1e6));
                return;
            }
            if (response && id >= 1 && id < seq) {
                late++;
                print(out, Json.ofType("late").put("seq", id), "late reply seq=" + id + " (counted as lost)");
            }
        }
    }

    private void print(PrintWriter out, Json machine, String people) {
        if (!quiet) {
            out.println(json ? machine.toString() : people);
            out.flush();
        }
    }

    private void summary(PrintWriter out, String peer) {
        long lost = sent - received;
        double loss = sent == 0 ? 0 : 100.0 * lost / sent;
        if (json) {
            out.println(Json.ofType("summary").put("command", "ping").put("address", peer).put("size", size)
                    .put("sent", sent).put("received", received).put("lost", lost).put("late", late)
                    .put("loss_percent", loss, 1).put("rtt_us", rtt.json()));
        } else {
            out.printf(Locale.ROOT, "--- %s: %d sent, %d received, %d lost (%.1f%% loss)%s ---%n",
                    SafeText.escape(peer), sent,
                    received, lost, loss, late == 0 ? "" : ", " + late + " late");
            if (received > 0) {
                out.println("rtt " + rtt.summaryMicros());
            }
        }
        out.flush();
    }
}
