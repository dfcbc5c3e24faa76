package tofu.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.Address;
import tofu.AmpeStatus;
import tofu.EngineStats;
import tofu.OpCode;
import tofu.Options;
import tofu.Origin;
import tofu.Reactor;
import tofu.support.Engines;
import tofu.support.Peers;
import tofu.support.Transport;

/**
 * PROTOCOL.md §8 with raw sockets: garbage, invalid opcodes, truncated frames, a first frame that is not a HelloRequest,
 * slowloris peers and connect-then-vanish storms hit a tofu listener while a well-behaved client on the same server
 * engine keeps doing request/response traffic. The server application must hear nothing of connections that never
 * completed a HelloRequest; a peer that misbehaves after its HelloRequest costs only its own channel, which ends with
 * its unsent messages returned (INVALID_MESSAGE) and one CHANNEL_CLOSED signal.
 *
 * <p>The peers here write tofu frames in plain bytes, so they run on TCP and UDS; against a TLS listener every one of
 * them is simply "not TLS". The TLS listener's hostile peers (garbage instead of a ClientHello, half-done and
 * slowloris handshakes) are in {@code tofu.tls.TlsHostilePeerTest}.
 */
class GarbagePeerTest {
    private static final int STORM = 300;
    private static final int SLOWLORIS = 20;

    @TempDir
    Path dir;

    private final Engines engines = new Engines();
    private final List<HostilePeer> peers = new ArrayList<>();
    private ServerApp server;
    private GoodClient good;

    @AfterEach
    void tearDown() throws InterruptedException {
        peers.forEach(HostilePeer::close);
        if (server != null) {
            server.close();
            assertThat(server.failure()).as("server application thread").isNull();
        }
        engines.close();
    }

    private void start(Transport transport, Options serverOptions) throws InterruptedException {
        Reactor serverEngine = engines.start(serverOptions);
        server = ServerApp.start(serverEngine, transport.listenAddress(dir));
        good = GoodClient.connect(engines.start(), server.address);
    }

    @ParameterizedTest
    @EnumSource(names = {"TCP", "UDS"}) // raw plaintext peers; TLS has its own: TlsHostilePeerTest
    void hostilePeersCostTheGoodClientNothing(Transport transport) throws Exception {
        start(transport, Options.DEFAULT);
        Random rnd = new Random(Seeds.seed("GarbagePeerTest." + transport));
        Address target = server.address;
        try (Background traffic = Background.run("good-traffic", () -> good.roundTrips(8, 512))) {
            for (int i = 0; i < 40; i++) {
                HostilePeer p = HostilePeer.connect(target);
                p.trySend(Frames.garbage(rnd, 1 + rnd.nextInt(4096)));
                vanish(p, rnd);
            }
            for (int code = 8; code <= 15; code++) {
                assertDropped(target, Frames.withOpCode(code, new byte[] {1, 2, 3}), "first frame with opcode " + code);
            }
            for (int code : new int[] {0, 1, 2, 4, 5, 6, 7}) {
                assertDropped(target, Frames.withOpCode(code, new byte[] {4, 5}),
                        "first frame " + OpCode.fromCode(code));
            }
            for (int i = 0; i < 20; i++) {
                byte[] frame = i % 2 == 0 ? Frames.hello(target, "truncated") : Frames.withOpCode(rnd.nextInt(8),
                        new byte[100]);
                HostilePeer p = HostilePeer.connect(target);
                p.trySend(Arrays.copyOf(frame, 1 + rnd.nextInt(frame.length - 1)));
                vanish(p, rnd);
            }
            for (int i = 0; i < SLOWLORIS; i++) {
                HostilePeer p = HostilePeer.connect(target);
                p.send(Arrays.copyOf(Frames.hello(target, "slowloris"), 8));
                peers.add(p);
            }
            for (int i = 0; i < STORM; i++) {
                vanish(HostilePeer.connect(target), rnd);
            }
            Await.until("hostile connections gone, slowloris peers still waiting", () -> {
                EngineStats s = server.reactor.stats();
                return s.pendingHandshakes() == SLOWLORIS && s.ioChannels() == 1;
            }, server.reactor::stats);
            assertThat(traffic.iterations()).as("good traffic kept flowing").isPositive();
        }
        assertHeardOnlyGoodClient();

        peers.forEach(HostilePeer::close);
        Await.until("slowloris connections dropped after they closed", () ->
                server.reactor.stats().pendingHandshakes() == 0, server.reactor::stats);
        good.roundTrips(10, 1024);
        assertHeardOnlyGoodClient();
    }

