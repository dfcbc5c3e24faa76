package tofu.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;
import tofu.Origin;
import tofu.Reactor;
import tofu.internal.CodecProbe;
import tofu.support.Engines;
import tofu.support.Endpoints;
import tofu.support.EngineTest;
import tofu.support.Expect;
import tofu.support.Peers;
import tofu.support.Transport;

/**
 * Faults injected at the worst moments: a peer engine killed mid-stream, a connection reset while tofu is writing a
 * large stream, a consumer that stops reading (memory must stay bounded with POOL_ONLY senders), a listener closed
 * while clients connect, and {@code Reactor.close()} under heavy traffic. Each must end every channel with a known
 * fate, cost nothing to the rest, and leave no thread behind.
 */
class FaultInjectionTest extends EngineTest {
    @ParameterizedTest
    @EnumSource(Transport.class)
    void peerEngineKilledMidStream(Transport transport) throws Exception {
        Ledger ledger = new Ledger();
        LedgerApp server = new LedgerApp("server", engines.start(), ledger, false);
        LedgerApp client = new LedgerApp("client", engines.start(), ledger, true);
        ChannelGroup serverGroup = server.ampe.create();
        Address address = Peers.listen(server.ampe, serverGroup, transport.listenAddress(dir));
        server.serve(serverGroup);
        ChannelGroup clientGroup = client.ampe.create();
        client.serve(clientGroup);
        Ledger.Link link = client.connect(clientGroup, serverGroup, address);
        Await.until("handshake", () -> link.serverChannel != 0 && ledger.pending() == 0, ledger::links);

        Background up = stream(client, link, 5000);
        Background down = stream(server, link, 5000);
        try {
            Await.until("traffic flowing both ways", () -> ledger.deliveredCount() > 400, ledger::deliveredCount);
            server.kill();
            Await.until("client channel closed", () -> ledger.isClosed(clientGroup, link.clientChannel),
                    ledger::links);
        } finally {
            up.close();
            down.close();
        }
        client.fence(dir);
        Ledger.Report report = ledger.verify();
        System.out.println("[peerEngineKilledMidStream." + transport + "] " + report);
        assertThat(report.violations()).as("%s", report).isEmpty();
        assertThat(report.returnedByStatus().keySet()).as("client's unsent messages come back with the reason")
                .isSubsetOf(AmpeStatus.PEER_DISCONNECTED, AmpeStatus.CHANNEL_CLOSED, AmpeStatus.UDS_PATH_NOT_FOUND);

        // The surviving engine serves new connections as before.
        ServerApp other = ServerApp.start(engines.start(), transport.listenAddress(dir));
        GoodClient.connect(client.reactor, other.address).roundTrips(20, 512);
        other.close();
        client.close();
    }

