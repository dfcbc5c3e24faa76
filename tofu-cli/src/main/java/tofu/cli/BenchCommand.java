package tofu.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tofu.Body;
import tofu.Options;
import tofu.cli.text.Json;
import tofu.cli.text.SafeText;

/**
 * {@code tofu bench <address> [--count N] [--size B] [--window W]}: pipelined requests against an echo peer, with up
 * to W outstanding; prints throughput and latency percentiles (HdrHistogram).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        header = "Measure throughput and latency against an echo peer.",
        description = {"Measure throughput and latency against 'tofu listen --echo --quiet', keeping up to --window "
                + "requests outstanding. A progress bar with rate and time left is shown on a terminal only."})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    TlsOptions tls;

    @Parameters(index = "0", paramLabel = "<address>", description = "An echo peer: tcp|<host>|<port>, tls|<host>|<port> or uds|<path>.")
    String address;

    @Option(names = "--count", paramLabel = "N", defaultValue = "10000", description = "Requests (default 10000).")
    long count;

    @Option(names = "--window", paramLabel = "W", defaultValue = "16",
            description = "Requests outstanding at once (default 16).")
    int window;

    @Option(names = "--size", paramLabel = "B", defaultValue = "64",
            description = "Body bytes per request, 0..65535 (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--timeout-ms", paramLabel = "T", defaultValue = "5000",
            description = "Bound of every wait, in ms (default ${DEFAULT-VALUE}).")
    long timeoutMillis;

    @Option(names = "--progress", description = "Show the progress bar on stderr even when it is not a terminal.")
    boolean progress;

    @Option(names = "--json", description = "Print the results as one JSON object.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        if (count < 1 || window < 1 || window > 0x7FFF || timeoutMillis < 1 || size < 0 || size > Body.MAX_LENGTH) {
            throw new ParameterException(spec.commandLine(), "need --count >= 1, --window 1..32767, --timeout-ms >= 1 "
                    + "and --size 0.." + Body.MAX_LENGTH);
        }
        PrintWriter out = spec.commandLine().getOut();
        int pool = Math.min(2 * window + 16, 0xFFFF);
        try (ClientSession session = ClientSession.connect(address, tls.applyClient(new Options(pool, pool), address),
                timeoutMillis)) {
            if (!json) {
                out.printf(Locale.ROOT, "bench %s: %d requests of %d B, window %d%n",
                        SafeText.escape(session.address().value()), count,
                        size, window);
                out.flush();
            }
            ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), ProgressBar.enabled(progress), count);
            RoundTrips trips = new RoundTrips(session, count, size, window);
            long[] done = new long[1];
            long elapsed = trips.run((seq, rtt) -> bar.update(++done[0]));
            bar.finish();
            session.bye(session.ampe()::put);
            print(out, session.address().value(), trips.latencies(), elapsed);
            return ExitCodes.OK;
        }
    }

    private void print(PrintWriter out, String peer, LatencyHistogram rtt, long elapsedNanos) {
        double perSecond = rtt.count() / (elapsedNanos / 1e9);
        if (json) {
            out.println(Json.ofType("summary").put("command", "bench").put("address", peer).put("count", rtt.count())
                    .put("size", size).put("window", window).put("elapsed_ms", elapsedNanos / 1e6, 3)
                    .put("msg_per_s", perSecond, 1).put("mb_per_s_each_way", perSecond * size / 1e6, 3)
                    .put("rtt_us", rtt.json()));
        } else {
            out.printf(Locale.ROOT, "%d round trips in %.1f ms: %.0f msg/s, %.2f MB/s each way%n", rtt.count(),
                    elapsedNanos / 1e6, perSecond, perSecond * size / 1e6);
            out.println("latency " + rtt.summaryMicros());
        }
        out.flush();
    }
}
