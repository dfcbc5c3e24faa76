package tofu.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;
import tofu.Origin;
import tofu.support.EngineTest;
import tofu.support.Expect;
import tofu.support.Listener;
import tofu.support.Peers;
import tofu.support.RawFrames;
import tofu.support.RawPeer;
import tofu.support.Transport;

/**
 * The engine against a peer made of a plain socket: what it writes on the wire during a handshake and a bye
 * (PROTOCOL.md §2, §6.4: FIN close, nothing after the ByeResponse) and how it treats frames the library itself would
 * never send (PROTOCOL.md §6.2, §6.3).
 */
class RawPeerTest extends EngineTest {
    private static final int PEER_CHANNEL = 900;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void byeInitiatorClosesWithAnOrderlyEndOfStream(Transport transport) throws Exception {
        Ampe ampe = engines.start().ampe();
        ChannelGroup client = ampe.create();
        try (ServerSocketChannel server = RawPeer.listen(transport, dir)) {
            Address dial = RawPeer.dial(server);
            Message hello = ampe.get(AllocationStrategy.ALWAYS);
            dial.format(hello);
            BinaryHeader h = client.post(hello);
            int channel = h.channelNumber();
            try (RawPeer peer = RawPeer.accept(server)) {
                ByteBuffer f = peer.readFrame();
                assertThat(RawFrames.opCode(f)).isEqualTo(OpCode.HELLO_REQUEST);
                assertThat(f.getShort(0) & 0xFFFF).as("the sender's channel number").isEqualTo(channel);
                assertThat(RawFrames.messageId(f)).isEqualTo(h.messageId());
                assertThat(RawFrames.headerBlock(f)).isEqualTo(Address.CONNECT_TO + ":" + dial.value() + "\r\n");
                peer.write(RawFrames.frame(OpCode.HELLO_RESPONSE, PEER_CHANNEL, h.messageId()));
                Expect.application(client, OpCode.HELLO_RESPONSE, channel);

                BinaryHeader bye = client.post(Peers.message(ampe, channel, OpCode.BYE_REQUEST, null));
                f = peer.readFrame();
                assertThat(RawFrames.opCode(f)).isEqualTo(OpCode.BYE_REQUEST);
                assertThat(RawFrames.messageId(f)).isEqualTo(bye.messageId());
                peer.write(RawFrames.frame(OpCode.BYE_RESPONSE, PEER_CHANNEL, bye.messageId()));

                Expect.application(client, OpCode.BYE_RESPONSE, channel);
                Expect.closedSignal(client, channel, h.messageId());
                peer.readEndOfStream(); // throws "Connection reset" if the engine aborted instead (PROTOCOL.md §9)
            }
        }
        Expect.quiet(client);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void byeResponderSendsNothingAfterItsByeResponse(Transport transport) throws Exception {
        Ampe ampe = engines.start().ampe();
        ChannelGroup server = ampe.create();
        Listener listener = Listener.open(ampe, server, transport.listenAddress(dir));
        try (RawPeer peer = RawPeer.connect(listener.dial())) {
            int channel = rawHandshake(peer, server, listener);
            peer.write(RawFrames.frame(OpCode.BYE_REQUEST, PEER_CHANNEL, 11));
            Message bye = Expect.application(server, OpCode.BYE_REQUEST, channel);
            bye.bhdr().opCode(OpCode.BYE_RESPONSE);
            server.post(bye);
            server.post(Peers.message(ampe, channel, OpCode.REQUEST, "too late"));

            ByteBuffer f = peer.readFrame();
            assertThat(RawFrames.opCode(f)).isEqualTo(OpCode.BYE_RESPONSE);
            assertThat(RawFrames.messageId(f)).isEqualTo(11);
            peer.shutdownOutput();
            peer.readEndOfStream(); // nothing after the ByeResponse, then the engine closes too

            Message late = Expect.report(server, OpCode.REQUEST, AmpeStatus.CHANNEL_CLOSED);
            assertThat(late.body().asString()).isEqualTo("too late");
            Expect.closedSignal(server, channel, 10);
        }
        Expect.quiet(server);
    }

    /** The raw peer says hello (id 10) and the server accepts; returns the server's channel number. */
    private static int rawHandshake(RawPeer peer, ChannelGroup server, Listener listener)
            throws IOException, InterruptedException {
        String block = Address.CONNECT_TO + ":" + listener.dial().value() + "\r\n";
        peer.write(RawFrames.frame(OpCode.HELLO_REQUEST, PEER_CHANNEL, 10, block, "", RawFrames.HONEST));
        Message hello = Expect.next(server);
        assertThat(hello.bhdr().opCode()).isEqualTo(OpCode.HELLO_REQUEST);
        int channel = hello.bhdr().channelNumber();
        hello.bhdr().opCode(OpCode.HELLO_RESPONSE);
        server.post(hello);
        ByteBuffer f = peer.readFrame();
        assertThat(RawFrames.opCode(f)).isEqualTo(OpCode.HELLO_RESPONSE);
        assertThat(f.getShort(0) & 0xFFFF).as("the sender's (server's) channel number").isEqualTo(channel);
        assertThat(f.get(2)).as("proto: origin 0, more 0").isEqualTo((byte) OpCode.HELLO_RESPONSE.code());
        assertThat(f.get(3)).as("status on the wire").isZero();
        assertThat(RawFrames.messageId(f)).isEqualTo(10);
        return channel;
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void framesFromAPeerNeverLookLikeEngineReports(Transport transport) throws Exception {
        Ampe ampe = engines.start().ampe();
        ChannelGroup server = ampe.create();
        Listener listener = Listener.open(ampe, server, transport.listenAddress(dir));
        String block = Address.CONNECT_TO + ":" + listener.dial().value() + "\r\n";
        try (RawPeer peer = RawPeer.connect(listener.dial())) {
            // A peer claiming to be an engine: origin bit set, statuses of engine reports.
            peer.write(RawFrames.frame(OpCode.HELLO_REQUEST, PEER_CHANNEL, 5, block, "",
                    AmpeStatus.CONNECT_FAILED.raw()));
            peer.write(RawFrames.frame(OpCode.SIGNAL, PEER_CHANNEL, 6, "", "", AmpeStatus.CHANNEL_CLOSED.raw()));

            Message hello = Expect.next(server);
            assertThat(hello.bhdr().opCode()).isEqualTo(OpCode.HELLO_REQUEST);
            assertThat(hello.bhdr().origin()).isEqualTo(Origin.APPLICATION);
            assertThat(hello.bhdr().messageId()).isEqualTo(5);
            int channel = hello.bhdr().channelNumber();
            assertThat(channel).isNotIn(0, PEER_CHANNEL, listener.channel());
            Message signal = Expect.next(server);
            assertThat(signal.bhdr().opCode()).isEqualTo(OpCode.SIGNAL);
            assertThat(signal.bhdr().origin()).isEqualTo(Origin.APPLICATION);
            assertThat(signal.bhdr().channelNumber()).isEqualTo(channel);
            assertThat(signal.bhdr().messageId()).isEqualTo(6);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aByeSignalFrameFromAPeerIsDeliveredLikeAnyFrame(Transport transport) throws Exception {
        Ampe ampe = engines.start().ampe();
        ChannelGroup server = ampe.create();
        Listener listener = Listener.open(ampe, server, transport.listenAddress(dir));
        try (RawPeer peer = RawPeer.connect(listener.dial())) {
            int channel = rawHandshake(peer, server, listener);

            peer.write(RawFrames.frame(OpCode.BYE_SIGNAL, PEER_CHANNEL, 12));
            peer.write(RawFrames.frame(OpCode.REQUEST, PEER_CHANNEL, 13));

            Message bye = Expect.application(server, OpCode.BYE_SIGNAL, channel);
            assertThat(bye.bhdr().messageId()).isEqualTo(12);
            assertThat(Expect.application(server, OpCode.REQUEST, channel).bhdr().messageId()).isEqualTo(13);
            // Nothing else happened: the channel is open both ways.
            server.post(Peers.message(ampe, channel, OpCode.SIGNAL, "still here"));
            ByteBuffer f = peer.readFrame();
            assertThat(RawFrames.opCode(f)).isEqualTo(OpCode.SIGNAL);
            Expect.quiet(server);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void connectionsThatNeverSaidHelloAreNeverHeardOf(Transport transport) throws Exception {
        Ampe ampe = engines.start().ampe();
        ChannelGroup server = ampe.create();
        Listener listener = Listener.open(ampe, server, transport.listenAddress(dir));

        try (RawPeer silent = RawPeer.connect(listener.dial())) {
            silent.shutdownOutput();
        }
        try (RawPeer rude = RawPeer.connect(listener.dial())) {
            rude.write(RawFrames.frame(OpCode.REQUEST, PEER_CHANNEL, 1));
            // The engine drops it (orderly or not); it must not answer or deliver anything.
            try {
                rude.readEndOfStream();
            } catch (IOException reset) {
                // an abortive close is fine too
            }
        }

        Expect.quiet(server);
        Peers.link(ampe, ampe.create(), server, listener.dial());
    }
}
