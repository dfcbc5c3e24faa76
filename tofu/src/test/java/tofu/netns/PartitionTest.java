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
import tofu.OpCode;
import tofu.Options;
import tofu.support.Expect;

/**
 * Partitions: the link to a live peer goes down and comes back (TCP retransmits, the channel survives, nothing is
 * lost), or stays down (the channel ends, every message has a known fate); and a graceful bye whose ByeResponse never
 * arrives, which must not leave the initiator stuck.
 */
@Tag("netns")
class PartitionTest {
    private static final long SLACK_NANOS = VanishedPeerTest.SLACK_NANOS;

    @BeforeEach
    void netns() {
        NetNs.assumeAvailable();
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void partitionShorterThanTheKeepAliveLimitHeals() throws Exception {
        // Dead after 1 s idle + 4 unanswered probes 1 s apart: 5 s. The partition lasts 2 s.
        Options keepAlive = Options.DEFAULT.withKeepAlive(Duration.ofSeconds(1), Duration.ofSeconds(1), 4);
        int count = 20;
        try (TestHost host = TestHost.create(); LocalPeer local = LocalPeer.start(keepAlive)) {
            PeerProcess server = host.startPeer();
            server.send("listen tcp|" + host.hostIpv4() + "|0");
            String address = server.await("listening").get(0);
            int quiet = local.connect(address);
            int busy = local.connect(address);
            server.await("accepted");
            int busyThere = Integer.parseInt(server.await("accepted").get(0));

            host.linkDown();
            // The partition's length is the scenario, not a synchronisation: keep-alive probes go unanswered on the
            // quiet channel meanwhile, and the busy one's messages wait in retransmission.
            TimeUnit.MILLISECONDS.sleep(1_000);
            for (int tag = 0; tag < count; tag++) {
                local.signal(busy, tag, 100);
            }
            TimeUnit.MILLISECONDS.sleep(1_000);
            host.linkUp();

            Streams streams = new Streams(server);
            streams.awaitDelivered(busyThere, count);
            assertThat(streams.delivered(busyThere)).as("all delivered, in order")
                    .containsExactlyElementsOf(java.util.stream.LongStream.range(0, count).boxed().toList());
            local.roundTrip(quiet, "after the partition");
            local.roundTrip(busy, "after the partition");
            assertThat(local.next(Expect.QUIET_NANOS)).as("no report: the channels never ended").isNull();
            assertThat(local.openChannels()).isEqualTo(2);
            assertThat(server.takeAll("closed")).isEmpty();
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void partitionThatLastsEndsTheChannelsWithEveryMessageAccountedFor() throws Exception {
        int count = 400;
        int size = 16_000;
        Duration idle = Duration.ofSeconds(1);
        Options keepAlive = VanishedPeerTest.KEEP_ALIVE.withSocketBuffers(Streams.BUFFER, Streams.BUFFER);
        try (TestHost host = TestHost.create(); LocalPeer quietSide = LocalPeer.start(keepAlive);
                LocalPeer busySide = LocalPeer.start(keepAlive.withIdleTimeout(idle))) {
            PeerProcess server = host.startPeer("heartbeat=200", "buffers=" + Streams.BUFFER);
            server.send("listen tcp|" + host.hostIpv4() + "|0");
            String address = server.await("listening").get(0);
            int quiet = quietSide.connect(address);
            int busy = busySide.connect(address);
            server.await("accepted");
            int busyThere = Integer.parseInt(server.await("accepted").get(0));

            host.linkDown();
            long down = System.nanoTime();
            for (int tag = 0; tag < count; tag++) {
                busySide.signal(busy, tag, size);
            }

            // Data in flight on the busy one: keep-alive is blind, the idle limit ends it.
            List<Message> busyEnd = busySide.untilClosed(busy, idle.toNanos() + SLACK_NANOS);
            LocalPeer.measured("idle limit 1 s ended a busy channel cut off by a partition", down);
            String words = "idle timeout: nothing received for 1 s";
            List<Long> delivered = new Streams(server).delivered(busyThere);
            int returned = Streams.assertFates(delivered, busyEnd, count, size, AmpeStatus.PEER_DISCONNECTED, words);
            assertThat(returned).as("what was still queued came back").isPositive();
            System.out.printf("netns: partition: of %d messages %d delivered, %d returned, %d lost in flight%n", count,
                    delivered.size(), returned, count - returned - delivered.size());
            assertThat(busyEnd.get(busyEnd.size() - 1).thdrs().get("~reason")).isEqualTo("PEER_DISCONNECTED: " + words);

            // Nothing in flight on the quiet channel: keep-alive ends it.
            List<Message> quietEnd = quietSide.untilClosed(quiet, VanishedPeerTest.KEEP_ALIVE_NANOS + SLACK_NANOS);
            LocalPeer.measured("keep-alive 1+1x2 s ended a quiet channel cut off by a partition", down);
            assertThat(quietEnd).hasSize(1);
            assertThat(quietEnd.get(0).thdrs().get("~reason")).isEqualTo(AmpeStatus.PEER_DISCONNECTED.name());
            assertThat(System.nanoTime() - down).isLessThan(VanishedPeerTest.KEEP_ALIVE_NANOS + SLACK_NANOS);
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void byeWhoseResponseNeverArrivesEndsAtTheLimitWithTheHeldMessagesReturned() throws Exception {
        Duration idle = Duration.ofSeconds(1);
        try (TestHost host = TestHost.create(); LocalPeer keepAlive = LocalPeer.start(VanishedPeerTest.KEEP_ALIVE);
                LocalPeer idleLimited = LocalPeer.start(VanishedPeerTest.KEEP_ALIVE.withIdleTimeout(idle))) {
            // The peer holds every ByeRequest (never answers) and heartbeats until the link dies.
            PeerProcess server = host.startPeer("holdbyes", "heartbeat=200");
            server.send("listen tcp|" + host.hostIpv4() + "|0");
            String address = server.await("listening").get(0);
            int answered = keepAlive.connect(address);
            int lost = idleLimited.connect(address);

            // One ByeRequest reaches the peer, which sits on it; then the link dies.
            keepAlive.post(answered, OpCode.BYE_REQUEST);
            server.await("bye");
            keepAlive.awaitSignal(answered, "held"); // so the ByeRequest's acknowledgement is not lost with the link
            host.linkDown();
            // The other ByeRequest goes into the dead link.
            idleLimited.post(lost, OpCode.BYE_REQUEST);
            long down = System.nanoTime();
            for (int tag = 0; tag < 3; tag++) {
                keepAlive.signal(answered, tag, 10);   // held behind the ByeRequest, never sent
                idleLimited.signal(lost, tag, 10);
            }

            // Our ByeRequest in flight: only the idle limit can end it.
            List<Message> idleEnd = idleLimited.untilClosed(lost, idle.toNanos() + SLACK_NANOS);
            LocalPeer.measured("idle limit 1 s ended a bye lost in flight", down);
            String words = "idle timeout: nothing received for 1 s";
            assertHeldReturned(idleEnd, words);
            assertThat(idleEnd.get(3).thdrs().get("~reason")).isEqualTo("PEER_DISCONNECTED: " + words);

            // Nothing of ours in flight: keep-alive ends it, and the held messages come back.
            List<Message> keepAliveEnd = keepAlive.untilClosed(answered,
                    VanishedPeerTest.KEEP_ALIVE_NANOS + SLACK_NANOS);
            LocalPeer.measured("keep-alive 1+1x2 s ended a bye whose response never came", down);
            assertThat(System.nanoTime() - down).isLessThan(VanishedPeerTest.KEEP_ALIVE_NANOS + SLACK_NANOS);
            assertHeldReturned(keepAliveEnd, null);
            assertThat(keepAliveEnd.get(3).thdrs().get("~reason")).isEqualTo(AmpeStatus.PEER_DISCONNECTED.name());
        }
    }

    /** Three held SIGNALs tagged 0, 1, 2 came back in order with PEER_DISCONNECTED, then the closing signal. */
    private static void assertHeldReturned(List<Message> back, String words) {
        assertThat(back).as("three returned and the signal: %s", back).hasSize(4);
        for (int tag = 0; tag < 3; tag++) {
            Message m = back.get(tag);
            Expect.assertReport(m, OpCode.SIGNAL, AmpeStatus.PEER_DISCONNECTED);
            assertThat(m.thdrs().get(PeerMain.TAG)).isEqualTo(Integer.toString(tag));
            assertThat(m.thdrs().get("~reason")).isEqualTo(words);
        }
        assertThat(Expect.isClosedSignal(back.get(3))).isTrue();
    }
}
