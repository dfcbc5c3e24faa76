package tofu.cli.demo;

import java.util.Locale;
import java.io.PrintWriter;
import tofu.Message;
import tofu.cli.MessagePrinter;
import tofu.cli.text.SafeText;

/**
 * The demo's readable log: one line per message received by any actor — elapsed milliseconds, who sent it to whom,
 * opcode, the receiver's channel, message id and the key header — plus the counts for the summary.
 *
 * <p>What a peer sent (its name, header values) is printed escaped: anyone can connect to the spool server while the
 * demo runs, and must not be able to move the cursor or forge a line.
 *
 * <p>Thread-safe: the spool server and every worker record from their own receiving threads; lines never interleave.
 */
final class Timeline {
    /** The sender shown for the engine's own reports. */
    static final String ENGINE = "engine";

    private final PrintWriter out;
    private final boolean quiet;
    /** Set again by {@link #begin()}: the clock starts when the conversation does, not at engine start-up. */
    private volatile long start = System.nanoTime();
    private long messages;
    private long bytes;

    Timeline(PrintWriter out, boolean quiet) {
        this.out = out;
        this.quiet = quiet;
    }

    /** Restarts the clock at 0 and prints the column titles. */
    synchronized void begin() {
        start = System.nanoTime();
        if (!quiet) {
            out.printf(Locale.ROOT, "%8s  %-6s    %-6s %-14s %4s %5s  %s%n", "ms", "from", "to", "opcode", "ch", "id",
                    "details");
        }
    }

    /** Records a message {@code to} received from {@code from} (a peer, or {@link #ENGINE}); the caller owns it. */
    synchronized void record(String from, String to, Message msg) {
        if (!ENGINE.equals(from)) {
            messages++;
            bytes += MessagePrinter.wireBytes(msg);
        }
        if (!quiet) {
            out.printf(Locale.ROOT, "%8.1f  %-6s -> %-6s %-14s %4d %5s  %s%n", elapsedNanos() / 1e6,
                    SafeText.escape(from), to, msg.bhdr().opCode(), msg.bhdr().channelNumber(),
                    Long.toUnsignedString(msg.bhdr().messageId()), SafeText.escape(PrintProtocol.describe(msg)));
            out.flush();
        }
    }

    /** Returns the peer messages recorded so far. */
    synchronized long messages() {
        return messages;
    }

    /** Returns the wire bytes of the peer messages recorded so far. */
    synchronized long bytes() {
        return bytes;
    }

    /** Returns the nanoseconds since this timeline started. */
    long elapsedNanos() {
        return System.nanoTime() - start;
    }
}
