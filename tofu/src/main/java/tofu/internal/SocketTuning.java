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
 * Applies {@link Options} to sockets: TCP_NODELAY on every TCP data socket, keep-alive and buffer sizes when asked.
 * An option the platform does not support is logged once and skipped: it never fails a connection. Stateless apart
 * from the log-once flag; engine thread.
 */
final class SocketTuning {
    private static final System.Logger LOG = System.getLogger("tofu");
    private static volatile boolean unsupportedLogged;

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
