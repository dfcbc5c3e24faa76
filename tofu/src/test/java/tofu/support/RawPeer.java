package tofu.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import tofu.Address;
import tofu.BinaryHeader;
import tofu.TlsClientAddress;

/**
 * A peer made of a plain JDK socket, to see the wire as the library writes it and to write what it never would. Every
 * wait is bounded by {@link Peers#WAIT_NANOS}. Over {@link Transport#TLS} the socket is wrapped in a JDK
 * {@link SSLSocket} with the test context ({@link TestTls#MUTUAL}): frames are then what the TLS records carry.
 */
public final class RawPeer implements AutoCloseable {
    /** Listeners made by {@link #listen} for TLS: their connections handshake as TLS servers. */
    private static final Set<ServerSocketChannel> TLS_LISTENERS =
            Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    private final SocketChannel socket;
    private final Selector selector;
    /** The TLS layer over {@link #socket}, or null for a plain peer. */
    private final SSLSocket tls;

    private RawPeer(SocketChannel socket) throws IOException {
        this.socket = socket;
        this.selector = Selector.open();
        this.tls = null;
        socket.configureBlocking(false);
        socket.register(selector, SelectionKey.OP_READ);
    }

    private RawPeer(SocketChannel socket, boolean client) throws IOException {
        this.socket = socket;
        this.selector = null;
        InetSocketAddress remote = (InetSocketAddress) socket.getRemoteAddress();
        SSLSocket s = (SSLSocket) TestTls.MUTUAL.getSocketFactory().createSocket(socket.socket(),
                client ? "127.0.0.1" : null, remote.getPort(), true);
        s.setUseClientMode(client);
        if (!client) {
            s.setNeedClientAuth(true);
        }
        s.setSoTimeout((int) TimeUnit.NANOSECONDS.toMillis(Peers.WAIT_NANOS));
        s.startHandshake();
        this.tls = s;
    }

    /** Connects to a tofu listener (as a TLS client, with the test context, when the address is {@code tls|}). */
    public static RawPeer connect(Address address) throws IOException {
        SocketChannel s = Endpoints.connectRaw(address);
        if (address.asClient() instanceof TlsClientAddress) {
            try {
                return new RawPeer(s, true);
            } catch (IOException | RuntimeException e) {
                s.close();
                throw e;
            }
        }
        return new RawPeer(s);
    }

    /** A plain JDK listener on loopback port 0 or on a fresh UDS file under {@code dir} (TLS: a TCP port). */
    public static ServerSocketChannel listen(Transport transport, Path dir) throws IOException {
        if (transport.overTcp()) {
            ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.INET);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            if (transport == Transport.TLS) {
                TLS_LISTENERS.add(s);
            }
            return s;
        }
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(dir.resolve("raw-" + System.nanoTime() + ".sock")));
        return s;
    }

    /** The address a tofu client dials to reach a listener made by {@link #listen}. */
    public static Address dial(ServerSocketChannel server) throws IOException {
        if (server.getLocalAddress() instanceof InetSocketAddress) {
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            return TLS_LISTENERS.contains(server) ? Address.tlsClient("127.0.0.1", port)
                    : Address.tcpClient("127.0.0.1", port);
        }
        return Address.udsClient(((UnixDomainSocketAddress) server.getLocalAddress()).getPath().toString());
    }

    /** Accepts one connection, waiting at most {@link Peers#WAIT_NANOS}. */
    public static RawPeer accept(ServerSocketChannel server) throws IOException {
        server.configureBlocking(false);
        try (Selector s = Selector.open()) {
            server.register(s, SelectionKey.OP_ACCEPT);
            assertThat(s.select(TimeUnit.NANOSECONDS.toMillis(Peers.WAIT_NANOS))).as("a connection came").isPositive();
            SocketChannel accepted = server.accept();
            assertThat(accepted).isNotNull();
            if (TLS_LISTENERS.contains(server)) {
                s.close();
                accepted.configureBlocking(true);
                return new RawPeer(accepted, false);
            }
            return new RawPeer(accepted);
        }
    }

    /** Writes all of {@code frame}. */
    public void write(ByteBuffer frame) throws IOException {
        if (tls != null) {
            tls.getOutputStream().write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
            tls.getOutputStream().flush();
            frame.position(frame.limit());
            return;
        }
        long deadline = System.nanoTime() + Peers.WAIT_NANOS;
        while (frame.hasRemaining()) {
            socket.write(frame);
            assertThat(System.nanoTime() - deadline).as("written in time").isNegative();
        }
    }

    /** Half-closes: sends an orderly end of stream (FIN) and keeps reading. */
    public void shutdownOutput() throws IOException {
        if (tls != null) {
            tls.shutdownOutput(); // close_notify, then FIN
            return;
        }
        socket.shutdownOutput();
    }

    /**
     * Drops the connection with a plain FIN underneath the TLS layer: no close_notify (what a crashed process or a
     * truncation attack looks like). For a plain peer the same as closing.
     */
    public void dropWithoutCloseNotify() throws IOException {
        socket.close();
    }

    /** Reads one whole frame (binary header, text headers, body). */
    public ByteBuffer readFrame() throws IOException {
        ByteBuffer header = read(BinaryHeader.SIZE);
        int thl = header.getShort(12) & 0xFFFF;
        int bl = header.getShort(14) & 0xFFFF;
        ByteBuffer rest = read(thl + bl);
        return ByteBuffer.allocate(BinaryHeader.SIZE + thl + bl).put(header).put(rest).flip();
    }

    /**
     * Reads until the peer closes; returns normally on an orderly end of stream (FIN) and throws the IOException of an
     * abortive one (RST: "Connection reset"). Any data still arriving fails the test.
     */
    public void readEndOfStream() throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        long deadline = System.nanoTime() + Peers.WAIT_NANOS;
        if (tls != null) {
            // the JDK's SSLSocket reads close_notify and a plain FIN alike as -1 (tofu.internal.TlsTransportTest
            // checks close_notify on the wire)
            assertThat(tls.getInputStream().read()).as("no data after the last frame").isEqualTo(-1);
            return;
        }
        while (true) {
            int n = socket.read(one);
            if (n < 0) {
                return;
            }
            assertThat(n).as("no data after the last frame").isZero();
            awaitReadable(deadline);
        }
    }

    private ByteBuffer read(int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        long deadline = System.nanoTime() + Peers.WAIT_NANOS;
        if (tls != null) {
            while (buf.hasRemaining()) {
                int r = tls.getInputStream().read(buf.array(), buf.position(), buf.remaining());
                if (r < 0) {
                    throw new IOException("end of stream after " + buf.position() + " of " + n + " bytes");
                }
                buf.position(buf.position() + r);
            }
            return buf.flip();
        }
        while (buf.hasRemaining()) {
            int r = socket.read(buf);
            if (r < 0) {
                throw new IOException("end of stream after " + buf.position() + " of " + n + " bytes");
            }
            if (r == 0) {
                awaitReadable(deadline);
            }
        }
        return buf.flip();
    }

    private void awaitReadable(long deadline) throws IOException {
        long left = deadline - System.nanoTime();
        assertThat(left).as("data or end of stream in time").isPositive();
        selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        selector.selectedKeys().clear();
    }

    @Override
    public void close() throws IOException {
        try {
            if (selector != null) {
                selector.close();
            }
            if (tls != null) {
                tls.close();
            }
        } finally {
            socket.close();
        }
    }
}
