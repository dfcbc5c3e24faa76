package tofu.cli.check;

import java.io.IOException;

/**
 * One named conformance check: the rule of the protocol it comes from (as written in docs/WIRE.md, "Conformance
 * checks"), whether it needs a working handshake, and the procedure that judges the peer. Immutable.
 *
 * @param name           a stable dotted name, e.g. {@code hello.message-id}
 * @param rule           the rule the check comes from, in one sentence
 * @param needsHandshake true if it cannot say anything when the handshake itself fails
 * @param procedure      what it does
 */
public record Check(String name, String rule, boolean needsHandshake, Procedure procedure) {
    /** A check's procedure: acts on the peer through the context and concludes. */
    @FunctionalInterface
    public interface Procedure {
        /** Runs the check; I/O failures of the checker's own sockets propagate (the peer's are evidence). */
        Outcome run(CheckContext ctx) throws IOException;
    }
}
