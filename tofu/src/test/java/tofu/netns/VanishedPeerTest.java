package tofu.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import tofu.AmpeStatus;
import tofu.Message;
import tofu.Options;
import tofu.support.Expect;

/**
 * A peer host that vanishes without a word (its link goes down, its process dies, its namespace may go too: no FIN,
 * no reset ever arrives). With TCP keep-alive the channel ends with PEER_DISCONNECTED within idle + interval × count;
 * without it, it stays open. In the middle of a large write keep-alive is blind (the kernel retransmits instead of
 * probing) and the idle limit is what ends the channel, returning the unsent messages in order.
 */
@Tag("netns")
class VanishedPeerTest {
    /** Linux's minimum keep-alive: first probe after 1 s idle, then every 1 s, dead after 2 unanswered: 3 s. */
    static final Options KEEP_ALIVE = Options.DEFAULT.withKeepAlive(Duration.ofSeconds(1), Duration.ofSeconds(1), 2);
    static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(3);
    /** Scheduling slack on a busy 2-core machine; the limits themselves are kept by the kernel and the engine. */
    static final long SLACK_NANOS = TimeUnit.SECONDS.toNanos(2);

    @BeforeEach
    void netns() {
        NetNs.assumeAvailable();
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void clientWhoseServerVanishes() throws Exception {
        try (TestHost host = TestHost.create(); LocalPeer withKeepAlive = LocalPeer.start(KEEP_ALIVE);
                LocalPeer without = LocalPeer.start(Options.DEFAULT)) {
            PeerProcess server = host.startPeer();
            server.send("listen tcp|" + host.hostIpv4() + "|0");
            String address = server.await("listening").get(0);
            int watched = withKeepAlive.connect(address);
            int unwatched = without.connect(address);
            withKeepAlive.roundTrip(watched, "before");
            without.roundTrip(unwatched, "before");

            host.linkDown();
            server.kill(); // its FIN / reset die on the dead link
            long vanished = System.nanoTime();

            assertEndsByKeepAlive(withKeepAlive, watched, vanished);
            assertStaysOpen(without, unwatched, vanished);
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void serverWhoseClientVanishesWithItsNamespace() throws Exception {
        try (TestHost host = TestHost.create(); LocalPeer withKeepAlive = LocalPeer.start(KEEP_ALIVE);
                LocalPeer without = LocalPeer.start(Options.DEFAULT)) {
            String watchedAddress = withKeepAlive.listen("tcp|" + host.rootIpv4() + "|0");
            String unwatchedAddress = without.listen("tcp|" + host.rootIpv6() + "|0");
            PeerProcess client = host.startPeer();
            client.send("connect " + watchedAddress);
            int watched = withKeepAlive.accept().bhdr().channelNumber();
            // A signal sent after the client got our HelloResponse: it carries the acknowledgement, so nothing of ours
            // is in flight when the client vanishes (keep-alive probes only an idle connection).
            client.send("signal " + client.await("connected").get(0) + " settled");
            withKeepAlive.awaitSignal(watched, "settled");
            client.send("connect " + unwatchedAddress);
            int unwatched = without.accept().bhdr().channelNumber();
            client.await("connected");

            host.linkDown();
            host.delete(); // the client process killed, then its namespace and the link's both ends removed
            long vanished = System.nanoTime();

            assertEndsByKeepAlive(withKeepAlive, watched, vanished);
            assertStaysOpen(without, unwatched, vanished);
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void vanishInTheMiddleOfALargeWrite() throws Exception {
        Duration idle = Duration.ofSeconds(1);
        int count = 1000;
        int size = 16_000;
        Options buffers = KEEP_ALIVE.withSocketBuffers(Streams.BUFFER, Streams.BUFFER);
        try (TestHost host = TestHost.create(); LocalPeer keepAliveOnly = LocalPeer.start(buffers);
                LocalPeer idleLimited = LocalPeer.start(buffers.withIdleTimeout(idle))) {
            // A slow application that heartbeats every 200 ms: its senders' queues fill, and their idle limit does
            // not run out while it lives.
            PeerProcess server = host.startPeer("heartbeat=200", "slow=20", "buffers=" + Streams.BUFFER);
            server.send("listen tcp|" + host.hostIpv4() + "|0");
            String address = server.await("listening").get(0);
            int blind = keepAliveOnly.connect(address);
            int blindThere = Integer.parseInt(server.await("accepted").get(0));
            int limited = idleLimited.connect(address);
            int limitedThere = Integer.parseInt(server.await("accepted").get(0));
            for (int tag = 0; tag < count; tag++) {
                keepAliveOnly.signal(blind, tag, size);
                idleLimited.signal(limited, tag, size);
            }
            Streams streams = new Streams(server);
            streams.awaitDelivered(blindThere, 3);
            streams.awaitDelivered(limitedThere, 3);
            assertThat(keepAliveOnly.queued(blind)).as("messages still queued to send").isPositive();
            assertThat(idleLimited.queued(limited)).as("messages still queued to send").isPositive();

            host.linkDown();
            server.kill();
            long vanished = System.nanoTime();

            List<Message> back = idleLimited.untilClosed(limited, idle.toNanos() + SLACK_NANOS);
            LocalPeer.measured("idle limit 1 s ended a channel whose peer vanished mid-write", vanished);
            String words = "idle timeout: nothing received for 1 s";
            int returned = Streams.assertFates(streams.delivered(limitedThere), back, count, size,
                    AmpeStatus.PEER_DISCONNECTED, words);
            assertThat(returned).as("the queued part came back").isPositive();
            assertThat(back.get(back.size() - 1).thdrs().get("~reason")).isEqualTo("PEER_DISCONNECTED: " + words);

            // Keep-alive alone: unacknowledged data means retransmissions, not probes (about 15 minutes on Linux).
            long left = KEEP_ALIVE_NANOS + SLACK_NANOS - (System.nanoTime() - vanished);
            assertThat(keepAliveOnly.next(Math.max(0, left)))
                    .as("keep-alive does not end a channel with data in flight").isNull();
            assertThat(keepAliveOnly.openChannels()).isEqualTo(1);
        }
    }

    /** The channel ends with PEER_DISCONNECTED, by keep-alive, within its limit. Nothing was left to send. */
    private static void assertEndsByKeepAlive(LocalPeer local, int channel, long vanished) throws Exception {
        List<Message> back = local.untilClosed(channel, KEEP_ALIVE_NANOS + SLACK_NANOS);
        long took = System.nanoTime() - vanished;
        LocalPeer.measured("keep-alive 1+1x2 s ended a channel whose peer vanished", vanished);
        assertThat(back).as("only the CHANNEL_CLOSED signal").hasSize(1);
        assertThat(back.get(0).thdrs().get("~reason")).isEqualTo(AmpeStatus.PEER_DISCONNECTED.name());
        assertThat(took).as("within idle + interval x count (+ slack)").isLessThan(KEEP_ALIVE_NANOS + SLACK_NANOS);
        assertThat(local.openChannels()).isZero();
    }

    /** Without keep-alive the channel stays open as long as the keep-alive one was given, slack included. */
    private static void assertStaysOpen(LocalPeer local, int channel, long vanished) throws Exception {
        long left = KEEP_ALIVE_NANOS + SLACK_NANOS - (System.nanoTime() - vanished);
        assertThat(local.next(Math.max(Expect.QUIET_NANOS, left))).as("no keep-alive: nothing notices").isNull();
        assertThat(local.openChannels()).isEqualTo(1);
        assertThat(local.queued(channel)).isZero();
    }
}
