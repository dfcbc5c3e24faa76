package tofu.examples;

import java.io.PrintStream;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;
import tofu.Reactor;

/**
 * The README's "Your first client", kept line for line: connects, sends one REQUEST right behind its HelloRequest,
 * and prints the echo ({@code echo: hello}) or why it failed.
 *
 * <p>Run with the server's address as the only argument (default {@code tcp|127.0.0.1|7099}), against
 * {@link FirstServer}.
 */
public final class FirstClient {
    private FirstClient() {
    }

    /** Talks to the server at the address given as the first argument. */
    public static void main(String[] args) throws InterruptedException {
        talk(args.length > 0 ? args[0] : "tcp|127.0.0.1|7099", System.out);
    }

    /** The tutorial's client, printing to {@code out} instead of {@code System.out}. */
    public static void talk(String address, PrintStream out) throws InterruptedException {
        // ---- from README.md, "Your first client" (address and out are the only changes) ----
        try (Reactor reactor = Reactor.create()) {
            Ampe ampe = reactor.ampe();
            ChannelGroup client = ampe.create();

            Message hello = ampe.get(AllocationStrategy.ALWAYS);
            Address.parseClient(address).format(hello);                    // HELLO_REQUEST with ~connect_to
            int channel = client.post(hello).channelNumber();              // returns at once with the new channel

            Message request = ampe.get(AllocationStrategy.ALWAYS);
            request.bhdr().opCode(OpCode.REQUEST).channelNumber(channel);  // may go right behind the hello
            request.thdrs().append("Job", "42");
            request.body().append("hello");
            long id = client.post(request).messageId();

            for (int answers = 0; answers < 2; ) {                         // HELLO_RESPONSE, then the RESPONSE
                Message m = client.waitReceive(5 * ChannelGroup.SEC_TIMEOUT);
                if (m == null || m.isFromEngine()) {
                    out.println("failed: " + (m == null ? "timeout" : m.bhdr().status()));
                    return;
                }
                if (m.bhdr().opCode() == OpCode.RESPONSE && m.bhdr().messageId() == id) {
                    out.println("echo: " + m.body().asString());
                }
                answers++;
                ampe.put(m);
            }
        }
        // ---- end of the README code ----
    }
}
