package tofu.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tofu.Options;

/** Socket options the engine applies to data sockets. */
class SocketTuningTest {
    @TempDir
    Path dir;

    @Test
    void aUnixDomainSocketGetsTheLargerSendBufferByDefault() throws IOException {
        try (ServerSocketChannel server = unixServer();
                SocketChannel client = SocketChannel.open(server.getLocalAddress());
                SocketChannel reference = SocketChannel.open(server.getLocalAddress())) {
            int systemDefault = client.getOption(StandardSocketOptions.SO_SNDBUF);
            // What the kernel grants for the size asked (it caps at net.core.wmem_max and may report it doubled).
            reference.setOption(StandardSocketOptions.SO_SNDBUF, SocketTuning.UDS_DEFAULT_SEND_BUFFER);
            int granted = reference.getOption(StandardSocketOptions.SO_SNDBUF);
            assumeTrue(granted > systemDefault, "the kernel's wmem_max leaves no room above the default");

            SocketTuning.dataSocket(client, Options.DEFAULT, false);

            assertThat(client.getOption(StandardSocketOptions.SO_SNDBUF)).isEqualTo(granted);
        }
    }

    @Test
    void anExplicitSendBufferWinsOverTheUnixDomainDefault() throws IOException {
        int asked = 64 * 1024;
        try (ServerSocketChannel server = unixServer();
                SocketChannel client = SocketChannel.open(server.getLocalAddress());
                SocketChannel reference = SocketChannel.open(server.getLocalAddress())) {
            reference.setOption(StandardSocketOptions.SO_SNDBUF, asked);

            SocketTuning.dataSocket(client, Options.DEFAULT.withSocketBuffers(asked, 0), false);

            assertThat(client.getOption(StandardSocketOptions.SO_SNDBUF))
                    .isEqualTo(reference.getOption(StandardSocketOptions.SO_SNDBUF));
        }
    }

    private ServerSocketChannel unixServer() throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(dir.resolve("s.sock")));
        return server;
    }

    @Test
    void aTcpSocketKeepsAutotuningWhenNoSizeIsGiven() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress())) {
                int before = client.getOption(StandardSocketOptions.SO_SNDBUF);
                SocketTuning.dataSocket(client, Options.DEFAULT, true);
                assertThat(client.getOption(StandardSocketOptions.SO_SNDBUF)).isEqualTo(before);
                assertThat(client.getOption(StandardSocketOptions.TCP_NODELAY)).isTrue();
            }
        }
    }
}
