package tofu.tls;

import static org.assertj.core.api.Assertions.assertThat;

import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import tofu.Address;
import tofu.Ampe;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;
import tofu.support.EngineTest;
import tofu.support.Expect;
import tofu.support.Listener;
import tofu.support.RawFrames;
import tofu.support.RawPeer;
import tofu.support.Transport;

/**
 * How TLS connections end (docs/PROTOCOL.md, secure channels): a peer that drops the connection without close_notify
 * is PEER_DISCONNECTED unless the bye was exchanged, as for TCP, and close_notify alone is no bye. The peer here is a
 * JDK {@link SSLSocket} speaking raw tofu frames. That the engine's graceful close sends close_notify is checked on the
 * wire by {@code tofu.internal.TlsTransportTest}.
 */
class CloseNotifyTest extends EngineTest {
    private static final int PEER_CHANNEL = 700;

    /** The raw peer says hello (id 10); the server application accepts. Returns the server's channel. */
    private static int hello(RawPeer peer, ChannelGroup server, Listener l) throws Exception {
        String block = Address.CONNECT_TO + ":" + l.dial().value() + "\r\n";
        peer.write(RawFrames.frame(OpCode.HELLO_REQUEST, PEER_CHANNEL, 10, block, "", RawFrames.HONEST));
        Message hello = Expect.next(server);
        assertThat(hello.bhdr().opCode()).isEqualTo(OpCode.HELLO_REQUEST);
        int channel = hello.bhdr().channelNumber();
        hello.bhdr().opCode(OpCode.HELLO_RESPONSE);
        server.post(hello);
        assertThat(RawFrames.opCode(peer.readFrame())).isEqualTo(OpCode.HELLO_RESPONSE);
        return channel;
    }

    @Test
    void aDropWithoutCloseNotifyBeforeTheByeIsPeerDisconnected() throws Exception {
        Ampe ampe = engines.start().ampe();
        ChannelGroup server = ampe.create();
        Listener l = Listener.open(ampe, server, Transport.TLS.listenAddress(dir));
        try (RawPeer peer = RawPeer.connect(l.dial())) {
            int channel = hello(peer, server, l);
            peer.dropWithoutCloseNotify();
            Message closed = Expect.closedSignal(server, channel, 10);
            assertThat(closed.thdrs().get("~reason")).isEqualTo("PEER_DISCONNECTED");
        }
        Expect.quiet(server);
    }

    @Test
    void closeNotifyWithoutTheByeIsStillPeerDisconnected() throws Exception {
        Ampe ampe = engines.start().ampe();
        ChannelGroup server = ampe.create();
        Listener l = Listener.open(ampe, server, Transport.TLS.listenAddress(dir));
        try (RawPeer peer = RawPeer.connect(l.dial())) {
            int channel = hello(peer, server, l);
            peer.shutdownOutput(); // close_notify, then FIN: orderly TLS, but tofu's bye never happened
            Message closed = Expect.closedSignal(server, channel, 10);
            assertThat(closed.thdrs().get("~reason")).isEqualTo("PEER_DISCONNECTED");
        }
    }

    @Test
    void aDropWithoutCloseNotifyAfterTheByeIsAClose() throws Exception {
        Ampe ampe = engines.start().ampe();
        ChannelGroup server = ampe.create();
        Listener l = Listener.open(ampe, server, Transport.TLS.listenAddress(dir));
        try (RawPeer peer = RawPeer.connect(l.dial())) {
            int channel = hello(peer, server, l);
            exchangeBye(peer, server, channel);
            peer.dropWithoutCloseNotify();
            Message closed = Expect.closedSignal(server, channel, 10);
            assertThat(closed.thdrs().get("~reason")).isEqualTo("CHANNEL_CLOSED");
        }
    }

    @Test
    void theEngineAnswersAByeWithCloseNotify() throws Exception {
        Ampe ampe = engines.start().ampe();
        ChannelGroup server = ampe.create();
        Listener l = Listener.open(ampe, server, Transport.TLS.listenAddress(dir));
        try (RawPeer peer = RawPeer.connect(l.dial())) {
            int channel = hello(peer, server, l);
            exchangeBye(peer, server, channel);
            peer.shutdownOutput(); // the bye initiator's close_notify and FIN
            peer.readEndOfStream(); // nothing after the ByeResponse; the engine then closes too
            Message closed = Expect.closedSignal(server, channel, 10);
            assertThat(closed.thdrs().get("~reason")).isEqualTo("CHANNEL_CLOSED");
        }
    }

    /** The peer asks for the bye, the application answers it, and the ByeResponse reaches the peer. */
    private static void exchangeBye(RawPeer peer, ChannelGroup server, int channel) throws Exception {
        peer.write(RawFrames.frame(OpCode.BYE_REQUEST, PEER_CHANNEL, 11));
        Message bye = Expect.application(server, OpCode.BYE_REQUEST, channel);
        bye.bhdr().opCode(OpCode.BYE_RESPONSE);
        server.post(bye);
        assertThat(RawFrames.opCode(peer.readFrame())).isEqualTo(OpCode.BYE_RESPONSE);
    }
}
