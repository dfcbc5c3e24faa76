package tofu.examples;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import tofu.Address;
import tofu.AmpeException;
import tofu.ChannelGroup;
import tofu.Channels;
import tofu.Message;
import tofu.OpCode;
import tofu.Reactor;

/**
 * The server half of several recipes: an engine of its own, one group listening on any number of addresses, and one
 * receiver thread that accepts every connection, answers each REQUEST with its own message turned into a RESPONSE
 * and acknowledges ByeRequests. Each response carries a {@code Via} header naming the address the client dialled.
 *
 * <p>Start with {@link #start(Address...)}, stop with {@link #close()}. Thread-safe.
 */
public final class EchoServer implements AutoCloseable {
    /** Response header naming the address the client dialled (its HelloRequest's {@code ~connect_to}). */
    public static final String VIA = "Via";

    private final Reactor reactor = Reactor.create();
    private final List<Channels.Listener> listeners = new ArrayList<>();
    private Future<Void> receiver;

    private EchoServer() {
    }

    /**
     * Starts the server listening on every address in {@code listenOn} (all in one group) and returns once all
     * listeners are ready.
     *
     * @throws AmpeException if a listen fails; nothing is left running then
     */
    public static EchoServer start(Address... listenOn) throws InterruptedException {
        EchoServer server = new EchoServer();
        try {
            ChannelGroup group = server.reactor.ampe().create();
            for (Address address : listenOn) {
                Channels.Listener listener = Channels.listen(server.reactor.ampe(), group, address, Examples.WAIT);
                Examples.log("server", "listening on %s", listener.address().value());
                server.listeners.add(listener);
            }
            // One thread owns waitReceive for the group; everything that happens arrives there, in order.
            server.receiver = Examples.inThread("echo-server", () -> server.serve(group));
            return server;
        } catch (RuntimeException | InterruptedException e) {
            server.reactor.close();
            throw e;
        }
    }

    /** Returns the addresses clients dial, in the order given to {@link #start(Address...)}. */
    public List<Address> dialAddresses() {
        List<Address> result = new ArrayList<>();
        for (Channels.Listener listener : listeners) {
            result.add(listener.dialAddress());
        }
        return result;
    }

    /** Returns the address the first listener is bound to, in its server form (the real port, never 0). */
    public Address boundAddress() {
        return listeners.get(0).address();
    }

    /** Returns the first (often the only) address clients dial. */
    public Address dialAddress() {
        return listeners.get(0).dialAddress();
    }

    /**
     * Closes the engine (dropping any connection still open) and waits, boundedly, for the receiver thread to end.
     * An interrupt during that wait is kept in the thread's interrupt status.
     */
    @Override
    public void close() {
        reactor.close(); // wakes the receiver with SHUTDOWN_STARTED
        if (receiver == null) {
            return;
        }
        try {
            Examples.await(receiver);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The receiver loop: housekeeping by {@link ServerLoop}, the echo and the per-connection state here. */
    private Void serve(ChannelGroup group) throws InterruptedException {
        Map<Integer, String> dialled = new HashMap<>(); // per-connection state, keyed by channel number
        ServerLoop.serve(reactor.ampe(), group, Integer.MAX_VALUE, new ServerLoop.Handler() {
            @Override
            public void connected(Message hello) {
                // The HelloRequest carries the ~connect_to header the client dialled.
                dialled.put(hello.bhdr().channelNumber(), Address.of(hello).value());
            }

            @Override
            public void handle(Message m) {
                if (m.bhdr().opCode() != OpCode.REQUEST) {
                    reactor.ampe().put(m); // signals and stray responses: nothing to answer
                    return;
                }
                // Echo without copying: the received message goes back, same channel and message id.
                m.bhdr().opCode(OpCode.RESPONSE);
                m.thdrs().append(VIA, dialled.getOrDefault(m.bhdr().channelNumber(), "?"));
                group.post(m);
            }

            @Override
            public void closed(int channel) {
                dialled.remove(channel);
            }
        });
        return null;
    }
}
