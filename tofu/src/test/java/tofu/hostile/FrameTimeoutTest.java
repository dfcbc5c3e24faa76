package tofu.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.Options;
import tofu.support.Engines;
import tofu.support.Transport;

/**
 * {@link Options#frameTimeout()}: a peer that starts a frame and does not finish it within the limit loses its channel
 * — the application gets the channel's CHANNEL_CLOSED signal (carrying the HelloRequest's id) whose {@code ~reason}
 * starts with {@code COMMUNICATION_FAILED}, and the connection is dropped — whether it stalls after the header,
 * inside the header, or keeps trickling bytes too slowly to finish (progress does not restart the clock). A channel
 * idle between frames is not stalled mid-frame and stays open. A good client on the same engine is served throughout.
 */
class FrameTimeoutTest {
    private static final Duration FRAME_TIMEOUT = Duration.ofMillis(500);
    /** Generous beside the 500 ms limit: the engine may check it coarsely, the machine is shared. */
    private static final long CLOSE_BOUND_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final String COMMUNICATION_FAILED = AmpeStatus.COMMUNICATION_FAILED.name();

    @TempDir
    Path dir;

    private final Engines engines = new Engines();
    private ServerApp server;
    private GoodClient good;
    private HostilePeer rogue;

    @AfterEach
    void tearDown() {
        if (rogue != null) {
            rogue.close();
        }
        if (server != null) {
            server.close();
            assertThat(server.failure()).as("server application thread").isNull();
        }
        engines.close();
    }

    private void start(Transport transport) throws InterruptedException {
        server = ServerApp.start(engines.start(Options.DEFAULT.withFrameTimeout(FRAME_TIMEOUT)),
                transport.listenAddress(dir));
        good = GoodClient.connect(engines.start(), server.address);
    }

    @ParameterizedTest
    @EnumSource(names = {"TCP", "UDS"}) // raw plaintext peers; TLS has its own: tofu.tls
    void aFrameStalledAfterItsHeaderEndsItsChannel(Transport transport) throws Exception {
        start(transport);
        ServerApp.Heard hello = rogueSaysHello("stalled-header");
        long firstByte = System.nanoTime();
        rogue.send(Frames.requestHeader(0, 1000));
        assertEndedForFrameTimeout(hello, firstByte);
    }

    @ParameterizedTest
    @EnumSource(names = {"TCP", "UDS"}) // raw plaintext peers; TLS has its own: tofu.tls
    void aFrameStalledInsideItsHeaderEndsItsChannel(Transport transport) throws Exception {
        start(transport);
        ServerApp.Heard hello = rogueSaysHello("half-header");
        long firstByte = System.nanoTime();
        rogue.send(Arrays.copyOf(Frames.requestHeader(0, 1000), BinaryHeader.SIZE / 2));
        assertEndedForFrameTimeout(hello, firstByte);
    }

    @ParameterizedTest
    @EnumSource(names = {"TCP", "UDS"}) // raw plaintext peers; TLS has its own: tofu.tls
    void aFrameTrickledTooSlowlyEndsItsChannelThoughBytesKeepComing(Transport transport) throws Exception {
        start(transport);
        ServerApp.Heard hello = rogueSaysHello("slowloris");
        // 100 ms a byte: the 116-byte frame would take 11.6 s, far beyond the 500 ms limit, yet bytes never stop.
        long firstByte = System.nanoTime();
        try (Trickler trickle = Trickler.start(List.of(rogue), Frames.request(0, 100), 100)) {
            assertEndedForFrameTimeout(hello, firstByte);
            assertThat(trickle.bytesSentEach()).as("ended while still sending, before the frame was complete")
                    .isLessThan(Frames.request(0, 100).length);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"TCP", "UDS"}) // raw plaintext peers; TLS has its own: tofu.tls
    void aChannelIdleBetweenFramesIsNotEnded(Transport transport) throws Exception {
        start(transport);
        good.roundTrips(5, 256);
        int goodChannel = server.helloFrom(GoodClient.NAME).channel();
        // Idle for three frame limits: observing that no signal comes is the point, so this wait is the assertion.
        assertThat(server.await(h -> h.channel() == goodChannel && h.closedSignal(),
                3 * FRAME_TIMEOUT.toNanos())).as("CHANNEL_CLOSED of an idle channel").isNull();
        good.roundTrips(5, 256);
        assertThat(server.reactor.stats().ioChannels()).isEqualTo(1);
        assertThat(server.reactor.stats().limits().frameTimeouts()).as("frame timeouts the engine counted").isZero();
    }

    private ServerApp.Heard rogueSaysHello(String who) throws Exception {
        rogue = HostilePeer.connect(server.address);
        rogue.send(Frames.hello(server.address, who));
        return server.helloFrom(who);
    }

    /**
     * The rogue's channel ends for its frame limit, within the bound but not before the limit (counted from just before
     * the first byte of the frame was written), and the good client never notices.
     */
    private void assertEndedForFrameTimeout(ServerApp.Heard hello, long firstByte) throws Exception {
        try (PacedRoundTrips traffic = PacedRoundTrips.start(good)) {
            ServerApp.Heard closed = server.await(h -> h.channel() == hello.channel() && h.closedSignal(),
                    CLOSE_BOUND_NANOS);
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - firstByte);
            assertThat(closed).as("CHANNEL_CLOSED of %s's channel within %d s of a %d ms frame limit", hello.who(),
                    TimeUnit.NANOSECONDS.toSeconds(CLOSE_BOUND_NANOS), FRAME_TIMEOUT.toMillis()).isNotNull();
            assertThat(closed.messageId()).as("the signal carries the HelloRequest's id").isEqualTo(hello.messageId());
            assertThat(closed.reason()).as("~reason of the signal").startsWith(COMMUNICATION_FAILED);
            assertThat(tookMillis).as("not before the frame limit").isGreaterThanOrEqualTo(FRAME_TIMEOUT.toMillis());
            assertThat(rogue.awaitDrop(CLOSE_BOUND_NANOS)).as("the rogue's connection is dropped").isTrue();
            assertThat(server.reactor.stats().limits().frameTimeouts()).as("frame timeouts the engine counted")
                    .isEqualTo(1);
            traffic.keepFor(10);
        }
        good.roundTrips(5, 256);
    }
}
