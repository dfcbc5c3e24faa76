package tofu.examples;

import java.util.ArrayList;
import java.util.List;
import tofu.Address;
import tofu.Ampe;
import tofu.ChannelGroup;
import tofu.Channels;
import tofu.Message;
import tofu.OpCode;
import tofu.Reactor;

/**
 * Recipe 1 — an echo server and a client: listen, connect, request/response, graceful bye.
 *
 * <p>The server half is {@link EchoServer}; this class is the client. Run with {@code tcp} (default), {@code uds} or a
 * listen address such as {@code tcp|127.0.0.1|0} as the only argument.
 */
public final class EchoService {
    /**
     * What the client saw.
     *
     * @param dialled         the address the client connected to
     * @param replies         the bodies of the responses, in order
     * @param via             the address the server says the client dialled
     * @param byeAcknowledged true if the server answered the ByeRequest
     */
    public record Result(String dialled, List<String> replies, String via, boolean byeAcknowledged) {
    }

    private EchoService() {
    }

    /** Runs the recipe on the transport named by the first argument and prints what happens. */
    public static void main(String[] args) throws Exception {
        Address listenOn = Transport.listenAddressFrom(args.length > 0 ? args[0] : "tcp");
        Result result = run(listenOn, List.of("hello", "tofu", "world"));
        Examples.log("client", "done: %s", result);
    }

    /** Starts an echo server on {@code listenOn}, sends each word as a request and collects the echoes. */
    public static Result run(Address listenOn, List<String> words) throws InterruptedException {
        // The server gets an engine of its own, as if it were another process; the client gets another.
        try (EchoServer server = EchoServer.start(listenOn)) {
            return talk(server.dialAddress(), words);
        }
    }

    /** The client: connects to {@code server}, sends each word as a request, checks each echo, says bye. */
    public static Result talk(Address server, List<String> words) throws InterruptedException {
        try (Reactor reactor = Reactor.create()) {
            Ampe ampe = reactor.ampe();
            ChannelGroup client = ampe.create();
            int channel = Channels.connect(ampe, client, server, Examples.WAIT);
            Examples.log("client", "connected to %s on channel %d", server.value(), channel);

            List<String> replies = new ArrayList<>();
            String via = null;
            for (String word : words) {
                // post() returns at once with the message id it assigned: keep it to recognise the answer.
                long id = client.post(Examples.message(ampe, channel, OpCode.REQUEST, word)).messageId();
                Message reply = Examples.receive(ampe, client);
                if (reply.isFromEngine()) { // always first: a report, not an answer
                    throw Examples.failure(ampe, reply, "request '" + word + "' failed");
                }
                if (reply.bhdr().messageId() != id) {
                    throw new IllegalStateException("answer to another request: " + reply.bhdr());
                }
                replies.add(reply.body().asString());
                via = reply.thdrs().get(EchoServer.VIA);
                Examples.log("client", "sent '%s', got '%s' (id %d)", word, reply.body().asString(), id);
                ampe.put(reply); // back to the pool: the next get() reuses it
            }
            boolean acknowledged = Examples.bye(ampe, client, channel);
            Examples.log("client", "bye acknowledged: %b", acknowledged);
            return new Result(server.value(), replies, via, acknowledged);
        }
    }
}
