package tofu.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.AmpeStatus;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;
import tofu.Reactor;
import tofu.support.Expect;
import tofu.support.Peers;

/**
 * {@code Options.connectTimeout} on loopback: a listener whose accept queue is full drops new SYNs (Linux), so a
 * connect to it hangs as one to a black-holed host does. The two-host version of this test is
 * {@code tofu.netns.BlackHoleTest}.
 */
class ConnectTimeoutTest {
    private static final Duration LIMIT = Duration.ofMillis(300);

    @Test
    void defaultIsThirtySecondsAndZeroMeansTheOperatingSystems() {
        assertThat(Options.DEFAULT.connectTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(Options.DEFAULT.withConnectTimeout(Duration.ZERO).connectTimeout()).isZero();
    }

    @Test
    void aConnectThatHangsFailsAtTheLimitAndOnlyWithZeroWaitsForTheKernel() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"),
                "a full accept queue drops SYNs only on Linux");
        try (FullBacklog hole = FullBacklog.open();
                Reactor limited = Reactor.create(Options.DEFAULT.withConnectTimeout(LIMIT));
                Reactor unlimited = Reactor.create(Options.DEFAULT.withConnectTimeout(Duration.ZERO))) {
            ChannelGroup kernelLimited = unlimited.ampe().create();
            Message waiting = hello(unlimited.ampe(), hole.address());
            kernelLimited.post(waiting);

            Ampe ampe = limited.ampe();
            ChannelGroup group = ampe.create();
            long start = System.nanoTime();
            int channel = group.post(hello(ampe, hole.address())).channelNumber();
            Message behind = ampe.get(AllocationStrategy.ALWAYS);
            behind.bhdr().opCode(OpCode.REQUEST).channelNumber(channel);
            long behindId = group.post(behind).messageId();

            Message hello = Expect.report(group, OpCode.HELLO_REQUEST, AmpeStatus.CONNECT_FAILED);
            long waited = System.nanoTime() - start;
            assertThat(hello.thdrs().get("~reason")).isEqualTo("connect timed out after 300 ms");
            Message request = Expect.report(group, OpCode.REQUEST, AmpeStatus.CONNECT_FAILED);
            assertThat(request.bhdr().messageId()).isEqualTo(behindId);
            assertThat(request.thdrs().get("~reason")).isEqualTo("connect timed out after 300 ms");
            Message closed = Expect.closedSignal(group, channel, hello.bhdr().messageId());
            assertThat(closed.thdrs().get("~reason")).isEqualTo("CONNECT_FAILED: connect timed out after 300 ms");
            assertThat(waited).as("not before the limit").isGreaterThanOrEqualTo(LIMIT.toNanos());
            Expect.quiet(group);

            // The same hole, with the limit left to the kernel: still connecting (Linux retries SYNs for ~2 min).
            assertThat(kernelLimited.waitReceive(0)).as("no limit of ours with Duration.ZERO").isNull();
            assertThat(unlimited.stats().ioChannels()).isEqualTo(1);
        }
    }

    private static Message hello(Ampe ampe, Address address) {
        Message m = ampe.get(AllocationStrategy.ALWAYS);
        address.format(m);
        return m;
    }

    /**
     * A loopback listener that never accepts, with its accept queue filled: Linux drops further SYNs (no reset), so a
     * connect to it stays pending as long as the fillers stay.
     */
    private static final class FullBacklog implements AutoCloseable {
        private final ServerSocketChannel server;
        private final List<SocketChannel> fillers = new ArrayList<>();

        private FullBacklog(ServerSocketChannel server) {
            this.server = server;
        }

        static FullBacklog open() throws IOException {
            ServerSocketChannel server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress("127.0.0.1", 0), 1);
            FullBacklog hole = new FullBacklog(server);
            // A backlog of 1 queues 2 connections (Linux: full when more than the backlog wait); each filler must
            // complete, or the queue is already full.
            for (int i = 0; i < 2; i++) {
                hole.fillers.add(hole.connectFiller());
            }
            return hole;
        }

        private SocketChannel connectFiller() throws IOException {
            SocketChannel s = SocketChannel.open();
            s.configureBlocking(false);
            if (!s.connect(server.getLocalAddress())) {
                try (Selector selector = Selector.open()) {
                    s.register(selector, SelectionKey.OP_CONNECT);
                    assertThat(selector.select(Peers.WAIT_NANOS / 1_000_000)).as("filler connected").isPositive();
                }
                assertThat(s.finishConnect()).isTrue();
            }
            return s;
        }

        Address address() throws IOException {
            return Address.tcpClient("127.0.0.1", ((InetSocketAddress) server.getLocalAddress()).getPort());
        }

        @Override
        public void close() throws IOException {
            for (SocketChannel s : fillers) {
                s.close();
            }
            server.close();
        }
    }
}
