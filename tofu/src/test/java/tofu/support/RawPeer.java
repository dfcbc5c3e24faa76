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
import java.util.concurrent.TimeUnit;
import tofu.Address;
import tofu.BinaryHeader;

/**
 * A peer made of a plain JDK socket, to see the wire as the library writes it and to write what it never would. Every
 * wait is bounded by {@link Peers#WAIT_NANOS}.
 */
public final class RawPeer implements AutoCloseable {
    private final SocketChannel socket;
    private final Selector selector;

    private RawPeer(SocketChannel socket) throws IOException {
        this.socket = socket;
        this.selector = Selector.open();
        socket.configureBlocking(false);
        socket.register(selector, SelectionKey.OP_READ);
    }

    /** Connects to a tofu listener. */
    public static RawPeer connect(Address address) throws IOException {
        return new RawPeer(Endpoints.connectRaw(address));
    }

    /** A plain JDK listener on loopback port 0 or on a fresh UDS file under {@code dir}. */
    public static ServerSocketChannel listen(Transport transport, Path dir) throws IOException {
        if (transport == Transport.TCP) {
            ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.INET);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s;
        }
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(dir.resolve("raw-" + System.nanoTime() + ".sock")));
        return s;
    }

    /** The address a tofu client dials to reach a listener made by {@link #listen}. */
    public static Address dial(ServerSocketChannel server) throws IOException {
        if (server.getLocalAddress() instanceof InetSocketAddress) {
            return Address.tcpClient("127.0.0.1", ((InetSocketAddress) server.getLocalAddress()).getPort());
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
            return new RawPeer(accepted);
        }
    }

    /** Writes all of {@code frame}. */
    public void write(ByteBuffer frame) throws IOException {
        long deadline = System.nanoTime() + Peers.WAIT_NANOS;
        while (frame.hasRemaining()) {
            socket.write(frame);
            assertThat(System.nanoTime() - deadline).as("written in time").isNegative();
        }
    }

    /** Half-closes: sends an orderly end of stream (FIN) and keeps reading. */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
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
            selector.close();
        } finally {
            socket.close();
        }
    }
}