    @ParameterizedTest
    @EnumSource(names = {"TCP", "UDS"}) // raw plaintext peers; TLS has its own: TlsHostilePeerTest
    void misbehaviourAfterHelloEndsThatChannelWithItsUnsentMessagesReturned(Transport transport) throws Exception {
        start(transport, Options.DEFAULT);
        HostilePeer rogue = HostilePeer.connect(server.address);
        peers.add(rogue);
        rogue.smallReceiveBuffer();
        rogue.send(Frames.hello(server.address, "rogue"));
        ServerApp.Heard hello = server.helloFrom("rogue");
        int channel = hello.channel();

        // The rogue never reads: ~15 MB is more than the socket buffers hold, so most of it stays queued.
        List<Long> posted = new ArrayList<>();
        for (long tag = 1; tag <= 250; tag++) {
            server.group.post(Tags.tag(server.message(channel, OpCode.SIGNAL), tag, 60_000));
            posted.add(tag);
        }
        // Posts are handled in order, so once a later one reached the good client all the above are queued.
        int goodServerChannel = server.helloFrom(GoodClient.NAME).channel();
        server.group.post(Tags.tag(server.message(goodServerChannel, OpCode.SIGNAL), 999_999, 16));
        good.expectSignal(999_999);

        rogue.send(Frames.withOpCode(12, new byte[] {9}));
        ServerApp.Heard closed = server.await(h -> h.channel() == channel && h.closedSignal(), Peers.WAIT_NANOS);
        assertThat(closed).as("CHANNEL_CLOSED signal for the rogue's channel").isNotNull();
        assertThat(closed.messageId()).as("the signal carries the HelloRequest's id").isEqualTo(hello.messageId());
        assertThat(rogue.awaitDrop(Peers.WAIT_NANOS)).as("the rogue's connection is dropped").isTrue();

        List<ServerApp.Heard> forChannel = server.heard().stream().filter(h -> h.channel() == channel)
                .collect(Collectors.toList());
        assertThat(forChannel.get(0).op()).isEqualTo(OpCode.HELLO_REQUEST);
        assertThat(forChannel.get(forChannel.size() - 1)).as("CHANNEL_CLOSED is the last message").isEqualTo(closed);
        List<ServerApp.Heard> returned = forChannel.subList(1, forChannel.size() - 1);
        assertThat(returned).as("unsent messages come back").isNotEmpty().allSatisfy(h -> {
            assertThat(h.origin()).isEqualTo(Origin.ENGINE);
            assertThat(h.status()).isEqualTo(AmpeStatus.INVALID_MESSAGE);
        });
        // The server app's own HelloResponse races with the posts above and may be queued among them (returned too).
        List<Long> returnedTags = returned.stream().filter(h -> h.op() != OpCode.HELLO_RESPONSE)
                .map(ServerApp.Heard::tag).collect(Collectors.toList());
        assertThat(returnedTags).as("returned in order, the unsent tail of what was posted")
                .isEqualTo(posted.subList(posted.size() - returnedTags.size(), posted.size()));

        good.roundTrips(20, 256);
    }

