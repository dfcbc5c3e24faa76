package tofu.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import tofu.BinaryHeader;
import tofu.ChannelStats;
import tofu.EngineStats;
import tofu.OpCode;
import tofu.Options;
import tofu.Reactor;
import tofu.support.Engines;
import tofu.support.Peers;
import tofu.support.Transport;

/**
 * Issue 11's stalled-frame attacks, from raw sockets against an in-process server engine with {@link Options#DEFAULT}
 * (pool 16/64), each beside a good client doing a round trip every 20 ms that must complete every one within
 * {@link PacedRoundTrips#BOUND_NANOS}; a client that arrives during the attack must be answered too. Each attacker
 * first completes a valid HelloRequest, so its channel is open, then:
 * <ul>
 *   <li>sends only the 16-byte header of a REQUEST that announces a body, and stalls (20 and 200 connections);</li>
 *   <li>sends a REQUEST announcing 65535 + 65535 bytes and stalls a few KiB before its end (24 connections);</li>
 *   <li>trickles a REQUEST one byte per tick (100 connections, slowloris).</li>
 * </ul>
 * The engine of the issue took a pool message for each frame whose header was complete and held it until the frame
 * was, so a few more stalled frames than the pool holds froze every channel. Here the engine's figures must show the
 * good channel served and every hostile channel paused (nothing delivered after its hello) or closed; when the
 * attackers leave, their channels close and the engine returns to where it started: no channel left, every pool
 * message home, the same open descriptors, and retained heap within what {@code Options} allow the pool to keep.
 *
 * <p>The slowloris tick is 250 ms, not the one second: the freeze comes when the attackers' headers are
 * complete (16 bytes), not at a wall-clock time, so four bytes a second reach that point in 4 s instead of 16 s, and
 * the test watches until each attacker is 16 bytes past it. The frame itself (1016 bytes) would take over four
 * minutes.
 */
class StalledFrameTest {
    /** Retained-heap slack beside what the pool may keep (see {@link #poolMayKeepBytes}): test bookkeeping, JIT. */
    private static final long HEAP_SLACK = 4L << 20;
    private static final int FD_TOLERANCE = 3;
    /** Good round trips watched while the attack is in place. */
    private static final int WATCHED_ROUND_TRIPS = 100;
    private static final int BIG_CLAIMS = 24;
    private static final int BIG_CLAIM_SHORT_BY = 4096;
    private static final int SLOWLORIS = 100;
    private static final long SLOWLORIS_TICK_MILLIS = 250;

    @TempDir
    Path dir;

    private final Engines engines = new Engines();
    private final List<HostilePeer> attackers = new ArrayList<>();
    private ServerApp server;
    private Reactor clientEngine;
    private GoodClient good;

    @AfterEach
    void tearDown() {
        attackers.forEach(HostilePeer::close);
        if (server != null) {
            server.close();
            assertThat(server.failure()).as("server application thread").isNull();
        }
        engines.close();
    }

    static Stream<Arguments> stalledCounts() {
        // raw plaintext peers: TCP and UDS (TLS has its own hostile tests in tofu.tls)
        return Stream.of(Transport.TCP, Transport.UDS).flatMap(t -> Stream.of(Arguments.of(t, 20), Arguments.of(t, 200)));
    }

    @ParameterizedTest(name = "{0}, {1} connections")
    @MethodSource("stalledCounts")
    void connectionsStalledAfterARequestHeaderCostOnlyTheirOwnChannels(Transport transport, int connections)
            throws Exception {
        start(transport);
        Baseline before = Baseline.take(server.reactor);
        List<Integer> channels = openAttackers("stalled", connections);
        byte[] header = Frames.requestHeader(0, 1000);
        for (HostilePeer p : attackers) {
            p.send(header);
        }
        try (PacedRoundTrips traffic = PacedRoundTrips.start(good)) {
            newClientIsServed(traffic);
            traffic.keepFor(WATCHED_ROUND_TRIPS);
        }
        assertHostileChannelsPausedOrClosed(channels);
        attackersLeave(channels, before);
    }

