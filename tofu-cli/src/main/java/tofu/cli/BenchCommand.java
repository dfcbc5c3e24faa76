package tofu.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tofu bench <address> [--count N] [--size B] [--window W]}: pipelined requests against an echo peer, with up
 * to W outstanding; prints throughput and latency percentiles.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        header = "Measure throughput and latency against an echo peer.",
        description = {"Measure throughput and latency against 'tofu listen --echo --quiet',",
            "keeping up to --window requests outstanding."})
public final class BenchCommand extends RoundTripCommand {
    @Option(names = "--count", paramLabel = "N", defaultValue = "10000", description = "Requests (default 10000).")
    int count;

    @Option(names = "--window", paramLabel = "W", defaultValue = "16",
            description = "Requests outstanding at once (default 16).")
    int window;

    @Override
    int count() {
        return count;
    }

    @Override
    int window() {
        return window;
    }

    @Override
    void printHeader(PrintWriter out, String peer) {
        out.println("bench " + peer + ": " + count + " requests of " + size + " B, window " + window);
    }

    @Override
    void replied(PrintWriter out, int seq, long rttNanos) {
        // Only the summary: printing per reply would measure the terminal.
    }

    @Override
    void printResults(PrintWriter out, Percentiles rtt, long elapsedNanos) {
        double seconds = elapsedNanos / 1e9;
        double perSecond = rtt.count() / seconds;
        out.printf("%d round trips in %.1f ms: %,.0f msg/s, %.2f MB/s each way%n", rtt.count(), elapsedNanos / 1e6,
                perSecond, perSecond * size / 1e6);
        out.println("latency " + rtt.summaryMicros());
    }
}