    @ParameterizedTest
    @EnumSource(names = {"TCP", "UDS"}) // raw plaintext peers; TLS has its own: TlsHostilePeerTest
    void everyPostHelloViolationEndsOnlyItsOwnChannel(Transport transport) throws Exception {
        start(transport, Options.DEFAULT);
        for (int code = 8; code <= 16; code++) {
            String who = "rogue-" + code;
            HostilePeer rogue = HostilePeer.connect(server.address);
            peers.add(rogue);
            rogue.send(Frames.hello(server.address, who));
            ServerApp.Heard hello = server.helloFrom(who);
            if (code <= 15) {
                rogue.send(Frames.withOpCode(code, new byte[0]));
            } else {
                rogue.send(Arrays.copyOf(Frames.withOpCode(0, new byte[64]), 40)); // truncated, then gone
                rogue.close();
            }
            ServerApp.Heard closed = server.await(h -> h.channel() == hello.channel() && h.closedSignal(),
                    Peers.WAIT_NANOS);
            assertThat(closed).as("CHANNEL_CLOSED for %s", who).isNotNull();
            AmpeStatus reason = code <= 15 ? AmpeStatus.INVALID_MESSAGE : AmpeStatus.PEER_DISCONNECTED;
            assertChannelEnded(hello, closed, reason);
            good.roundTrips(4, 128);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"TCP", "UDS"}) // raw plaintext peers; TLS has its own: TlsHostilePeerTest
    void silentConnectionsAreDroppedSilentlyAfterTheHandshakeTimeout(Transport transport) throws Exception {
        start(transport, Options.DEFAULT.withHandshakeTimeout(Duration.ofMillis(300)));
        for (int i = 0; i < 50; i++) {
            HostilePeer p = HostilePeer.connect(server.address);
            if (i % 2 == 1) {
                p.send(Arrays.copyOf(Frames.hello(server.address, "slowloris"), 8));
            }
            peers.add(p);
        }
        good.roundTrips(10, 256);
        for (HostilePeer p : peers) {
            assertThat(p.awaitDrop(Peers.WAIT_NANOS)).as("a silent connection is dropped").isTrue();
        }
        Await.until("no pending handshakes", () -> server.reactor.stats().pendingHandshakes() == 0,
                server.reactor::stats);
        good.roundTrips(10, 256);
        assertHeardOnlyGoodClient();
    }

    /** Closes a hostile connection from the peer's side, at random with a reset or a normal close. */
    private static void vanish(HostilePeer p, Random rnd) {
        if (rnd.nextBoolean()) {
            p.reset();
        } else {
            p.close();
        }
    }

    private static void assertDropped(Address target, byte[] frame, String what) throws Exception {
        try (HostilePeer p = HostilePeer.connect(target)) {
            p.send(frame);
            assertThat(p.awaitDrop(Peers.WAIT_NANOS)).as("server drops a peer whose %s", what).isTrue();
        }
    }

    /**
     * Asserts what the server application heard of a channel the engine tore down: its HelloRequest, then only
     * returned messages with {@code reason}, then the CHANNEL_CLOSED signal; after it, at most posts that raced with
     * the teardown, returned with CHANNEL_CLOSED (the closed-channel rule of PROTOCOL.md §6.1), never another signal.
     */
    private void assertChannelEnded(ServerApp.Heard hello, ServerApp.Heard closed, AmpeStatus reason) {
        List<ServerApp.Heard> all = server.heard().stream().filter(h -> h.channel() == hello.channel())
                .collect(Collectors.toList());
        int end = all.indexOf(closed);
        assertThat(all.get(0)).isEqualTo(hello);
        assertThat(all.subList(1, end)).as("returned before the signal, %s", hello.who()).allSatisfy(h -> {
            assertThat(h.origin()).isEqualTo(Origin.ENGINE);
            assertThat(h.status()).isEqualTo(reason);
        });
        assertThat(all.subList(end + 1, all.size())).as("late posts after the signal, %s", hello.who())
                .allSatisfy(h -> {
                    assertThat(h.origin()).isEqualTo(Origin.ENGINE);
                    assertThat(h.status()).isEqualTo(AmpeStatus.CHANNEL_CLOSED);
                    assertThat(h.closedSignal()).isFalse();
                });
    }

    private void assertHeardOnlyGoodClient() {
        List<ServerApp.Heard> heard = server.heard();
        Set<Integer> goodChannels = heard.stream()
                .filter(h -> h.op() == OpCode.HELLO_REQUEST && GoodClient.NAME.equals(h.who()))
                .map(ServerApp.Heard::channel).collect(Collectors.toSet());
        assertThat(goodChannels).hasSize(1);
        assertThat(heard).as("the server application hears only the good client").allSatisfy(h -> {
            assertThat(h.channel()).isIn(goodChannels);
            assertThat(h.closedSignal()).isFalse();
        });
    }
}
