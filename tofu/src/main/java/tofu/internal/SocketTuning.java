package tofu.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import jdk.net.ExtendedSocketOptions;
import tofu.Options;

/**
 * Applies {@link Options} to sockets: TCP_NODELAY on every TCP data socket, keep-alive and buffer sizes when asked,
 * and a larger send buffer for Unix-domain data sockets (see {@link #UDS_DEFAULT_SEND_BUFFER}).
 * An option the platform does not support is logged once and skipped: it never fails a connection. Stateless apart
 * from the log-once flag; engine thread.
 */
final class SocketTuning {
    private static final System.Logger LOG = System.getLogger("tofu");
    private static volatile boolean unsupportedLogged;
    /**
     * SO_SNDBUF of a Unix-domain data socket when {@link Options#sendBufferSize()} is 0. A Unix stream socket's sender
     * may queue only its send buffer's worth of bytes (the receive side adds nothing), and the default
     * ({@code net.core.wmem_default}, 208 KiB) holds far less than TCP loopback autotuning grows to (up to
     * {@code tcp_wmem}'s 4 MiB): small-message streams over UDS ran at 0.6-0.8x TCP, with 2-4 MiB at or above it
     * (docs/PERFORMANCE.md). It is a limit, not an allocation: an idle connection costs nothing more. The kernel caps
     * it at {@code net.core.wmem_max}.
     */
    static final int UDS_DEFAULT_SEND_BUFFER = 4 << 20;

    private SocketTuning() {
    }

    static void dataSocket(SocketChannel socket, Options options, boolean tcp) throws IOException {
        if (tcp) {
            socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (options.keepAlive()) {
                socket.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
                trySet(socket, ExtendedSocketOptions.TCP_KEEPIDLE, seconds(options.keepAliveIdle()));
                trySet(socket, ExtendedSocketOptions.TCP_KEEPINTERVAL, seconds(options.keepAliveInterval()));
                trySet(socket, ExtendedSocketOptions.TCP_KEEPCOUNT, options.keepAliveCount());
            }
        }
        if (options.sendBufferSize() > 0) {
            trySet(socket, StandardSocketOptions.SO_SNDBUF, options.sendBufferSize());
        } else if (!tcp) {
            trySet(socket, StandardSocketOptions.SO_SNDBUF, UDS_DEFAULT_SEND_BUFFER);
        }
        if (options.receiveBufferSize() > 0) {
            trySet(socket, StandardSocketOptions.SO_RCVBUF, options.receiveBufferSize());
        }
    }

    static void listener(ServerSocketChannel server, Options options) throws IOException {
        if (options.receiveBufferSize() > 0) {
            trySet(server, StandardSocketOptions.SO_RCVBUF, options.receiveBufferSize());
        }
    }

    private static int seconds(java.time.Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toSeconds()));
    }

    private static <T> void trySet(NetworkChannel channel, SocketOption<T> option, T value) throws IOException {
        if (!channel.supportedOptions().contains(option)) {
            if (!unsupportedLogged) {
                unsupportedLogged = true;
                LOG.log(Level.INFO, "socket option {0} is not supported here; skipped", option.name());
            }
            return;
        }
        channel.setOption(option, value);
    }
}
