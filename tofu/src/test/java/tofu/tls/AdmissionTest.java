package tofu.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.ChannelGroup;
import tofu.EngineStats;
import tofu.OpCode;
import tofu.Options;
import tofu.Reactor;
import tofu.support.EngineTest;
import tofu.support.Endpoints;
import tofu.support.Expect;
import tofu.support.Listener;
import tofu.support.Peers;
import tofu.support.Transport;

/**
 * {@code Options.maxConnections}: the accepted connections one engine holds at once, TCP, TLS and UDS together. A
 * connection beyond the cap is closed at once, never reaches the application, and is counted; a place comes free when
 * an accepted connection ends.
 */
class AdmissionTest extends EngineTest {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void connectionsBeyondTheCapAreClosedAtOnceAndCounted(Transport transport) throws Exception {
        Reactor server = engines.start(Options.DEFAULT.withMaxConnections(2));
        ChannelGroup sg = server.ampe().create();
        Listener l = Listener.open(server.ampe(), sg, transport.listenAddress(dir));
        Reactor client = engines.start();
        ChannelGroup cg = client.ampe().create();
        Peers.Link first = Peers.link(client.ampe(), cg, sg, l.dial());
        try (SocketChannel silent = Endpoints.connectRaw(l.dial())) { // holds the second place without a word
            awaitStats(server, s -> s.admission().acceptedOpen() == 2);
            for (int i = 0; i < 3; i++) {
                try (SocketChannel refused = Endpoints.connectRaw(l.dial())) {
                    assertThat(endsWithinWait(refused)).as("connection %d beyond the cap is closed", i).isTrue();
                }
            }
            EngineStats s = server.stats();
            assertThat(s.admission().connectionsRefused()).as("%s", s).isEqualTo(3);
            assertThat(s.admission().acceptedOpen()).isEqualTo(2);
            Expect.quiet(sg);
        }
        // The silent connection is gone: its place comes free, and a tofu client gets in.
        awaitStats(server, s -> s.admission().acceptedOpen() == 1);
        Peers.Link second = Peers.link(client.ampe(), cg, sg, l.dial());
        assertThat(second.serverChannel()).isNotEqualTo(first.serverChannel());

        cg.post(Peers.message(client.ampe(), first.clientChannel(), OpCode.BYE_SIGNAL, null));
        awaitStats(server, s -> s.admission().acceptedOpen() == 1);
        assertThat(server.stats().admission().connectionsRefused()).isEqualTo(3);
    }

    /** True if the engine closes (or resets) {@code socket} within the test wait. */
    private static boolean endsWithinWait(SocketChannel socket) throws IOException {
        socket.configureBlocking(false);
        long deadline = System.nanoTime() + Peers.WAIT_NANOS;
        try (Selector selector = Selector.open()) {
            socket.register(selector, SelectionKey.OP_READ);
            while (System.nanoTime() < deadline) {
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                try {
                    if (socket.read(ByteBuffer.allocate(256)) < 0) {
                        return true;
                    }
                } catch (IOException reset) {
                    return true;
                }
            }
            return false;
        }
    }

    private static void awaitStats(Reactor r, java.util.function.Predicate<EngineStats> ok) throws Exception {
        long deadline = System.nanoTime() + Peers.WAIT_NANOS;
        EngineStats s = r.stats();
        while (!ok.test(s)) {
            assertThat(System.nanoTime() - deadline).as("in time: %s", s).isNegative();
            TimeUnit.MILLISECONDS.sleep(2); // polling an engine figure, bounded by the deadline above
            s = r.stats();
        }
    }
}