    /** Posts up to {@code count} tagged SIGNALs from {@code app}'s side of {@code link} until a post is refused. */
    private static Background stream(LedgerApp app, Ledger.Link link, int count) {
        AtomicInteger sent = new AtomicInteger();
        return Background.run(app.name + "-stream", () -> {
            if (sent.get() >= count || !app.post(link, OpCode.SIGNAL, 2048, AllocationStrategy.ALWAYS)) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // done: idle until closed
                return;
            }
            sent.incrementAndGet();
        });
    }

    @ParameterizedTest
    @EnumSource(names = {"TCP", "UDS"}) // a plaintext raw reader; a TLS peer's reset: tofu.tls.CloseNotifyTest
    void connectionResetWhileWritingALargeStream(Transport transport) throws Exception {
        ServerApp server = ServerApp.start(engines.start(), transport.listenAddress(dir));
        GoodClient good = GoodClient.connect(engines.start(), server.address);
        int channel;
        List<Long> received = new ArrayList<>();
        try (HostilePeer reader = HostilePeer.connect(server.address)) {
            reader.send(Frames.hello(server.address, "reader"));
            channel = server.helloFrom("reader").channel();
            for (long tag = 1; tag <= 400; tag++) {
                server.group.post(Tags.tag(server.message(channel, OpCode.SIGNAL), tag, 32_000));
            }
            ByteBuffer got = ByteBuffer.allocate(1 << 20);
            reader.read(got, Peers.WAIT_NANOS);
            assertThat(got.position()).as("the reader got the first MiB").isEqualTo(got.capacity());
            received.addAll(frameTags(got.flip()));
            reader.reset(); // SO_LINGER 0: a reset in the middle of the stream (UDS: an abrupt close)
        }
        ServerApp.Heard closed = server.await(h -> h.channel() == channel && h.closedSignal(), Peers.WAIT_NANOS);
        assertThat(closed).as("CHANNEL_CLOSED for the reset channel").isNotNull();
        List<ServerApp.Heard> returned = server.heard().stream()
                .filter(h -> h.channel() == channel && h.origin() == Origin.ENGINE && h.tag() != Tags.NONE)
                .collect(Collectors.toList());
        assertThat(returned).as("the unsent rest of the stream comes back").isNotEmpty();
        // Queued on the channel when it ended: the reset's reason. A post still on its way to the engine thread when
        // the reset ended the channel (posting is asynchronous; on a loaded machine the engine may route the last
        // posts only after it saw the reset) comes back as posted to a closed channel: CHANNEL_CLOSED, and only
        // after every message that was queued.
        List<AmpeStatus> statuses = returned.stream().map(ServerApp.Heard::status).collect(Collectors.toList());
        int queuedWhenReset = statuses.lastIndexOf(AmpeStatus.PEER_DISCONNECTED) + 1;
        assertThat(statuses.subList(0, queuedWhenReset)).as("queued when the reset came")
                .allSatisfy(s -> assertThat(s).isEqualTo(AmpeStatus.PEER_DISCONNECTED));
        assertThat(statuses.subList(queuedWhenReset, statuses.size())).as("posted but not yet routed")
                .allSatisfy(s -> assertThat(s).isEqualTo(AmpeStatus.CHANNEL_CLOSED));
        List<Long> returnedTags = returned.stream().map(ServerApp.Heard::tag).collect(Collectors.toList());
        long firstReturned = returnedTags.get(0);
        assertThat(received).as("the reader got a prefix, in order").isEqualTo(range(1, received.size()));
        assertThat(returnedTags).as("returned: the suffix, in order").isEqualTo(range(firstReturned, 400));
        long inFlight = firstReturned - 1 - received.size();
        System.out.printf("[connectionReset.%s] read by peer %d, lost in flight %d, returned %d%n", transport,
                received.size(), inFlight, returnedTags.size());
        assertThat(inFlight).as("written but unread when the connection was reset (at-most-once)").isNotNegative();
        good.roundTrips(20, 512);
        server.close();
    }

    private static List<Long> range(long from, long to) {
        List<Long> r = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            r.add(i);
        }
        return r;
    }

    /** Tags of the complete frames in {@code bytes}, decoded as a receiver would. */
    private static List<Long> frameTags(ByteBuffer bytes) {
        List<Long> tags = new ArrayList<>();
        CodecProbe.Decoder decoder = new CodecProbe.Decoder();
        Message m;
        while ((m = decoder.next(bytes, Message::create)) != null) {
            if (m.bhdr().opCode() == OpCode.SIGNAL) {
                tags.add(Tags.of(m));
            }
        }
        return tags;
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void consumerThatStopsReadingCostsBoundedMemory(Transport transport) throws Exception {
        Options pool = new Options(16, 16);
        Reactor senderEngine = engines.start(pool);
        Reactor receiverEngine = engines.start(pool);
        Ampe sender = senderEngine.ampe();
        ChannelGroup receiverGroup = receiverEngine.ampe().create();
        ChannelGroup senderGroup = sender.create();
        Peers.Link link = Peers.link(sender, senderGroup, receiverGroup,
                Peers.listen(receiverEngine.ampe(), receiverGroup, transport.listenAddress(dir)));
        long baseline = ProcessProbe.heapAfterGc();

        int total = 3000;
        int bodySize = 32_000;
        AtomicInteger posted = new AtomicInteger();
        AtomicLong blockedSince = new AtomicLong();
        Thread producer = new Thread(() -> {
            for (int seq = 0; seq < total; seq++) {
                Message m;
                while ((m = sender.get(AllocationStrategy.POOL_ONLY)) == null) {
                    blockedSince.compareAndSet(0, System.nanoTime());
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // throttled by the pool, as designed
                }
                blockedSince.set(0);
                m.bhdr().opCode(OpCode.SIGNAL).channelNumber(link.clientChannel());
                senderGroup.post(Tags.tag(m, seq, bodySize));
                posted.incrementAndGet();
            }
        }, "pool-only-producer");
        producer.setDaemon(true);
        producer.start();

        // The consumer does not call waitReceive at all until the producer has been held back for half a second.
        Await.until("producer throttled by the stalled consumer", () -> {
            long since = blockedSince.get();
            return since != 0 && System.nanoTime() - since > TimeUnit.MILLISECONDS.toNanos(500);
        }, posted::get);
        int postedWhileStalled = posted.get();
        long stalledHeap = ProcessProbe.heapAfterGc();
        assertThat(postedWhileStalled).as("the producer is stopped well before the end").isLessThan(total);

        int poolEmpty = 0;
        for (int seq = 0; seq < total; seq++) {
            Message m = Peers.receive(receiverGroup);
            while (Expect.isPoolEmpty(m)) {
                poolEmpty++;
                receiverEngine.ampe().put(m);
                m = Peers.receive(receiverGroup);
            }
            assertThat(Tags.of(m)).as("in order, nothing lost").isEqualTo(seq);
            receiverEngine.ampe().put(m);
        }
        producer.join(TimeUnit.NANOSECONDS.toMillis(Peers.WAIT_NANOS));
        long growth = stalledHeap - baseline;
        System.out.printf("[stalledConsumer.%s] heap after GC: baseline %s, while stalled %s (growth %s); posted "
                        + "while stalled %d of %d x %d B; POOL_EMPTY signals %d%n", transport,
                ProcessProbe.mib(baseline), ProcessProbe.mib(stalledHeap), ProcessProbe.mib(growth), postedWhileStalled,
                total, bodySize, poolEmpty);
        assertThat(growth).as("retained heap while a consumer stalls is bounded by the pools, not the traffic")
                .isLessThan(32L << 20);
        assertThat(poolEmpty).as("starvation reported, at most once per second").isBetween(1, 30);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void listenerClosedWhileClientsConnect(Transport transport) throws Exception {
        ServerApp server = ServerApp.start(engines.start(), transport.listenAddress(dir));
        Ampe clientAmpe = engines.start().ampe();
        ChannelGroup clients = clientAmpe.create();
        int attempts = 200;
        Set<Integer> channels = ConcurrentHashMap.newKeySet();
        Background connector = Background.run("connector", () -> {
            if (channels.size() < attempts) {
                Message hello = clientAmpe.get(AllocationStrategy.ALWAYS);
                server.address.format(hello);
                channels.add(clients.post(hello).channelNumber());
            } else {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        });
        assertThat(server.await(h -> server.heard().stream().filter(x -> x.op() == OpCode.HELLO_REQUEST).count() >= 20,
                Peers.WAIT_NANOS)).as("some clients got in").isNotNull();
        server.group.post(server.message(server.listener.channel(), OpCode.BYE_SIGNAL));
        ServerApp.Heard listenerClosed = server.await(h -> h.channel() == server.listener.channel()
                && h.closedSignal(), Peers.WAIT_NANOS);
        assertThat(listenerClosed).isNotNull();
        assertThat(listenerClosed.messageId()).isEqualTo(server.listener.welcomeId());
        Endpoints.assertClosed(server.listener.bound());
        Await.until("all connection attempts posted", () -> channels.size() >= attempts, channels::size);
        connector.close();

        // Every attempt resolves: accepted (HelloResponse) or failed (CHANNEL_CLOSED, maybe after the returned hello).
        Set<Integer> accepted = new HashSet<>();
        Set<Integer> failed = new HashSet<>();
        while (accepted.size() + failed.size() < channels.size()) {
            Message m = Expect.next(clients);
            int ch = m.bhdr().channelNumber();
            if (m.isFromApplication() && m.bhdr().opCode() == OpCode.HELLO_RESPONSE) {
                accepted.add(ch);
            } else if (Expect.isClosedSignal(m)) {
                assertThat(accepted).as("a closed channel was not accepted before").doesNotContain(ch);
                failed.add(ch);
            } else {
                assertThat(m.isFromEngine()).as("only the returned HelloRequest of a failed connect: %s", m).isTrue();
                assertThat(m.bhdr().opCode()).isEqualTo(OpCode.HELLO_REQUEST);
            }
            clientAmpe.put(m);
        }
        System.out.printf("[listenerClosed.%s] %d attempts: %d accepted, %d failed%n", transport, channels.size(),
                accepted.size(), failed.size());
        assertThat(accepted).as("accepted before the close").hasSizeGreaterThanOrEqualTo(20);
        for (int ch : accepted) {
            Message req = clientAmpe.get(AllocationStrategy.ALWAYS);
            req.bhdr().opCode(OpCode.REQUEST).channelNumber(ch);
            clients.post(Tags.tag(req, ch, 64));
        }
        for (int i = 0; i < accepted.size(); i++) {
            Message r = Expect.next(clients);
            assertThat(r.bhdr().opCode()).as("accepted connections outlive their listener: %s", r)
                    .isEqualTo(OpCode.RESPONSE);
            clientAmpe.put(r);
        }
        server.close();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void reactorCloseUnderHeavyTrafficIsBoundedAndLeavesNoThread(Transport transport) throws Exception {
        Set<Thread> before = ProcessProbe.tofuThreads();
        Ledger ledger = new Ledger();
        Options tls = Engines.withTestTls(Options.DEFAULT);
        LedgerApp server = new LedgerApp("server", Reactor.create(tls), ledger, false);
        LedgerApp client = new LedgerApp("client", Reactor.create(tls), ledger, true);
        ChannelGroup serverGroup = server.ampe.create();
        Address address = Peers.listen(server.ampe, serverGroup, transport.listenAddress(dir));
        server.serve(serverGroup);
        ChannelGroup clientGroup = client.ampe.create();
        client.serve(clientGroup);
        List<Ledger.Link> links = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            links.add(client.connect(clientGroup, serverGroup, address));
        }
        Await.until("handshakes", () -> links.stream().allMatch(l -> l.serverChannel != 0), ledger::links);
        List<Background> streams = new ArrayList<>();
        for (Ledger.Link l : links) {
            streams.add(stream(client, l, 100_000));
            streams.add(stream(server, l, 100_000));
        }
        Await.until("heavy traffic", () -> ledger.deliveredCount() > 3000, ledger::deliveredCount);

        long t0 = System.nanoTime();
        server.kill();
        long serverClose = System.nanoTime() - t0;
        t0 = System.nanoTime();
        client.kill();
        long clientClose = System.nanoTime() - t0;
        streams.forEach(Background::close);
        server.close();
        client.close();
        System.out.printf("[reactorClose.%s] close under traffic: server %d ms, client %d ms; %s%n", transport,
                TimeUnit.NANOSECONDS.toMillis(serverClose), TimeUnit.NANOSECONDS.toMillis(clientClose),
                ledger.verify());
        assertThat(serverClose).as("server close is bounded").isLessThan(TimeUnit.SECONDS.toNanos(5));
        assertThat(clientClose).as("client close is bounded").isLessThan(TimeUnit.SECONDS.toNanos(5));
        assertThat(ledger.verify().violations()).isEmpty();
        Await.until("no tofu thread left", () -> {
            Set<Thread> now = ProcessProbe.tofuThreads();
            now.removeAll(before);
            return now.isEmpty();
        }, ProcessProbe::tofuThreads);
        assertThatPostAfterCloseFails(client.ampe, clientGroup);
    }

    private static void assertThatPostAfterCloseFails(Ampe ampe, ChannelGroup group) {
        try {
            ampe.get(AllocationStrategy.ALWAYS);
            throw new AssertionError("get after close must throw SHUTDOWN_STARTED");
        } catch (AmpeException e) {
            assertThat(e.status()).isEqualTo(AmpeStatus.SHUTDOWN_STARTED);
        }
        try {
            group.waitReceive(0);
            throw new AssertionError("waitReceive after close must throw SHUTDOWN_STARTED");
        } catch (AmpeException e) {
            assertThat(e.status()).isEqualTo(AmpeStatus.SHUTDOWN_STARTED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
