package tofu.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tofu ping <address> [--count N] [--size B]}: one request at a time against an echo peer, printing each round
 * trip and then the latency percentiles.
 */
@Command(name = "ping", mixinStandardHelpOptions = true,
        header = "Measure round-trip latency against an echo peer.",
        description = {"Measure round trips one at a time against 'tofu listen --echo'.",
            "Prints each reply, then min/p50/p90/p99/p99.9/max."})
public final class PingCommand extends RoundTripCommand {
    @Option(names = "--count", paramLabel = "N", defaultValue = "10", description = "Round trips (default 10).")
    int count;

    @Option(names = "--quiet", description = "Print only the summary.")
    boolean quiet;

    @Override
    int count() {
        return count;
    }

    @Override
    int window() {
        return 1;
    }

    @Override
    boolean showsProgress() {
        return quiet;
    }

    @Override
    void printHeader(PrintWriter out, String peer) {
        out.println("PING " + peer + ": " + count + " requests of " + size + " B");
    }

    @Override
    void replied(PrintWriter out, int seq, long rttNanos) {
        if (!quiet) {
            out.printf("reply seq=%d time=%.3f ms%n", seq, rttNanos / 1e6);
        }
    }

    @Override
    void printResults(PrintWriter out, Percentiles rtt, long elapsedNanos) {
        out.println("--- " + rtt.count() + " round trips, 0 lost ---");
        out.println("rtt " + rtt.summaryMicros());
    }
}
