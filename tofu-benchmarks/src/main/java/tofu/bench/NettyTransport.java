package tofu.bench;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * The two Netty transports the harness measures: the JDK's NIO selector and Netty's native epoll (Linux x86-64, from
 * {@code netty-transport-native-epoll}). Each gives the event-loop group, channel classes and addresses for TCP and
 * for Unix-domain sockets. Stateless.
 */
enum NettyTransport {
    NIO("nio"),
    EPOLL("epoll");

    final String label;

    NettyTransport(String label) {
        this.label = label;
    }

    /** True if this transport can run here; the native one needs Linux and its bundled library. */
    boolean available() {
        return this == NIO || Epoll.isAvailable();
    }

    /** Why the transport cannot run here (null when it can). */
    Throwable unavailabilityCause() {
        return this == NIO ? null : Epoll.unavailabilityCause();
    }

    /** An event-loop group of {@code threads} loops. */
    EventLoopGroup newGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads,
                this == NIO ? NioIoHandler.newFactory() : EpollIoHandler.newFactory());
    }

    Class<? extends ServerChannel> serverChannel(boolean uds) {
        if (this == NIO) {
            return uds ? NioServerDomainSocketChannel.class : NioServerSocketChannel.class;
        }
        return uds ? EpollServerDomainSocketChannel.class : EpollServerSocketChannel.class;
    }

    Class<? extends Channel> socketChannel(boolean uds) {
        if (this == NIO) {
            return uds ? NioDomainSocketChannel.class : NioSocketChannel.class;
        }
        return uds ? EpollDomainSocketChannel.class : EpollSocketChannel.class;
    }

    /** The address to listen on: loopback port 0, or the socket file {@code udsPath}. */
    SocketAddress listenAddress(Path udsPath) {
        if (udsPath == null) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        }
        return this == NIO ? UnixDomainSocketAddress.of(udsPath) : new DomainSocketAddress(udsPath.toFile());
    }
}
