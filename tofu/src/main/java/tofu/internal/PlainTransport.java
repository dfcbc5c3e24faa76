package tofu.internal;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The socket itself as a {@link ByteTransport}: no handshake, nothing held back, reads and writes go straight to the
 * kernel. An abortive close of a TCP socket resets the connection (SO_LINGER 0), so nothing more is sent. Engine
 * thread only, except {@link #write}, which a posting thread that owns the idle channel may call ({@link WriteOwner}).
 */
final class PlainTransport implements ByteTransport {
    private final SocketChannel socket;
    private final boolean tcp;

    PlainTransport(SocketChannel socket, boolean tcp) {
        this.socket = socket;
        this.tcp = tcp;
    }

    @Override
    public SocketChannel socket() {
        return socket;
    }

    @Override
    public boolean handshake() {
        return true;
    }

    @Override
    public int ownInterest() {
        return 0;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return socket.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return socket.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return socket.write(srcs, offset, length);
    }

    /** One {@code writev}: direct bodies go to the kernel from where they are. */
    @Override
    public boolean gathers() {
        return true;
    }

    @Override
    public boolean flush() {
        return true;
    }

    /** The JDK's socket channel serialises writes and lets one thread write while another reads. */
    @Override
    public boolean writableFromAnyThread() {
        return true;
    }

    /**
     * A UDS peer's user and group from the socket's peer credentials (the process that connected, or the one that
     * listens), as {@code user=<name> group=<name>}; null for TCP. The names are as the JDK resolves them: the
     * numeric id when the system has no name for it.
     */
    @Override
    public String peer() {
        if (tcp) {
            return null;
        }
        try {
            UnixDomainPrincipal p = socket.getOption(ExtendedSocketOptions.SO_PEERCRED);
            return "user=" + p.user().getName() + " group=" + p.group().getName();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    @Override
    public void close(boolean graceful) {
        try {
            if (!graceful && tcp && socket.isConnected()) {
                socket.setOption(StandardSocketOptions.SO_LINGER, 0); // abort: RST, nothing more is sent
            }
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort: a plain close still ends the connection
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to do with a socket that failed to close
        }
    }
}
