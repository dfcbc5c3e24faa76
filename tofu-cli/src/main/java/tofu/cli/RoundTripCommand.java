package tofu.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tofu.Body;
import tofu.Options;

/**
 * What {@code ping} and {@code bench} share: the options, the connection, the measured run with its progress bar, and
 * the graceful close. Subclasses choose the count, the window and how results are printed.
 */
abstract class RoundTripCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<address>",
            description = "An echo peer: tcp|<host>|<port>, tls|<host>|<port> or uds|<path>.")
    String address;

    @picocli.CommandLine.Mixin
    TlsOptions tls;

    @Option(names = "--size", paramLabel = "B", defaultValue = "64",
            description = "Body bytes per request, 0..65535 (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--timeout-ms", paramLabel = "T", defaultValue = "5000",
            description = "Bound of every wait, in ms (default ${DEFAULT-VALUE}).")
    long timeoutMillis;

    @Option(names = "--progress", description = "Show a progress bar on stderr even when not on a terminal.")
    boolean progress;

    /** Returns the number of round trips asked for. */
    abstract int count();

    /** Returns how many requests may be outstanding at once. */
    abstract int window();

    /** Returns true if a progress bar may be shown (one that prints per reply has its own progress). */
    boolean showsProgress() {
        return true;
    }

    /** Prints the line before the run. */
    abstract void printHeader(PrintWriter out, String peer);

    /** Told about each reply; runs on the measuring thread. */
    abstract void replied(PrintWriter out, int seq, long rttNanos);

    /** Prints the results. */
    abstract void printResults(PrintWriter out, Percentiles rtt, long elapsedNanos);

    @Override
    public Integer call() throws InterruptedException {
        if (count() < 1 || window() < 1 || timeoutMillis < 1 || size < 0 || size > Body.MAX_LENGTH) {
            throw new ParameterException(spec.commandLine(), "need --count >= 1, --window >= 1, --timeout-ms >= 1 "
                    + "and --size in 0.." + Body.MAX_LENGTH);
        }
        PrintWriter out = spec.commandLine().getOut();
        int pool = Math.min(2 * window() + 16, 0xFFFF);
        try (ClientSession session = ClientSession.connect(address,
                tls.applyClient(new Options(pool, pool), address), timeoutMillis)) {
            printHeader(out, session.address().value());
            ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), showsProgress() && ProgressBar.enabled(progress),
                    count());
            RoundTrips trips = new RoundTrips(session, count(), size, window());
            long[] done = new long[1];
            long elapsed = trips.run((seq, rtt, reply) -> {
                replied(out, seq, rtt);
                bar.update(++done[0]);
            });
            bar.finish();
            session.bye(session.ampe()::put);
            printResults(out, trips.percentiles(), elapsed);
            return ExitCodes.OK;
        }
    }
}
