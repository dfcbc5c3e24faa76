package tofu.hostile;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import tofu.Address;
import tofu.support.Endpoints;

/**
 * A hostile peer made of a plain JDK socket: it writes whatever bytes a test wants, stalls, vanishes, or resets the
 * connection, and tells whether the server dropped it. Unlike {@link tofu.support.RawPeer} (which checks what the
 * library writes and fails on anything unexpected) it holds no selector while idle, so hundreds can be open at once,
 * and it never fails a test by itself. Loopback TCP or UDS only. Not thread-safe: one test thread drives it.
 */
final class HostilePeer implements AutoCloseable {
    private final SocketChannel socket;
    private final boolean tcp;
    private long bytesRead;

    private HostilePeer(SocketChannel socket, boolean tcp) {
        this.socket = socket;
        this.tcp = tcp;
    }

    /** Connects (blocking) to a tofu listener. */
    static HostilePeer connect(Address address) throws IOException {
        return wrap(Endpoints.connectRaw(address));
    }

    /** Takes over an accepted or connected socket. */
    static HostilePeer wrap(SocketChannel socket) {
        return new HostilePeer(socket, !isUnix(socket));
    }

    private static boolean isUnix(SocketChannel socket) {
        try {
            return socket.getLocalAddress() instanceof java.net.UnixDomainSocketAddress;
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes all of {@code bytes} (blocking). */
    void send(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            socket.write(b);
        }
    }

    /** Writes {@code bytes}; returns false instead of throwing if the other side already dropped the connection. */
    boolean trySend(byte[] bytes) {
        try {
            send(bytes);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Closes abortively: a TCP reset (SO_LINGER 0); a UDS socket has no reset and simply closes. */
    void reset() {
        try {
            if (tcp && socket.isOpen()) {
                socket.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
        } catch (IOException ignored) {
            // the close below still ends the connection
        }
        close();
    }

    /** Shrinks the receive buffer, so a peer that stops reading fills up soon. */
    void smallReceiveBuffer() throws IOException {
        socket.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
    }

    /** Bytes read so far by {@link #read} and {@link #awaitDrop}. */
    long bytesRead() {
        return bytesRead;
    }

    /**
     * Reads into {@code dst} until it is full, the other side closes, or {@code nanos} pass.
     *
     * @return false if the other side closed or reset the connection
     */
    boolean read(ByteBuffer dst, long nanos) throws IOException {
        long deadline = System.nanoTime() + nanos;
        socket.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            socket.register(selector, SelectionKey.OP_READ);
            while (dst.hasRemaining()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                selector.selectedKeys().clear();
                int n;
                try {
                    n = socket.read(dst);
                } catch (IOException reset) {
                    return false;
                }
                if (n < 0) {
                    return false;
                }
                bytesRead += n;
            }
            return true;
        } finally {
            if (socket.isOpen()) {
                socket.configureBlocking(true); // the selector is closed by now, so the key is gone
            }
        }
    }

    /**
     * Reads and discards until the other side ends the connection (EOF or reset) or {@code nanos} pass.
     *
     * @return true if the connection was ended by the other side in time
     */
    boolean awaitDrop(long nanos) throws IOException {
        long deadline = System.nanoTime() + nanos;
        ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
        while (System.nanoTime() < deadline) {
            sink.clear();
            if (!read(sink, deadline - System.nanoTime())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
