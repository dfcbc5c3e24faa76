package tofu.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.AmpeStatus;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;
import tofu.Reactor;
import tofu.support.Engines;
import tofu.support.Expect;
import tofu.support.Peers;
import tofu.support.Transport;

/**
 * {@code Options.idleTimeout}: an open channel that receives nothing for that long ends with PEER_DISCONNECTED, its
 * unsent messages returned in order with a {@code ~reason} saying so; a peer that keeps talking keeps it open; time
 * spent not reading because the pool is dry does not count. The two-host version (a vanished peer, a lost bye) is in
 * {@code tofu.netns}.
 */
class IdleTimeoutTest {
    private static final Duration IDLE = Duration.ofMillis(300);
    private static final String WORDS = "idle timeout: nothing received for 300 ms";

    @TempDir
    Path dir;

    @Test
    void offByDefault() {
        assertThat(Options.DEFAULT.idleTimeout()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aSilentPeerEndsTheChannelAndWhatWasNotSentComesBackInOrder(Transport transport) throws Exception {
        try (Reactor watcher = Reactor.create(Engines.withTestTls(Options.DEFAULT.withIdleTimeout(IDLE)));
                Reactor silent = Reactor.create(Engines.withTestTls(new Options(4, 4)))) {
            Ampe wa = watcher.ampe();
            ChannelGroup server = wa.create();
            ChannelGroup client = silent.ampe().create();
            Address address = Peers.listen(wa, server, transport.listenAddress(dir));
            long start = System.nanoTime(); // before the client's hello, the last thing the watcher will receive
            Peers.Link link = Peers.link(silent.ampe(), client, server, address);

            // The silent client never reads its group: its pool runs dry, its engine stops reading, our queue fills.
            int sent = 400;
            for (int i = 0; i < sent; i++) {
                Message m = wa.get(AllocationStrategy.ALWAYS);
                m.bhdr().opCode(OpCode.SIGNAL).channelNumber(link.serverChannel());
                m.body().append(new byte[60_000]);
                m.thdrs().append("n", Integer.toString(i));
                server.post(m);
            }

            List<Message> returned = new ArrayList<>();
            Message m;
            while (!Expect.isClosedSignal(m = Expect.next(server))) {
                Expect.assertReport(m, OpCode.SIGNAL, AmpeStatus.PEER_DISCONNECTED);
                assertThat(m.thdrs().get("~reason")).isEqualTo(WORDS);
                returned.add(m);
            }
            long waited = System.nanoTime() - start;
            assertThat(m.thdrs().get("~reason")).isEqualTo("PEER_DISCONNECTED: " + WORDS);
            assertThat(waited).as("not before the limit").isGreaterThanOrEqualTo(IDLE.toNanos());
            assertThat(returned).as("the unsent tail came back").isNotEmpty();
            int first = sent - returned.size();
            for (int i = 0; i < returned.size(); i++) {
                assertThat(returned.get(i).thdrs().get("n")).as("in order, ending with the last posted")
                        .isEqualTo(Integer.toString(first + i));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void heartbeatsKeepTheChannelOpenUntilTheyStop(Transport transport) throws Exception {
        try (Reactor watcher = Reactor.create(Engines.withTestTls(Options.DEFAULT.withIdleTimeout(IDLE)));
                Reactor talker = Reactor.create(Engines.withTestTls(Options.DEFAULT))) {
            Ampe wa = watcher.ampe();
            ChannelGroup server = wa.create();
            ChannelGroup client = talker.ampe().create();
            Address address = Peers.listen(wa, server, transport.listenAddress(dir));
            Peers.Link link = Peers.link(talker.ampe(), client, server, address);

            // A heartbeat every 100 ms for four idle limits: each one arrives, the channel stays open.
            long lastBeat = 0;
            for (int beat = 0; beat < 12; beat++) {
                lastBeat = System.nanoTime(); // before the post: the watcher reads the beat after this
                client.post(Peers.message(talker.ampe(), link.clientChannel(), OpCode.SIGNAL, "beat " + beat));
                Message m = Expect.application(server, OpCode.SIGNAL, link.serverChannel());
                assertThat(m.body().asString()).isEqualTo("beat " + beat);
                wa.put(m);
                TimeUnit.MILLISECONDS.sleep(100); // the heartbeat's period, not a synchronisation
            }
            Message closed = Expect.next(server);
            assertThat(Expect.isClosedSignal(closed)).as("%s", closed).isTrue();
            assertThat(closed.bhdr().channelNumber()).isEqualTo(link.serverChannel());
            assertThat(closed.thdrs().get("~reason")).isEqualTo("PEER_DISCONNECTED: " + WORDS);
            assertThat(System.nanoTime() - lastBeat).as("ended no sooner than one limit after the last beat")
                    .isGreaterThanOrEqualTo(IDLE.toNanos());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void timeSpentWaitingForThePoolIsNotSilence(Transport transport) throws Exception {
        int sent = 200;
        try (Reactor watcher = Reactor.create(Engines.withTestTls(new Options(4, 4).withIdleTimeout(IDLE)));
                Reactor sender = Reactor.create(Engines.withTestTls(Options.DEFAULT))) {
            Ampe wa = watcher.ampe();
            ChannelGroup server = wa.create();
            ChannelGroup client = sender.ampe().create();
            Address address = Peers.listen(wa, server, transport.listenAddress(dir));
            Peers.Link link = Peers.link(sender.ampe(), client, server, address);
            for (int i = 0; i < sent; i++) {
                client.post(Peers.message(sender.ampe(), link.clientChannel(), OpCode.SIGNAL, Integer.toString(i)));
            }

            // Hoard until the pool is dry, then hold on for three idle limits: the channel waits for us, not for its
            // peer, so it must not end.
            List<Message> hoard = new ArrayList<>();
            Message m;
            while (!Expect.isPoolEmpty(m = Peers.receive(server))) {
                hoard.add(m);
            }
            assertThat(server.waitReceive(3 * IDLE.toNanos())).as("nothing, no close, while we hold the pool")
                    .isNull();

            for (int i = 0; i < hoard.size(); i++) {
                assertThat(hoard.get(i).body().asString()).isEqualTo(Integer.toString(i));
            }
            int next = hoard.size();
            hoard.forEach(wa::put);
            while (next < sent) {
                m = Expect.next(server);
                assertThat(m.isFromEngine()).as("%s", m).isFalse();
                assertThat(m.body().asString()).isEqualTo(Integer.toString(next++));
                wa.put(m);
            }
            // Then the sender is really silent: the limit applies.
            m = Expect.next(server);
            assertThat(Expect.isClosedSignal(m)).as("%s", m).isTrue();
            assertThat(m.thdrs().get("~reason")).isEqualTo("PEER_DISCONNECTED: " + WORDS);
        }
    }
}
