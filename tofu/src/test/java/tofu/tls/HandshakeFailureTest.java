package tofu.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.ChannelGroup;
import tofu.EngineStats;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;
import tofu.Reactor;
import tofu.support.EngineTest;
import tofu.support.Expect;
import tofu.support.HeldRelay;
import tofu.support.Listener;
import tofu.support.Peers;
import tofu.support.TestTls;

/**
 * Every way a TLS handshake fails, one test each (docs/PROTOCOL.md, secure channels): a client gets its HelloRequest
 * and everything posted behind it back with CONNECT_FAILED and a {@code ~reason} that starts with {@code "tls: "} and
 * says why; then one CHANNEL_CLOSED signal. The server application hears nothing, and its engine counts the failure.
 */
class HandshakeFailureTest extends EngineTest {
    private static final String REASON = "~reason";

    /** A server engine with {@code context} (not requiring client certificates) and its TLS listener. */
    private Listener tlsServer(SSLContext context, ChannelGroup[] group) throws InterruptedException {
        Reactor server = engines.start(Options.DEFAULT.withTls(context, false));
        group[0] = server.ampe().create();
        return Listener.open(server.ampe(), group[0], Address.tlsServer("127.0.0.1", 0));
    }

    /**
     * Posts a HelloRequest to {@code to} and two requests behind it, and checks that all three come back with
     * CONNECT_FAILED and a {@code ~reason} containing {@code words}, then the CHANNEL_CLOSED signal. The client dials
     * through a {@link HeldRelay} that lets its ClientHello through only once the engine has queued all three: a
     * handshake that fails within milliseconds would otherwise race the two posts, which would then find the channel
     * closed and come back after the signal, with CHANNEL_CLOSED (as the contract says for a closed channel).
     */
    private static void assertConnectFails(Reactor reactor, Address to, String words) throws Exception {
        Ampe ampe = reactor.ampe();
        tofu.TlsClientAddress target = (tofu.TlsClientAddress) to;
        try (HeldRelay relay = new HeldRelay(target.host(), target.port())) {
            Address dialled = Address.tlsClient(target.host(), relay.port());
            ChannelGroup client = ampe.create();
            Message hello = ampe.get(AllocationStrategy.ALWAYS);
            dialled.format(hello);
            BinaryHeader posted = client.post(hello);
            client.post(Peers.message(ampe, posted.channelNumber(), OpCode.REQUEST, "one"));
            client.post(Peers.message(ampe, posted.channelNumber(), OpCode.REQUEST, "two"));
            awaitQueued(reactor, posted.channelNumber(), 3);
            relay.open();
            assertReturned(client, posted, dialled, words);
        }
    }

    /** Waits (bounded) until {@code depth} messages wait on the channel: the engine has handled those posts. */
    private static void awaitQueued(Reactor reactor, int channel, int depth) {
        long deadline = System.nanoTime() + Peers.WAIT_NANOS;
        while (reactor.stats().channels().stream()
                .noneMatch(c -> c.channelNumber() == channel && c.sendQueueDepth() == depth)) {
            assertThat(System.nanoTime() - deadline).as("posts queued on channel %d in time", channel).isNegative();
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // polling a figure no event announces
        }
    }

    private static void assertReturned(ChannelGroup client, BinaryHeader posted, Address to, String words)
            throws InterruptedException {
        Message back = Expect.report(client, OpCode.HELLO_REQUEST, AmpeStatus.CONNECT_FAILED);
        assertThat(back.bhdr().messageId()).isEqualTo(posted.messageId());
        String reason = back.thdrs().get(REASON);
        assertThat(reason).as("why the HelloRequest came back").startsWith("tls: ").contains(words);
        assertThat(back.thdrs().get(Address.CONNECT_TO)).isEqualTo(to.value());
        for (String body : List.of("one", "two")) {
            Message m = Expect.report(client, OpCode.REQUEST, AmpeStatus.CONNECT_FAILED);
            assertThat(m.body().asString()).isEqualTo(body);
            assertThat(m.thdrs().get(REASON)).isEqualTo(reason);
        }
        Message closed = Expect.closedSignal(client, posted.channelNumber(), posted.messageId());
        assertThat(closed.thdrs().get(REASON)).isEqualTo("CONNECT_FAILED: " + reason);
        Expect.quiet(client);
    }

    /** The server heard nothing and counted {@code failures} failed handshakes. */
    private static void assertServerHeardNothing(Reactor server, ChannelGroup group, long failures)
            throws InterruptedException {
        Expect.quiet(group);
        EngineStats s = server.stats();
        assertThat(s.admission().tlsHandshakeFailures()).as("%s", s).isEqualTo(failures);
        assertThat(s.ioChannels()).isZero();
    }