    @ParameterizedTest
    @EnumSource(names = {"TCP", "UDS"}) // raw plaintext peers; TLS has its own: tofu.tls
    void connectionsStalledNearTheEndOfMaximalFramesCostOnlyTheirOwnChannels(Transport transport) throws Exception {
        start(transport);
        Baseline before = Baseline.take(server.reactor);
        List<Integer> channels = openAttackers("big-claim", BIG_CLAIMS);
        byte[] frame = Frames.request(0xFFFF, 0xFFFF);
        byte[] mostOfIt = Arrays.copyOf(frame, frame.length - BIG_CLAIM_SHORT_BY);
        try (PacedRoundTrips traffic = PacedRoundTrips.start(good)) {
            for (HostilePeer p : attackers) {
                p.send(mostOfIt); // the socket buffers hold it all if the server does not read
            }
            newClientIsServed(traffic);
            traffic.keepFor(WATCHED_ROUND_TRIPS);
        }
        assertHostileChannelsPausedOrClosed(channels);
        attackersLeave(channels, before);
    }

    @ParameterizedTest
    @EnumSource(names = {"TCP", "UDS"}) // raw plaintext peers; TLS has its own: tofu.tls
    void slowlorisAfterHelloCostsOnlyItsOwnChannels(Transport transport) throws Exception {
        start(transport);
        Baseline before = Baseline.take(server.reactor);
        List<Integer> channels = openAttackers("slowloris", SLOWLORIS);
        int pastHeader = 2 * BinaryHeader.SIZE;
        try (PacedRoundTrips traffic = PacedRoundTrips.start(good);
             Trickler trickle = Trickler.start(attackers, Frames.request(0, 1000), SLOWLORIS_TICK_MILLIS)) {
            traffic.keepUntil("slowloris peers " + BinaryHeader.SIZE + " bytes past their headers",
                    () -> trickle.bytesSentEach() >= pastHeader);
            newClientIsServed(traffic);
            traffic.keepFor(WATCHED_ROUND_TRIPS / 4);
            System.out.println("[StalledFrameTest] slowloris " + transport + ": " + traffic.completed()
                    + " good round trips, slowest " + traffic.slowestMillis() + " ms");
        }
        assertHostileChannelsPausedOrClosed(channels);
        attackersLeave(channels, before);
    }

    private void start(Transport transport) throws InterruptedException {
        server = ServerApp.start(engines.start(Options.DEFAULT), transport.listenAddress(dir));
        clientEngine = engines.start();
        good = GoodClient.connect(clientEngine, server.address);
        good.roundTrips(20, 256); // warm: the baseline should not count first-use class loading
    }

