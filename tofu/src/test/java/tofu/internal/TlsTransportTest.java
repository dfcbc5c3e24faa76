package tofu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tofu.Options;
import tofu.support.TestTls;

/**
 * {@link TlsTransport} on a loopback socket pair against a JDK {@link SSLEngine} that the test drives by hand, so the
 * test sees every record: the handshake, bytes both ways, what a read leaves pending, the peer identity, and that a
 * graceful close sends close_notify while an abort does not. The transport is the server of a mutual-TLS listener.
 */
class TlsTransportTest {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private ServerSocketChannel listener;
    private SocketChannel tofuSide;
    private TlsTransport tofu;
    private Peer peer;

    @BeforeEach
    void connect() throws IOException {
        listener = ServerSocketChannel.open(StandardProtocolFamily.INET);
        listener.bind(new InetSocketAddress("127.0.0.1", 0));
        SocketChannel peerSide = SocketChannel.open(listener.getLocalAddress());
        tofuSide = listener.accept();
        tofuSide.configureBlocking(false);
        peerSide.configureBlocking(false);
        tofu = (TlsTransport) new Transports(Options.DEFAULT.withTls(TestTls.MUTUAL, true)).tlsServer().make(tofuSide);
        SSLEngine e = TestTls.clientOnly().createSSLEngine("127.0.0.1", 1);
        e.setUseClientMode(true);
        peer = new Peer(e, peerSide);
        e.beginHandshake();
        boolean[] done = {false};
        until("both ends finish the handshake", () -> {
            try {
                done[0] = done[0] || tofu.handshake();
                peer.pump();
            } catch (IOException e1) {
                throw new AssertionError(e1);
            }
            return done[0] && peer.engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING;
        });
    }

    @AfterEach
    void close() throws IOException {
        tofu.close(false);
        peer.socket.close();
        listener.close();
    }

    @Test
    void bytesTravelBothWaysAndThePeerIsNamed() throws IOException {
        assertThat(tofu.peer()).isEqualTo(TestTls.CLIENT_SUBJECT);
        peer.send("ping");
        ByteBuffer dst = ByteBuffer.allocate(64);
        until("the transport reads what the peer sent", () -> readInto(dst) && dst.position() == 4);
        assertThat(new String(dst.array(), 0, 4, StandardCharsets.US_ASCII)).isEqualTo("ping");

        ByteBuffer src = ByteBuffer.wrap("pong".getBytes(StandardCharsets.US_ASCII));
        assertThat(tofu.write(src)).isEqualTo(4);
        assertThat(tofu.flush()).isTrue();
        until("the peer reads what the transport sent", () -> pump() && peer.received().equals("pong"));
    }

    @Test
    void aShortReadLeavesTheRestPendingAndAPartialRecordDoesNot() throws IOException {
        peer.send("0123456789".repeat(100)); // one record of 1000 bytes
        ByteBuffer small = ByteBuffer.allocate(10);
        until("the first ten bytes", () -> readInto(small) && small.position() == 10);
        assertThat(tofu.readPending()).as("990 bytes wait in the transport").isTrue();
        int total = 10;
        while (tofu.readPending()) {
            small.clear();
            total += tofu.read(small);
        }
        assertThat(total).isEqualTo(1000);

        peer.sendPartialRecord("half");
        ByteBuffer dst = ByteBuffer.allocate(64);
        until("the partial record arrived and was looked at", () -> readInto(dst) && !tofu.readPending());
        assertThat(dst.position()).as("nothing of a partial record").isZero();
    }

    @Test
    void aGracefulCloseSendsCloseNotify() {
        tofu.close(true);
        until("the peer sees the end", () -> pump() && peer.eof);
        assertThat(peer.engine.isInboundDone()).as("close_notify received").isTrue();
    }

    @Test
    void anAbortSendsNoCloseNotify() {
        tofu.close(false);
        until("the peer sees the end", () -> pump() && peer.eof);
        assertThat(peer.engine.isInboundDone()).as("no close_notify").isFalse();
    }

    private boolean readInto(ByteBuffer dst) {
        try {
            tofu.read(dst);
            peer.pump();
            return true;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private boolean pump() {
        try {
            peer.pump();
            return true;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Polls {@code condition} (which drives both ends) until it holds, at most {@link #WAIT_NANOS}. */
    private static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as(what).isNegative();
            Thread.onSpinWait();
        }
    }

    /** A JDK engine on a non-blocking socket, pumped by the test thread. */
    private static final class Peer {
        final SSLEngine engine;
        final SocketChannel socket;
        final ByteBuffer in;
        final ByteBuffer app;
        final StringBuilder received = new StringBuilder();
        boolean eof;

        Peer(SSLEngine engine, SocketChannel socket) {
            this.engine = engine;
            this.socket = socket;
            this.in = ByteBuffer.allocate(engine.getSession().getPacketBufferSize() * 4);
            this.app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize() * 4);
        }

        /** Runs tasks, sends what the engine must send, reads and unwraps what arrived. */
        void pump() throws IOException {
            runTasks();
            while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                wrapAndSend(ByteBuffer.allocate(0));
                runTasks();
            }
            if (!eof) {
                try {
                    eof = socket.read(in) < 0;
                } catch (IOException reset) {
                    eof = true;
                }
            }
            in.flip();
            while (in.hasRemaining()) {
                SSLEngineResult r = engine.unwrap(in, app);
                runTasks();
                if (r.getStatus() != SSLEngineResult.Status.OK || r.bytesConsumed() == 0) {
                    break; // a partial record, the end, or the engine wants to send first (next pump)
                }
            }
            in.compact();
            app.flip();
            received.append(StandardCharsets.US_ASCII.decode(app));
            app.clear();
        }

        String received() {
            return received.toString();
        }

        void send(String text) throws IOException {
            wrapAndSend(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
        }

        /** Sends all of a record but its last byte. */
        void sendPartialRecord(String text) throws IOException {
            ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            engine.wrap(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)), out);
            out.flip();
            out.limit(out.limit() - 1);
            while (out.hasRemaining()) {
                socket.write(out);
            }
        }

        private void wrapAndSend(ByteBuffer src) throws IOException {
            ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            do {
                out.clear();
                engine.wrap(src, out);
                out.flip();
                while (out.hasRemaining()) {
                    socket.write(out);
                }
            } while (src.hasRemaining());
        }

        private void runTasks() {
            Runnable t;
            while ((t = engine.getDelegatedTask()) != null) {
                t.run();
            }
        }
    }
}
