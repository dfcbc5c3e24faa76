package tofu.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.ChannelStats;
import tofu.Options;
import tofu.Reactor;
import tofu.support.Engines;
import tofu.support.Peers;
import tofu.support.Transport;

/**
 * Issue 11's flood: a peer says hello, then sends 32 KiB REQUESTs to an echo server as fast as it can and never reads
 * the echoes, while a good client does a round trip every 20 ms and new clients come and go (hello, a round trip, a
 * bye). The server is {@link EchoServerMain} with {@link Options#DEFAULT} in a child JVM capped at {@value #MAX_HEAP}
 * (any {@code OutOfMemoryError} ends it), so the memory question has a hard answer. The engine of the issue kept
 * reading the flooder and queueing its echoes (the deadlock-avoidance allocation let it) until the heap ran out.
 *
 * <p>Required: every good round trip, hello and bye within {@link PacedRoundTrips#BOUND_NANOS}; the child alive with
 * its retained heap under half its cap; and, from the engine's own figures, the flooder's channel paused (read state
 * {@code PAUSED}, no frame read from it over a window of 50 good round trips, and its blocking write stalled — the
 * backpressure reached the peer) or closed, while the good channel was served in that window. When the flooder
 * leaves, its channel closes and the child returns to its descriptors and, within what the pool may keep, its heap.
 */
class FloodTest {
    private static final String MAX_HEAP = "128m";
    private static final long MAX_HEAP_BYTES = 128L << 20;
    private static final int FLOOD_BODY = 32 * 1024;
    private static final int CHURN_CLIENTS = 10;
    private static final int ROUND_TRIPS_PER_CHURN = 30;
    private static final int WINDOW_ROUND_TRIPS = 50;
    private static final int FD_TOLERANCE = 3;
    private static final long HEAP_SLACK = 4L << 20;

    @TempDir
    Path dir;

    private final Engines engines = new Engines();
    private EchoChild child;
    private Flooder flooder;

    @AfterEach
    void tearDown() {
        if (flooder != null) {
            flooder.close();
        }
        engines.close();
        if (child != null) {
            child.close();
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"TCP", "UDS"}) // raw plaintext peers; TLS has its own: tofu.tls
    void aPeerThatFloodsAndNeverReadsCostsOnlyItsOwnChannel(Transport transport) throws Exception {
        child = EchoChild.start(MAX_HEAP, transport.listenAddress(dir));
        Reactor clients = engines.start();
        GoodClient good = GoodClient.connect(clients, child.address());
        good.roundTrips(20, 256);
        EchoStats before = child.stats();
        try {
            flood(clients, good, before, transport);
        } catch (AssertionError e) {
            child.assertAliveOr(e); // a dead child is the cause: say so, with its stderr
            try {
                e.addSuppressed(new AssertionError("the child's figures after the failure: " + child.stats()));
            } catch (AssertionError noFigures) {
                e.addSuppressed(noFigures);
            }
            throw e;
        }
        child.assertAlive("after the flood");

        flooder.close();
        child.awaitClosed("flooder");
        EchoStats after = awaitOnlyGoodChannel();
        long allowed = before.heap() + (long) Options.DEFAULT.maxPoolMsgs() * 2 * 0x10000 + HEAP_SLACK;
        System.out.println("[FloodTest] " + transport + ": after the flooder left, child heap "
                + ProcessProbe.mib(after.heap()) + " (allowed " + ProcessProbe.mib(allowed) + "), fds "
                + before.fds() + " -> " + after.fds());
        assertThat(after.heap()).as("child's retained heap after the flooder left").isLessThanOrEqualTo(allowed);
        assertThat(after.fds()).as("child's open descriptors").isBetween(before.fds() - FD_TOLERANCE,
                before.fds() + FD_TOLERANCE);
        good.roundTrips(20, 256);
    }

    /** The flood itself, beside the good client and the clients that come and go. */
    private void flood(Reactor clients, GoodClient good, EchoStats before, Transport transport) throws Exception {
        try (PacedRoundTrips traffic = PacedRoundTrips.start(good)) {
            flooder = Flooder.start(child.address(), "flooder", FLOOD_BODY);
            for (int i = 0; i < CHURN_CLIENTS; i++) {
                newClientComesAndGoes(clients, "churn-" + i);
                traffic.keepFor(ROUND_TRIPS_PER_CHURN);
                child.assertAlive("during the flood");
            }
            EchoStats first = child.stats();
            long sentFirst = flooder.bytesSent();
            traffic.keepFor(WINDOW_ROUND_TRIPS);
            EchoStats second = child.stats();
            long sentSecond = flooder.bytesSent();
            System.out.printf("[FloodTest] %s: flooder sent %.1f MB; child heap %s -> %s; flooder %s; good %s; "
                            + "%d good round trips, slowest %d ms%n", transport, sentSecond / 1e6,
                    ProcessProbe.mib(before.heap()), ProcessProbe.mib(second.heap()), second.channel("flooder"),
                    second.channel(GoodClient.NAME), traffic.completed(), traffic.slowestMillis());

            assertThat(second.heap()).as("child's retained heap during the flood").isLessThan(MAX_HEAP_BYTES / 2);
            assertGoodServedAndFlooderPaused(first, second, sentFirst, sentSecond);
        }
    }

    /** A client arrives during the flood: its hello, one round trip and its bye, each within the bound. */
    private void newClientComesAndGoes(Reactor clients, String who) throws InterruptedException {
        GoodClient c = GoodClient.connect(clients, child.address(), who, PacedRoundTrips.BOUND_NANOS);
        c.timedRoundTrip(1024, PacedRoundTrips.BOUND_NANOS);
        c.bye(PacedRoundTrips.BOUND_NANOS);
    }

    /**
     * Between two snapshots of the child's engine the good channel received at least the window's requests, and the
     * flooder's channel is closed, or paused: nothing read from it, and its own blocking write stalled.
     */
    private static void assertGoodServedAndFlooderPaused(EchoStats first, EchoStats second, long sentFirst,
                                                         long sentSecond) {
        EchoStats.Channel good1 = first.channel(GoodClient.NAME);
        EchoStats.Channel good2 = second.channel(GoodClient.NAME);
        assertThat(good1).as("good channel open in %s", first).isNotNull();
        assertThat(good2).as("good channel open in %s", second).isNotNull();
        assertThat(good2.in() - good1.in()).as("good channel served in the window")
                .isGreaterThanOrEqualTo(WINDOW_ROUND_TRIPS);
        EchoStats.Channel flood1 = first.channel("flooder");
        EchoStats.Channel flood2 = second.channel("flooder");
        if (flood2 == null) {
            return; // closed: costs only its own channel
        }
        assertThat(flood1).as("the flooder's channel was open before").isNotNull();
        assertThat(flood2.state()).as("the flooder's read state").isEqualTo(ChannelStats.ReadState.PAUSED);
        assertThat(flood2.in()).as("frames read from the flooder during the window (paused: none)")
                .isEqualTo(flood1.in());
        assertThat(sentSecond).as("the flooder's write stalled: backpressure reached it").isEqualTo(sentFirst);
    }

    /** Polls the child (bounded) until only the good client's channel is open; returns that snapshot. */
    private EchoStats awaitOnlyGoodChannel() throws InterruptedException {
        long deadline = System.nanoTime() + Peers.WAIT_NANOS;
        EchoStats s = child.stats();
        while (s.io() != 1 || s.pending() != 0 || s.channel(GoodClient.NAME) == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only the good channel should be left; last seen: " + s);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            s = child.stats();
        }
        return s;
    }
}
