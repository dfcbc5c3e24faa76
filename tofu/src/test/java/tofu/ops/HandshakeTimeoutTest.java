package tofu.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.Address;
import tofu.Ampe;
import tofu.ChannelGroup;
import tofu.Options;
import tofu.Reactor;
import tofu.support.Engines;
import tofu.support.Peers;
import tofu.support.Transport;

/** A peer that connects and never says hello is dropped after the handshake limit, and nobody is told. */
class HandshakeTimeoutTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void silentPeerIsDroppedAfterTheLimit(Transport transport) throws Exception {
        Options options = Options.DEFAULT.withHandshakeTimeout(Duration.ofMillis(200));
        try (Reactor reactor = Reactor.create(Engines.withTestTls(options))) {
            Ampe ampe = reactor.ampe();
            ChannelGroup server = ampe.create();
            Address address = Peers.listen(ampe, server, transport.listenAddress(dir));
            try (SocketChannel silent = open(address); Selector selector = Selector.open()) {
                long start = System.nanoTime();
                silent.configureBlocking(false);
                silent.register(selector, SelectionKey.OP_READ);
                assertThat(selector.select(20_000)).as("the engine ends the connection").isEqualTo(1);
                long waitedMillis = (System.nanoTime() - start) / 1_000_000;
                int n;
                try {
                    n = silent.read(ByteBuffer.allocate(1));
                } catch (java.io.IOException reset) {
                    n = -1;
                }
                assertThat(n).isEqualTo(-1);
                assertThat(waitedMillis).isGreaterThanOrEqualTo(150);
            }
            assertThat(server.waitReceive(0)).as("the application hears nothing of the silent peer").isNull();
            assertThat(reactor.stats().pendingHandshakes()).isZero();
            assertThat(reactor.stats().admission().handshakeTimeouts()).as("counted").isEqualTo(1);
        }
    }

    private static SocketChannel open(Address address) throws java.io.IOException {
        return tofu.support.Endpoints.connectRaw(address); // over TLS: a TCP connection that never says ClientHello
    }
}
