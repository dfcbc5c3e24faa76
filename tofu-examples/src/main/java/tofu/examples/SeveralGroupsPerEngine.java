package tofu.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import tofu.Address;
import tofu.Ampe;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.ChannelGroup;
import tofu.Channels;
import tofu.Message;
import tofu.OpCode;
import tofu.Reactor;

/**
 * Recipe 12 — one engine, separate groups for the server side and the client side, each with its own receiver thread.
 *
 * <p>A group is a receive queue with one reader. Everything about a channel goes to the group that owns it: a
 * listener's accepted connections belong to the listener's group, a connection belongs to the group that posted its
 * HelloRequest. So a process that both serves and calls out can give each role its own group and thread on a single
 * engine, while any thread (here: main) posts.
 */
public final class SeveralGroupsPerEngine {
    /**
     * What one side saw.
     *
     * @param thread  the thread that received for this group
     * @param channel the channel number this side used for the connection
     * @param bodies  the bodies it received, in order (requests on the server side, responses on the client side)
     */
    public record Side(String thread, int channel, List<String> bodies) {
    }

    /**
     * Both sides.
     *
     * @param server the server group's view
     * @param client the client group's view
     */
    public record Result(Side server, Side client) {
    }

    private SeveralGroupsPerEngine() {
    }

    /** Runs the recipe on the transport named by the first argument ({@code tcp} by default). */
    public static void main(String[] args) throws Exception {
        Result result = run(Transport.listenAddressFrom(args.length > 0 ? args[0] : "tcp"), List.of("one", "two"));
        Examples.log("main", "%s", result);
    }

    /** Sends {@code words} from the client group to the server group of the same engine. */
    public static Result run(Address listenOn, List<String> words) throws InterruptedException {
        try (Reactor reactor = Reactor.create()) {
            Ampe ampe = reactor.ampe();
            ChannelGroup serverSide = ampe.create();
            ChannelGroup clientSide = ampe.create();

            Address server = Channels.listen(ampe, serverSide, listenOn, Examples.WAIT).dialAddress();
            Future<Side> serverReceiver = Examples.inThread("server-receiver", () -> serve(ampe, serverSide));

            int channel = Channels.connect(ampe, clientSide, server, Examples.WAIT);
            Future<Side> clientReceiver = Examples.inThread("client-receiver",
                    () -> collectAnswers(ampe, clientSide, channel));

            // The main thread only posts: post() is thread-safe and never blocks on the network.
            for (String word : words) {
                clientSide.post(Examples.message(ampe, channel, OpCode.REQUEST, word));
            }
            clientSide.post(Examples.message(ampe, channel, OpCode.BYE_REQUEST, ""));

            return new Result(Examples.await(serverReceiver), Examples.await(clientReceiver));
        }
    }

    /** The server group's receiver: echoes requests until its one connection has closed. */
    private static Side serve(Ampe ampe, ChannelGroup group) throws InterruptedException {
        List<String> requests = new ArrayList<>();
        int[] channel = new int[1];
        ServerLoop.serve(ampe, group, 1, m -> {
            channel[0] = m.bhdr().channelNumber();
            requests.add(m.body().asString());
            m.bhdr().opCode(OpCode.RESPONSE);
            group.post(m);
        });
        Examples.log("server", "%s handled %s on channel %d", Thread.currentThread().getName(), requests, channel[0]);
        return new Side(Thread.currentThread().getName(), channel[0], requests);
    }

    /** The client group's receiver: collects responses until the channel's CHANNEL_CLOSED signal. */
    private static Side collectAnswers(Ampe ampe, ChannelGroup group, int channel) throws InterruptedException {
        List<String> responses = new ArrayList<>();
        while (true) {
            Message m = Examples.receive(ampe, group);
            if (m.isFromEngine()) {
                boolean closed = Examples.isChannelClosed(m);
                AmpeStatus status = m.bhdr().status();
                ampe.put(m);
                if (!closed) {
                    throw new AmpeException(status, "a request came back unsent");
                }
                break;
            }
            if (m.bhdr().opCode() == OpCode.RESPONSE) {
                responses.add(m.body().asString());
            }
            ampe.put(m); // the ByeResponse too: nothing to do with it but wait for the close
        }
        Examples.log("client", "%s got %s on channel %d", Thread.currentThread().getName(), responses, channel);
        return new Side(Thread.currentThread().getName(), channel, responses);
    }
}
