package tofu.support;

import java.nio.file.Path;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.BinaryHeader;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;
import tofu.Reactor;
import tofu.internal.EngineProbe;

/**
 * Two engines joined by one connected channel: a client side and a server side, each with its own engine, group and
 * channel number, plus the ids the two ends' CHANNEL_CLOSED signals carry.
 *
 * @param client   the client side
 * @param server   the server side
 * @param helloId  the message id of the client's HelloRequest (both ends' CHANNEL_CLOSED signals carry it)
 * @param listener the server's listener
 */
public record Pair(Side client, Side server, long helloId, Listener listener) {

    /**
     * One end of the pair.
     *
     * @param reactor the engine
     * @param ampe    its Ampe
     * @param group   the group owning the channel
     * @param channel the local channel number
     */
    public record Side(Reactor reactor, Ampe ampe, ChannelGroup group, int channel) {
        /** Builds a message of this side for its channel. */
        public Message message(OpCode op) {
            Message m = EngineProbe.handedOut(ampe, ampe.get(AllocationStrategy.ALWAYS));
            m.bhdr().opCode(op).channelNumber(channel);
            return m;
        }

        /** Posts a message of {@code op} on this side's channel. */
        public BinaryHeader post(OpCode op) {
            return group.post(message(op));
        }
    }

    /** Starts two engines (default options) and connects them over {@code transport}. */
    public static Pair connect(Engines engines, Transport transport, Path dir) throws InterruptedException {
        return connect(engines, transport, dir, Options.DEFAULT, Options.DEFAULT);
    }

    /** Starts two engines with the given options and connects them over {@code transport}. */
    public static Pair connect(Engines engines, Transport transport, Path dir, Options clientOptions,
            Options serverOptions) throws InterruptedException {
        return connect(engines.start(clientOptions), engines.start(serverOptions), transport, dir);
    }

    /** Connects two running engines over {@code transport}: {@code cr} dials a listener of {@code sr}. */
    public static Pair connect(Reactor cr, Reactor sr, Transport transport, Path dir) throws InterruptedException {
        ChannelGroup server = sr.ampe().create();
        ChannelGroup client = cr.ampe().create();
        Listener listener = Listener.open(sr.ampe(), server, transport.listenAddress(dir));
        Message hello = cr.ampe().get(AllocationStrategy.ALWAYS);
        listener.dial().format(hello);
        BinaryHeader posted = client.post(hello);
        int serverChannel = Peers.accept(server);
        Message response = Peers.receive(client);
        if (response.bhdr().opCode() != OpCode.HELLO_RESPONSE) {
            throw new AssertionError("expected a HelloResponse, got " + response);
        }
        cr.ampe().put(response);
        return new Pair(new Side(cr, cr.ampe(), client, posted.channelNumber()),
                new Side(sr, sr.ampe(), server, serverChannel), posted.messageId(), listener);
    }
}
