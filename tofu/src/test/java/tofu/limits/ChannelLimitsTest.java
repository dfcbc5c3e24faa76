package tofu.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.AmpeStatus;
import tofu.ChannelGroup;
import tofu.ChannelStats;
import tofu.EngineStats;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;
import tofu.Origin;
import tofu.Reactor;
import tofu.support.EngineTest;
import tofu.support.Expect;
import tofu.support.Listener;
import tofu.support.RawFrames;
import tofu.support.RawPeer;
import tofu.support.Transport;

/**
 * The per-channel limits of docs/RELIABILITY.md, end to end: a send queue bounded by
 * {@code Options.maxQueuedPerChannel}, and a peer that stalls mid-frame ended by {@code Options.frameTimeout}.
 */
class ChannelLimitsTest extends EngineTest {
    private static final int BODY = 32 * 1024;

    @ParameterizedTest
    @EnumSource(names = {"TCP", "UDS"}) // raw plaintext peers; TLS has its own: tofu.tls
    void postsBeyondTheQueueLimitComeBackWithSendFailedAndNothingIsLost(Transport transport) throws Exception {
        int limit = 8;
        int posted = 2_000; // 64 MB: far beyond what the kernel buffers of a peer that never reads can take
        Reactor reactor = engines.start(Options.DEFAULT.withMaxQueuedPerChannel(limit));
        Ampe ampe = reactor.ampe();
        ChannelGroup client = ampe.create();
        try (ServerSocketChannel server = RawPeer.listen(transport, dir)) {
            Message hello = ampe.get(AllocationStrategy.ALWAYS);
            RawPeer.dial(server).format(hello);
            int channel = client.post(hello).channelNumber();
            try (RawPeer peer = RawPeer.accept(server)) { // accepts, never reads
                for (int i = 0; i < posted; i++) {
                    Message m = ampe.get(AllocationStrategy.ALWAYS);
                    m.bhdr().opCode(OpCode.REQUEST).channelNumber(channel);
                    m.body().append(new byte[BODY]);
                    client.post(m);
                }
                int refused = 0;
                Message first = null;
                while (reactor.stats().limits().sendQueueRefusals() == 0 || refused
                        < reactor.stats().limits().sendQueueRefusals()) {
                    Message m = Expect.next(client);
                    assertThat(m.bhdr().origin()).isEqualTo(Origin.ENGINE);
                    assertThat(m.bhdr().status()).isEqualTo(AmpeStatus.SEND_FAILED);
                    if (first == null) {
                        first = m;
                    } else {
                        ampe.put(m);
                    }
                    refused++;
                }
                assertThat(first.thdrs().get("~reason")).contains("send queue full");
                ampe.put(first);
                EngineStats stats = reactor.stats();
                ChannelStats cs = stats.channels().stream().filter(c -> c.channelNumber() == channel).findFirst()
                        .orElseThrow();
                assertThat(cs.sendQueueDepth()).as("the queue stays at its limit").isLessThanOrEqualTo(limit);
                assertThat(stats.limits().sendQueueRefusals()).isGreaterThan(posted / 2);

                Message abort = ampe.get(AllocationStrategy.ALWAYS);
                abort.bhdr().opCode(OpCode.BYE_SIGNAL).channelNumber(channel);
                client.post(abort);
                int returned = 0;
                for (Message m; !Expect.isClosedSignal(m = Expect.next(client)); ampe.put(m)) {
                    assertThat(m.bhdr().origin()).isEqualTo(Origin.ENGINE);
                    if (m.bhdr().opCode() == OpCode.REQUEST) {
                        assertThat(m.bhdr().status()).isEqualTo(AmpeStatus.CHANNEL_CLOSED);
                        returned++;
                    }
                }
                long written = reactor.stats().messagesOut() - 1; // less the HelloRequest
                assertThat(written + refused + returned).as("every post written, refused or returned")
                        .isEqualTo(posted);
            }
        }
    }

    /** Says hello from a raw peer and returns the server's channel for it. */
    private static int hello(Ampe ampe, ChannelGroup server, RawPeer peer) throws Exception {
        peer.write(RawFrames.frame(OpCode.HELLO_REQUEST, 0, 7));
        Message hello = Expect.next(server);
        assertThat(hello.bhdr().opCode()).isEqualTo(OpCode.HELLO_REQUEST);
        int channel = hello.bhdr().channelNumber();
        ampe.put(hello);
        return channel;
    }

    @ParameterizedTest
    @EnumSource(names = {"TCP", "UDS"}) // raw plaintext peers; TLS has its own: tofu.tls
    void aPeerThatStallsMidFrameIsEndedByTheFrameLimit(Transport transport) throws Exception {
        Reactor reactor = engines.start(Options.DEFAULT.withFrameTimeout(Duration.ofMillis(300)));
        Ampe ampe = reactor.ampe();
        ChannelGroup server = ampe.create();
        Listener listener = Listener.open(ampe, server, transport.listenAddress(dir));
        try (RawPeer peer = RawPeer.connect(listener.dial())) {
            int channel = hello(ampe, server, peer);
            ByteBuffer request = RawFrames.frame(OpCode.REQUEST, 1, 8, "", "x".repeat(1000), RawFrames.HONEST);
            peer.write(request.limit(16 + 10)); // the header and 10 of 1000 body bytes, then silence

            Message closed = Expect.closedSignal(server, channel, 7);
            assertThat(closed.thdrs().get("~reason")).startsWith("COMMUNICATION_FAILED: frame incomplete");
            assertThat(reactor.stats().limits().frameTimeouts()).isEqualTo(1);
            ampe.put(closed);
            Message free = ampe.get(AllocationStrategy.POOL_ONLY);
            assertThat(free).as("the stalled frame held no pool message").isNotNull();
            ampe.put(free);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"TCP", "UDS"}) // raw plaintext peers; TLS has its own: tofu.tls
    void aSlowButSteadyPeerIsNotEndedByTheFrameLimit(Transport transport) throws Exception {
        Reactor reactor = engines.start(Options.DEFAULT.withFrameTimeout(Duration.ofMillis(400)));
        Ampe ampe = reactor.ampe();
        ChannelGroup server = ampe.create();
        Listener listener = Listener.open(ampe, server, transport.listenAddress(dir));
        try (RawPeer peer = RawPeer.connect(listener.dial())) {
            int channel = hello(ampe, server, peer);
            ByteBuffer small = RawFrames.frame(OpCode.REQUEST, 1, 9, "", "0123456789", RawFrames.HONEST);
            long end = System.nanoTime() + Duration.ofMillis(1200).toNanos();
            int sent = 0;
            while (System.nanoTime() - end < 0) { // each frame completes well inside the limit
                peer.write(small.duplicate().limit(16));
                Thread.sleep(100); // pacing the peer, not synchronising: the frame limit must tolerate it
                peer.write(small.duplicate().position(16));
                sent++;
            }
            for (int i = 0; i < sent; i++) {
                ampe.put(Expect.application(server, OpCode.REQUEST, channel));
            }
            assertThat(reactor.stats().limits().frameTimeouts()).isZero();
        }
    }
}