    @Test
    void untrustedServerCertificate() throws Exception {
        ChannelGroup[] server = new ChannelGroup[1];
        Listener l = tlsServer(TestTls.untrustedServer(), server);
        assertConnectFails(engines.start(), l.dial(), "the server's certificate is not trusted");
        Expect.quiet(server[0]);
    }

    @Test
    void certificateForAnotherHost() throws Exception {
        ChannelGroup[] server = new ChannelGroup[1];
        Listener l = tlsServer(TestTls.otherHostServer(), server);
        assertConnectFails(engines.start(), l.dial(), "does not name the host 127.0.0.1");
        Expect.quiet(server[0]);
    }

    @Test
    void expiredServerCertificate() throws Exception {
        ChannelGroup[] server = new ChannelGroup[1];
        Listener l = tlsServer(TestTls.expiredServer(), server);
        assertConnectFails(engines.start(), l.dial(), "the server's certificate has expired");
        Expect.quiet(server[0]);
    }

    @Test
    void clientWithoutCertificateUnderRequiredClientAuth() throws Exception {
        Reactor server = engines.start(); // mutual TLS: client certificates required
        ChannelGroup group = server.ampe().create();
        Listener l = Listener.open(server.ampe(), group, Address.tlsServer("127.0.0.1", 0));
        Reactor client = engines.start(Options.DEFAULT.withTls(TestTls.trustOnly(), false));

        assertConnectFails(client, l.dial(), "requires a client certificate");
        assertServerHeardNothing(server, group, 1);
    }

    @Test
    void plainClientAgainstATlsListener() throws Exception {
        Reactor server = engines.start();
        ChannelGroup group = server.ampe().create();
        Listener l = Listener.open(server.ampe(), group, Address.tlsServer("127.0.0.1", 0));
        Ampe plain = engines.startWithoutTls(Options.DEFAULT).ampe();
        ChannelGroup client = plain.create();
        int port = ((tofu.TlsClientAddress) l.dial()).port();
        Message hello = plain.get(AllocationStrategy.ALWAYS);
        Address.tcpClient("127.0.0.1", port).format(hello);
        BinaryHeader posted = client.post(hello);

        // The HelloRequest went out as plain bytes; the TLS listener drops the connection: a vanished peer.
        Message closed = Expect.closedSignal(client, posted.channelNumber(), posted.messageId());
        assertThat(closed.thdrs().get(REASON)).isEqualTo("PEER_DISCONNECTED");
        assertServerHeardNothing(server, group, 1);
    }

    @Test
    void tlsClientAgainstAPlainListener() throws Exception {
        Reactor server = engines.startWithoutTls(Options.DEFAULT.withHandshakeTimeout(Duration.ofMillis(300)));
        ChannelGroup group = server.ampe().create();
        Listener l = Listener.open(server.ampe(), group, Address.tcpServer("127.0.0.1", 0));
        int port = ((tofu.TcpClientAddress) l.dial()).port();

        // The ClientHello is not a tofu frame the plain listener can use; it drops the connection, and the client
        // learns that the other side closed during the handshake.
        assertConnectFails(engines.start(), Address.tlsClient("127.0.0.1", port),
                "the server closed the connection during the handshake");
        Expect.quiet(group);
    }

    @Test
    void noCommonProtocolVersion() throws Exception {
        // A server that speaks no version the client offers answers the ClientHello with a fatal protocol_version
        // alert (RFC 8446 §4.1.3): record type 21, version 3.3, length 2, level fatal (2), description 70.
        byte[] protocolVersionAlert = {21, 3, 3, 0, 2, 2, 70};
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            Thread oldServer = new Thread(() -> {
                try (SocketChannel c = s.accept()) {
                    c.read(ByteBuffer.allocate(4096)); // the ClientHello
                    c.write(ByteBuffer.wrap(protocolVersionAlert));
                } catch (java.io.IOException e) {
                    // the test's assertions tell what went wrong
                }
            }, "old-tls-server");
            oldServer.start();
            assertConnectFails(engines.start(), Address.tlsClient("127.0.0.1",
                    ((InetSocketAddress) s.getLocalAddress()).getPort()),
                    "no TLS version or cipher suite in common with the server");
            oldServer.join(Peers.WAIT_NANOS / 1_000_000);
        }
    }

    @Test
    void clientHandshakeLimitWhenTheServerNeverAnswers() throws Exception {
        try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            silent.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) silent.getLocalAddress()).getPort();
            Reactor client = engines.start(Options.DEFAULT.withHandshakeTimeout(Duration.ofMillis(300)));
            // The kernel completes the TCP connect from the backlog; nobody ever answers the ClientHello.
            assertConnectFails(client, Address.tlsClient("127.0.0.1", port),
                    "the handshake did not finish within 300 ms");
            try (SocketChannel accepted = silent.accept()) {
                assertThat(accepted).as("the client did connect").isNotNull();
            }
        }
    }
}
