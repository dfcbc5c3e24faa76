package tofu.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import tofu.Address;
import tofu.TcpClientAddress;
import tofu.TlsClientAddress;
import tofu.UdsClientAddress;
import tofu.UdsServerAddress;

/**
 * Addresses where nobody answers, and plain JDK sockets for talking to (or probing) a tofu listener from outside.
 * Everything is loopback or a file under the test's temporary directory.
 */
public final class Endpoints {
    /** A host name that never resolves (RFC 2606 reserves {@code .invalid}). */
    public static final String UNKNOWN_HOST = "no.such.host.invalid";

    private Endpoints() {
    }

    /**
     * A server address that was just used by a plain JDK listener which is closed again: a TCP port that nobody
     * listens on now, or a stale UDS socket file (the JDK leaves the file behind when it closes a UDS listener).
     */
    public static Address abandonedServer(Transport transport, Path dir) throws IOException {
        if (transport.overTcp()) {
            try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
                s.bind(new InetSocketAddress("127.0.0.1", 0));
                int port = ((InetSocketAddress) s.getLocalAddress()).getPort();
                return transport == Transport.TLS ? Address.tlsServer("127.0.0.1", port)
                        : Address.tcpServer("127.0.0.1", port);
            }
        }
        Path path = dir.resolve("stale-" + System.nanoTime() + ".sock");
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(path));
        }
        assertThat(path).as("the JDK leaves a closed UDS listener's file").exists();
        return Address.udsServer(path.toString());
    }

    /** A client address where the target does not exist: an unknown host, or a UDS path with no file. */
    public static Address missingTarget(Transport transport, Path dir) {
        if (transport == Transport.TCP) {
            return Address.tcpClient(UNKNOWN_HOST, 7099);
        }
        if (transport == Transport.TLS) {
            return Address.tlsClient(UNKNOWN_HOST, 7099);
        }
        return Address.udsClient(dir.resolve("missing-" + System.nanoTime() + ".sock").toString());
    }

    /** The socket address a plain JDK socket dials for a tofu address (client or server form). */
    public static SocketAddress socketAddress(Address address) {
        Address a = address.asClient();
        if (a instanceof TcpClientAddress) {
            TcpClientAddress t = (TcpClientAddress) a;
            return new InetSocketAddress(t.host(), t.port());
        }
        if (a instanceof TlsClientAddress) {
            TlsClientAddress t = (TlsClientAddress) a;
            return new InetSocketAddress(t.host(), t.port());
        }
        return UnixDomainSocketAddress.of(((UdsClientAddress) a).path());
    }

    /** Opens a blocking JDK connection to {@code address}. */
    public static SocketChannel connectRaw(Address address) throws IOException {
        SocketAddress target = socketAddress(address);
        SocketChannel s = SocketChannel.open(target instanceof UnixDomainSocketAddress
                ? StandardProtocolFamily.UNIX : StandardProtocolFamily.INET);
        try {
            s.connect(target);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** True if a plain connection attempt to {@code address} fails (nobody listens there any more). */
    @SuppressWarnings("try")    // the connect is the probe; the socket is only opened to be closed (javac 21+ warns)
    public static boolean refuses(Address address) {
        try (SocketChannel ignored = connectRaw(address)) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** The socket file of a UDS address, or null for TCP. */
    public static Path udsFile(Address address) {
        if (address instanceof UdsServerAddress) {
            return Path.of(((UdsServerAddress) address).path());
        }
        if (address instanceof UdsClientAddress) {
            return Path.of(((UdsClientAddress) address).path());
        }
        return null;
    }

    /**
     * Asserts that nothing listens on {@code address} any more: the TCP port refuses connections, or the UDS file is
     * gone (and so refuses too).
     */
    public static void assertClosed(Address address) {
        Path file = udsFile(address);
        if (file != null) {
            assertThat(Files.exists(file)).as("UDS file %s still exists", file).isFalse();
        }
        assertThat(refuses(address)).as("%s refuses connections", address.value()).isTrue();
    }
}
