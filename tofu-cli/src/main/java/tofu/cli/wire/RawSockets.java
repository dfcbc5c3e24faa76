package tofu.cli.wire;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import tofu.Address;
import tofu.AmpeStatus;
import tofu.TcpClientAddress;
import tofu.TcpServerAddress;
import tofu.UdsClientAddress;
import tofu.UdsServerAddress;
import tofu.cli.CliException;

/**
 * Plain sockets for tofu addresses, without an engine: what {@code tap} and {@code check} use to see and send bytes
 * exactly. Failures become {@link CliException}s with the status the engine would report (CONNECT_FAILED,
 * UDS_PATH_NOT_FOUND, LISTEN_FAILED), so the exit codes match the other commands. Stateless.
 */
public final class RawSockets {
    private RawSockets() {
    }

    /**
     * Connects a blocking socket channel to a client address ({@code tcp|host|port} or {@code uds|path}).
     *
     * @throws CliException with CONNECT_FAILED, UDS_PATH_NOT_FOUND or INVALID_ADDRESS (unknown host)
     */
    public static SocketChannel connect(Address address) {
        SocketAddress target = socketAddress(address);
        try {
            if (target instanceof UnixDomainSocketAddress) {
                Path path = ((UnixDomainSocketAddress) target).getPath();
                if (!Files.exists(path)) {
                    throw CliException.status(AmpeStatus.UDS_PATH_NOT_FOUND, "connect to " + address.value()
                            + " failed");
                }
                return SocketChannel.open(target);
            }
            SocketChannel ch = SocketChannel.open(target);
            ch.socket().setTcpNoDelay(true); // frames go out as they are written, like the engine's sockets
            return ch;
        } catch (ConnectException e) {
            throw CliException.status(AmpeStatus.CONNECT_FAILED, "connect to " + address.value() + " failed");
        } catch (IOException e) {
            throw CliException.status(AmpeStatus.CONNECT_FAILED, "connect to " + address.value() + " failed ("
                    + e.getMessage() + ")");
        }
    }

    /**
     * Opens a blocking listener on a server address; a stale UDS socket file is replaced, a live one is refused.
     * Returns the listener; {@link #localAddress(ServerSocketChannel, Address)} tells the actual address.
     *
     * @throws CliException with LISTEN_FAILED
     */
    public static ServerSocketChannel listen(Address address) {
        try {
            if (address instanceof UdsServerAddress) {
                Path path = Path.of(((UdsServerAddress) address).path());
                if (Files.exists(path)) {
                    if (live(path)) {
                        throw CliException.status(AmpeStatus.LISTEN_FAILED, "listen on " + address.value()
                                + " failed: a listener answers there");
                    }
                    Files.delete(path); // a stale socket file left by a process that died
                }
                ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                server.bind(UnixDomainSocketAddress.of(path));
                return server;
            }
            TcpServerAddress tcp = (TcpServerAddress) address;
            ServerSocketChannel server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(tcp.ip(), tcp.port()));
            return server;
        } catch (IOException e) {
            throw CliException.status(AmpeStatus.LISTEN_FAILED, "listen on " + address.value() + " failed ("
                    + e.getMessage() + ")");
        }
    }

    /** Returns the address a listener opened by {@link #listen(Address)} is bound to (the real port for port 0). */
    public static Address localAddress(ServerSocketChannel server, Address requested) throws IOException {
        if (requested instanceof TcpServerAddress) {
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            return Address.tcpServer(((TcpServerAddress) requested).ip(), port);
        }
        return requested;
    }

    /** Returns the socket address of a client or server tofu address. */
    public static SocketAddress socketAddress(Address address) {
        if (address instanceof TcpClientAddress) {
            TcpClientAddress tcp = (TcpClientAddress) address;
            InetSocketAddress resolved = new InetSocketAddress(tcp.host(), tcp.port());
            if (resolved.isUnresolved()) {
                throw CliException.status(AmpeStatus.INVALID_ADDRESS, "unknown host in " + address.value());
            }
            return resolved;
        }
        if (address instanceof UdsClientAddress) {
            return UnixDomainSocketAddress.of(((UdsClientAddress) address).path());
        }
        return socketAddress(address.asClient());
    }

    private static boolean live(Path path) {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return probe.isConnected();
        } catch (IOException e) {
            return false;
        }
    }
}