    /**
     * Connects {@code n} raw attackers, each with a valid HelloRequest marked {@code who:<prefix>-<i>}, and waits until
     * the server application heard all of them; returns their server channel numbers.
     */
    private List<Integer> openAttackers(String prefix, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            HostilePeer p = HostilePeer.connect(server.address);
            attackers.add(p);
            p.send(Frames.hello(server.address, prefix + "-" + i));
        }
        List<Integer> channels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            channels.add(server.helloFrom(prefix + "-" + i).channel());
        }
        return channels;
    }

    /** A client that arrives in the middle of the attack is answered and served within the same bound. */
    private void newClientIsServed(PacedRoundTrips traffic) throws InterruptedException {
        GoodClient late = GoodClient.connect(clientEngine, server.address, "late", PacedRoundTrips.BOUND_NANOS);
        for (int i = 0; i < 10; i++) {
            late.timedRoundTrip(1024, PacedRoundTrips.BOUND_NANOS);
        }
        int lateChannel = server.helloFrom("late").channel();
        late.leave();
        assertThat(server.await(h -> h.channel() == lateChannel && h.closedSignal(), Peers.WAIT_NANOS))
                .as("the late client's channel closed after it left").isNotNull();
        assertThat(traffic.completed()).as("the good client is still being served").isPositive();
    }

    /**
     * The engine's own figures: the good channel received its requests, and every hostile channel is either closed or
     * open with nothing delivered after its HelloRequest (its frame is incomplete: paused, holding no message).
     */
    private void assertHostileChannelsPausedOrClosed(List<Integer> hostile) throws InterruptedException {
        EngineStats s = server.reactor.stats();
        Map<Integer, ChannelStats> open = s.channels().stream()
                .collect(Collectors.toMap(ChannelStats::channelNumber, Function.identity()));
        int goodChannel = server.helloFrom(GoodClient.NAME).channel();
        assertThat(open.get(goodChannel)).as("the good channel in %s", s).isNotNull();
        assertThat(open.get(goodChannel).messagesIn()).as("good channel served").isGreaterThan(WATCHED_ROUND_TRIPS);
        assertThat(open.get(goodChannel).readState()).as("good channel's read state")
                .isEqualTo(ChannelStats.ReadState.READING);
        for (int channel : hostile) {
            ChannelStats c = open.get(channel);
            if (c != null) {
                assertThat(c.messagesIn()).as("hostile channel %d delivered only its hello: %s", channel, c)
                        .isEqualTo(1);
            }
        }
        assertThat(server.heard()).as("no hostile frame reached the application").noneMatch(h ->
                hostile.contains(h.channel()) && h.op() == OpCode.REQUEST);
    }

    /**
     * The attackers close their sockets: each hostile channel ends with its CHANNEL_CLOSED signal, and the engine
     * returns to {@code before} — only the good channel open, no pending handshake, every pool message home, no
     * descriptor more, and the retained heap within what the pool may keep — and still serves the good client.
     */
    private void attackersLeave(List<Integer> hostile, Baseline before) throws InterruptedException {
        attackers.forEach(HostilePeer::close);
        attackers.clear();
        for (int channel : hostile) {
            assertThat(server.await(h -> h.channel() == channel && h.closedSignal(), Peers.WAIT_NANOS))
                    .as("CHANNEL_CLOSED for hostile channel %d", channel).isNotNull();
        }
        Reactor r = server.reactor;
        Await.until("only the good channel left, every pool message home", () -> {
            EngineStats s = r.stats();
            return s.ioChannels() == 1 && s.pendingHandshakes() == 0 && s.poolSize() >= before.pool;
        }, r::stats);
        Await.until("open descriptors back to " + before.fds + " ± " + FD_TOLERANCE,
                () -> Math.abs(ProcessProbe.openFds() - before.fds) <= FD_TOLERANCE, ProcessProbe::openFds);
        long heap = ProcessProbe.heapAfterGc();
        long allowed = before.heap + poolMayKeepBytes() + HEAP_SLACK;
        System.out.println("[StalledFrameTest] retained heap " + ProcessProbe.mib(before.heap) + " before, "
                + ProcessProbe.mib(heap) + " after the attackers left (allowed " + ProcessProbe.mib(allowed) + ")");
        assertThat(heap).as("retained heap after the attackers left").isLessThanOrEqualTo(allowed);
        good.roundTrips(20, 256);
    }

    /** The most the pool may legitimately keep after big frames: its idle limit of messages at two 64 KiB buffers. */
    private static long poolMayKeepBytes() {
        return (long) Options.DEFAULT.maxPoolMsgs() * 2 * 0x10000;
    }

    /** Where the server engine and the process stood before the attack. */
    private record Baseline(long fds, long heap, int pool) {
        static Baseline take(Reactor server) {
            return new Baseline(ProcessProbe.openFds(), ProcessProbe.heapAfterGc(), server.stats().poolSize());
        }
    }
}
