package tofu.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.AmpeStatus;
import tofu.ChannelGroup;
import tofu.EngineStats;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;
import tofu.Reactor;
import tofu.TcpClientAddress;
import tofu.UdsClientAddress;
import tofu.micrometer.Links.Link;
import tofu.micrometer.Links.Transport;

/** The binder against a real engine: every meter reads what Reactor.stats() says, channels come and go. */
class TofuMetricsTest {
    private static final int SIGNALS = 5;
    private static final String BODY = "0123456789";

    @TempDir
    Path dir;

    private final MeterRegistry registry = new SimpleMeterRegistry();

    @ParameterizedTest
    @EnumSource(Transport.class)
    void engineMetersReadTheEngineFigures(Transport transport) throws Exception {
        try (Reactor reactor = Reactor.create()) {
            TofuMetrics.builder(reactor).tags(Tags.of("engine", "test")).maxSnapshotAge(Duration.ZERO).build()
                    .bindTo(registry);
            Exchange exchange = exchange(reactor, transport);

            // The traffic is over, but the engine keeps working its pool (receive buffers, give-backs): figures
            // that move on their own are checked between a snapshot taken before and one taken after the read.
            EngineStats before = reactor.stats();
            double misses = count("tofu.pool.misses");
            double pooled = gauge("tofu.pool.messages");
            EngineStats after = reactor.stats();
            assertThat(misses).isBetween((double) before.poolMisses(), (double) after.poolMisses());
            assertThat(pooled).isBetween(0.0, (double) Options.DEFAULT.maxPoolMsgs());
            // hello and the n signals into the server, the hello response into the client
            assertThat(count("tofu.messages.received")).isEqualTo(SIGNALS + 2).isEqualTo(after.messagesIn());
            assertThat(count("tofu.messages.sent")).isEqualTo(SIGNALS + 2).isEqualTo(after.messagesOut());
            assertThat(count("tofu.bytes.received")).isEqualTo(after.bytesIn()).isGreaterThan(SIGNALS * 26);
            assertThat(count("tofu.bytes.sent")).isEqualTo(after.bytesOut());
            assertThat(gauge("tofu.groups")).isEqualTo(2);
            assertThat(registry.get("tofu.channels").tag("kind", "listener").gauge().value()).isEqualTo(1);
            assertThat(registry.get("tofu.channels").tag("kind", "io").gauge().value()).isEqualTo(2);
            assertThat(gauge("tofu.handshakes.pending")).isZero();
            assertThat(registry.get("tofu.uptime").timeGauge().value(TimeUnit.NANOSECONDS)).isPositive();
            assertThat(registry.getMeters()).as("every meter carries the binder's tags")
                    .allSatisfy(m -> assertThat(m.getId().getTag("engine")).isEqualTo("test"));
            exchange.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void channelMetersComeAndGoWithTheirChannels(Transport transport) throws Exception {
        try (Reactor reactor = Reactor.create()) {
            TofuMetrics.builder(reactor).maxSnapshotAge(Duration.ZERO).build().bindTo(registry);
            Exchange exchange = exchange(reactor, transport);
            String server = Integer.toString(exchange.link.serverChannel());
            String client = Integer.toString(exchange.link.clientChannel());

            gauge("tofu.groups");   // a read takes a snapshot, which brings the channel meters in line
            assertThat(registry.get("tofu.channel.messages.received").tag("channel", server).tag("kind", "accepted")
                    .tag("address", exchange.address.value()).functionCounter().count()).isEqualTo(SIGNALS + 1);
            assertThat(registry.get("tofu.channel.messages.sent").tag("channel", client).tag("kind", "client")
                    .functionCounter().count()).isEqualTo(SIGNALS + 1);
            assertThat(registry.get("tofu.channel.bytes.received").tag("channel", server).functionCounter().count())
                    .isEqualTo(registry.get("tofu.channel.bytes.sent").tag("channel", client).functionCounter()
                            .count());
            assertThat(registry.get("tofu.channel.send.queue").tag("channel", client).gauge().value()).isZero();
            assertThat(registry.find("tofu.channel.messages.received").tag("kind", "listener").functionCounter())
                    .isNotNull();

            exchange.abortClientChannel();
            gauge("tofu.groups");
            assertThat(registry.find("tofu.channel.messages.received").tag("channel", server).meters())
                    .as("meters of the closed accepted channel").isEmpty();
            assertThat(registry.find("tofu.channel.send.queue").tag("channel", client).meters())
                    .as("meters of the closed client channel").isEmpty();
            assertThat(registry.find("tofu.channel.messages.received").tag("kind", "listener").meters())
                    .as("the listener is still open").hasSize(1);
            assertThat(registry.get("tofu.messages.returned").tag("status", "CHANNEL_CLOSED").functionCounter()
                    .count()).as("the ByeSignal came back with CHANNEL_CLOSED").isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void pendingHandshakesCountSilentConnections(Transport transport) throws Exception {
        try (Reactor reactor = Reactor.create()) {
            TofuMetrics.builder(reactor).maxSnapshotAge(Duration.ZERO).build().bindTo(registry);
            Ampe ampe = reactor.ampe();
            ChannelGroup server = ampe.create();
            Address address = Links.listen(ampe, server, transport.listenAddress(dir));
            try (SocketChannel silent = SocketChannel.open(socketAddress(address))) {
                awaitValue(() -> gauge("tofu.handshakes.pending"), 1);
                assertThat(silent.isConnected()).isTrue();
            }
            awaitValue(() -> gauge("tofu.handshakes.pending"), 0);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void limitMetersCountRefusedPosts(Transport transport) throws Exception {
        int limit = 8;
        int posted = 2_000;     // 64 MB: far beyond what the kernel buffers of a peer that never reads can take
        Path socketFile = dir.resolve("raw.sock");
        try (Reactor reactor = Reactor.create(Options.DEFAULT.withMaxQueuedPerChannel(limit));
             ServerSocketChannel silentServer = transport == Transport.TCP
                     ? ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))
                     : ServerSocketChannel.open(StandardProtocolFamily.UNIX)
                             .bind(UnixDomainSocketAddress.of(socketFile))) {
            TofuMetrics.builder(reactor).maxSnapshotAge(Duration.ZERO).build().bindTo(registry);
            Ampe ampe = reactor.ampe();
            ChannelGroup client = ampe.create();
            Message hello = ampe.get(AllocationStrategy.ALWAYS);
            (transport == Transport.TCP
                    ? Address.tcpClient("127.0.0.1", ((InetSocketAddress) silentServer.getLocalAddress()).getPort())
                    : Address.udsClient(socketFile.toString())).format(hello);
            int channel = client.post(hello).channelNumber();
            try (SocketChannel neverReads = silentServer.accept()) {
                for (int i = 0; i < posted; i++) {
                    client.post(Links.message(ampe, channel, OpCode.REQUEST, "x".repeat(32 * 1024)));
                }
                long refused = 0;
                Message m;
                while ((m = client.waitReceive(5 * ChannelGroup.SEC_TIMEOUT)) != null
                        && m.bhdr().status() == AmpeStatus.SEND_FAILED) {
                    refused++;
                    ampe.put(m);
                    if (refused == reactor.stats().limits().sendQueueRefusals()) {
                        break;
                    }
                }
                assertThat(refused).as("posts refused by the full queue").isGreaterThan(posted / 2);
                // the engine may still be refusing the last posts: the meters lie between what was received and
                // a snapshot taken after reading them
                double refusals = count("tofu.limits.send.refusals");
                double returned = registry.get("tofu.messages.returned").tag("status", "SEND_FAILED")
                        .functionCounter().count();
                EngineStats after = reactor.stats();
                assertThat(refusals).isBetween((double) refused, (double) after.limits().sendQueueRefusals());
                assertThat(returned).isBetween((double) refused,
                        (double) after.returnedByStatus().get(AmpeStatus.SEND_FAILED));
                assertThat(count("tofu.limits.frame.timeouts")).isZero();
                assertThat(registry.get("tofu.channel.send.queue").tag("channel", Integer.toString(channel)).gauge()
                        .value()).as("the queue stays at its limit").isBetween(1.0, (double) limit);
                assertThat(neverReads.isConnected()).isTrue();
            }
        }
    }

    @Test
    void snapshotsServeReadsUntilTheyAge() throws Exception {
        try (Reactor reactor = Reactor.create()) {
            TofuMetrics.builder(reactor).maxSnapshotAge(Duration.ofHours(1)).build().bindTo(registry);
            double before = count("tofu.messages.received");
            Exchange exchange = exchange(reactor, Transport.TCP);
            assertThat(reactor.stats().messagesIn()).isEqualTo(SIGNALS + 2);
            assertThat(count("tofu.messages.received")).as("the snapshot taken at bind time still serves")
                    .isEqualTo(before).isZero();
            exchange.close();
        }
    }

    @Test
    void channelMetersCanBeTurnedOff() throws Exception {
        try (Reactor reactor = Reactor.create()) {
            TofuMetrics.builder(reactor).channelMeters(false).maxSnapshotAge(Duration.ZERO).build().bindTo(registry);
            Exchange exchange = exchange(reactor, Transport.TCP);
            assertThat(gauge("tofu.groups")).isEqualTo(2);
            assertThat(registry.getMeters()).extracting(m -> m.getId().getName())
                    .noneMatch(name -> name.startsWith("tofu.channel."))
                    .contains("tofu.messages.received");
            exchange.close();
        }
    }

    @Test
    void severalRegistriesGetTheSameMeters() throws Exception {
        MeterRegistry second = new SimpleMeterRegistry();
        try (Reactor reactor = Reactor.create()) {
            TofuMetrics metrics = TofuMetrics.builder(reactor).maxSnapshotAge(Duration.ZERO).build();
            metrics.bindTo(registry);
            metrics.bindTo(second);
            Exchange exchange = exchange(reactor, Transport.UDS);
            assertThat(second.get("tofu.messages.received").functionCounter().count()).isEqualTo(SIGNALS + 2);
            assertThat(second.getMeters()).extracting(Meter::getId)
                    .containsExactlyInAnyOrderElementsOf(registry.getMeters().stream().map(Meter::getId).toList());
            exchange.close();
        }
    }

    @Test
    void aClosedEngineReadsNaNAndKeepsItsTotals() throws Exception {
        Reactor reactor = Reactor.create();
        TofuMetrics.builder(reactor).maxSnapshotAge(Duration.ZERO).build().bindTo(registry);
        exchange(reactor, Transport.TCP);
        assertThat(count("tofu.messages.received")).isEqualTo(SIGNALS + 2);
        reactor.close();

        assertThat(gauge("tofu.groups")).isNaN();
        assertThat(registry.get("tofu.uptime").timeGauge().value()).isNaN();
        assertThat(count("tofu.messages.received")).as("totals as last seen").isEqualTo(SIGNALS + 2);
        assertThat(registry.getMeters()).extracting(m -> m.getId().getName())
                .noneMatch(name -> name.startsWith("tofu.channel."));
    }

    @Test
    void closeRemovesEveryMeter() throws Exception {
        try (Reactor reactor = Reactor.create()) {
            TofuMetrics metrics = TofuMetrics.builder(reactor).maxSnapshotAge(Duration.ZERO).build();
            metrics.bindTo(registry);
            Exchange exchange = exchange(reactor, Transport.TCP);
            gauge("tofu.groups");
            assertThat(registry.getMeters()).hasSizeGreaterThan(15);

            metrics.close();
            metrics.close();
            assertThat(registry.getMeters()).isEmpty();
            assertThatThrownBy(() -> metrics.bindTo(registry)).isInstanceOf(IllegalStateException.class);
            exchange.close();
        }
    }

    @Test
    void builderRejectsANegativeSnapshotAge() {
        try (Reactor reactor = Reactor.create()) {
            assertThatThrownBy(() -> TofuMetrics.builder(reactor).maxSnapshotAge(Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-0.001");
            assertThatThrownBy(() -> TofuMetrics.builder(null)).isInstanceOf(NullPointerException.class);
        }
    }

    // ---- helpers ----

    /** A server and a client group of one engine, linked, with SIGNALS signals sent client → server. */
    private final class Exchange {
        final Ampe ampe;
        final ChannelGroup serverGroup;
        final ChannelGroup clientGroup;
        final Address address;
        final Link link;

        Exchange(Reactor reactor, Transport transport) throws InterruptedException {
            ampe = reactor.ampe();
            serverGroup = ampe.create();
            clientGroup = ampe.create();
            address = Links.listen(ampe, serverGroup, transport.listenAddress(dir));
            link = Links.connect(ampe, clientGroup, serverGroup, address);
            for (int i = 0; i < SIGNALS; i++) {
                clientGroup.post(Links.message(ampe, link.clientChannel(), OpCode.SIGNAL, BODY));
            }
            for (int i = 0; i < SIGNALS; i++) {
                Message m = Links.receive(serverGroup);
                assertThat(m.body().asString()).isEqualTo(BODY);
                ampe.put(m);
            }
        }

        /** ByeSignal on the client channel: the ByeSignal comes back, then both sides' CHANNEL_CLOSED signals. */
        void abortClientChannel() throws InterruptedException {
            clientGroup.post(Links.message(ampe, link.clientChannel(), OpCode.BYE_SIGNAL, null));
            Message back = Links.receive(clientGroup);
            assertThat(back.bhdr().status()).isEqualTo(AmpeStatus.CHANNEL_CLOSED);
            ampe.put(back);
            expectClosedSignal(clientGroup);
            expectClosedSignal(serverGroup);
        }

        private void expectClosedSignal(ChannelGroup group) throws InterruptedException {
            Message closed = Links.receive(group);
            assertThat(closed.isFromEngine()).isTrue();
            assertThat(closed.bhdr().opCode()).isEqualTo(OpCode.SIGNAL);
            assertThat(closed.bhdr().status()).isEqualTo(AmpeStatus.CHANNEL_CLOSED);
            ampe.put(closed);
        }

        void close() {
            clientGroup.close();
            serverGroup.close();
        }
    }

    private Exchange exchange(Reactor reactor, Transport transport) throws InterruptedException {
        return new Exchange(reactor, transport);
    }

    private double count(String name) {
        return registry.get(name).functionCounter().count();
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    private static java.net.SocketAddress socketAddress(Address address) {
        if (address instanceof TcpClientAddress tcp) {
            return new InetSocketAddress(tcp.host(), tcp.port());
        }
        return UnixDomainSocketAddress.of(((UdsClientAddress) address).path());
    }

    /** Waits up to 5 s for a figure the engine updates on its own thread to reach {@code expected}. */
    private static void awaitValue(DoubleSupplier figure, double expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        double last = figure.getAsDouble();
        while (last != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
            last = figure.getAsDouble();
        }
        assertThat(last).as("figure after waiting up to 5 s").isEqualTo(expected);
    }
}
