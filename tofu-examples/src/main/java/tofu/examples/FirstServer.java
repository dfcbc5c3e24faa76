package tofu.examples;

import java.io.PrintStream;
import java.time.Duration;
import tofu.Address;
import tofu.Ampe;
import tofu.ChannelGroup;
import tofu.Channels;
import tofu.Message;
import tofu.OpCode;
import tofu.Reactor;

/**
 * The README's "Your first server", kept line for line: listens, accepts every connection, echoes every REQUEST and
 * answers every ByeRequest, printing what the engine reports. It runs until its thread is interrupted (the infinite
 * {@code waitReceive} then throws {@link InterruptedException}, and try-with-resources closes the engine) — from a
 * terminal, until Ctrl-C.
 *
 * <p>Run with a listen address as the only argument (default {@code tcp|127.0.0.1|7099}).
 */
public final class FirstServer {
    private FirstServer() {
    }

    /** Serves on the address given as the first argument until the process is stopped. */
    public static void main(String[] args) throws InterruptedException {
        serve(args.length > 0 ? args[0] : "tcp|127.0.0.1|7099", System.out);
    }

    /**
     * The tutorial's server, printing to {@code out} instead of {@code System.out}; returns only by throwing.
     *
     * @throws InterruptedException when the calling thread is interrupted: the way to stop it
     */
    public static void serve(String address, PrintStream out) throws InterruptedException {
        // ---- from README.md, "Your first server" (address and out are the only changes) ----
        try (Reactor reactor = Reactor.create()) {
            Ampe ampe = reactor.ampe();
            ChannelGroup server = ampe.create();

            Channels.Listener listener = Channels.listen(ampe, server,      // WELCOME_REQUEST out, WELCOME_RESPONSE
                    Address.parseServer(address), Duration.ofSeconds(5));   // back; AmpeException if not
            out.println("listening on " + listener.address().value());     // the actual address (port 0 → real)

            while (true) {
                Message m = server.waitReceive(ChannelGroup.INFINITE_TIMEOUT);
                if (m.isFromEngine()) {                                     // check origin first: an engine report
                    out.println("engine: " + m.bhdr().status() + " on channel " + m.bhdr().channelNumber());
                    ampe.put(m);
                    continue;
                }
                switch (m.bhdr().opCode()) {
                    case HELLO_REQUEST -> { m.bhdr().opCode(OpCode.HELLO_RESPONSE); server.post(m); continue; }
                    case REQUEST -> { m.bhdr().opCode(OpCode.RESPONSE); server.post(m); continue; }
                    case BYE_REQUEST -> { m.bhdr().opCode(OpCode.BYE_RESPONSE); server.post(m); continue; }
                    default -> { }
                }
                ampe.put(m);                                                // back to the pool
            }
        }
        // ---- end of the README code ----
    }
}
