package tofu.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;
import tofu.support.Endpoints;
import tofu.support.EngineTest;
import tofu.support.Expect;
import tofu.support.Listener;
import tofu.support.MessageSnapshot;
import tofu.support.Pair;
import tofu.support.Peers;
import tofu.support.Rejections;
import tofu.support.Transport;

/**
 * PROTOCOL.md §6.1 and §6.6: channel numbers — distinct while live, closed ones answered, not reused soon after
 * release.
 */
class ChannelNumbersTest extends EngineTest {
    /** A released number may come back only after this many other numbers were released. */
    private static final int REUSE_DISTANCE = 1024;
    /** Channels opened per round while burning through the number space. */
    private static final int BURN_BATCH = 100;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void liveChannelsHaveDistinctNumbers(Transport transport) throws Exception {
        Ampe ampe = engines.start().ampe();
        ChannelGroup server = ampe.create();
        ChannelGroup client = ampe.create();
        Listener listener = Listener.open(ampe, server, transport.listenAddress(dir));
        Set<Integer> numbers = new HashSet<>();
        numbers.add(listener.channel());
        for (int i = 0; i < 10; i++) {
            Peers.Link link = Peers.link(ampe, client, server, listener.dial());
            assertThat(numbers.add(link.clientChannel())).as("client number %d", link.clientChannel()).isTrue();
            assertThat(numbers.add(link.serverChannel())).as("server number %d", link.serverChannel()).isTrue();
        }
        assertThat(numbers).allSatisfy(n -> assertThat(n).isBetween(1, 65534));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void postToAClosedChannelComesBackWithoutAnotherSignal(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir);
        p.client().post(OpCode.BYE_SIGNAL);
        Expect.report(p.client().group(), OpCode.BYE_SIGNAL, AmpeStatus.CHANNEL_CLOSED);
        Expect.closedSignal(p.client().group(), p.client().channel(), p.helloId());
        Expect.closedSignal(p.server().group(), p.server().channel(), p.helloId());

        assertComesBackClosed(p.client().group(), p.client().message(OpCode.REQUEST));
        assertComesBackClosed(p.server().group(), p.server().message(OpCode.SIGNAL));
        assertComesBackClosed(p.client().group(), p.client().message(OpCode.BYE_SIGNAL));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void postToAClosedListenerComesBackInsteadOfNotAllowed(Transport transport) throws Exception {
        Ampe ampe = engines.start().ampe();
        ChannelGroup server = ampe.create();
        Listener listener = Listener.open(ampe, server, transport.listenAddress(dir));
        server.post(Peers.message(ampe, listener.channel(), OpCode.BYE_SIGNAL, null));
        Expect.report(server, OpCode.BYE_SIGNAL, AmpeStatus.CHANNEL_CLOSED);
        Expect.closedSignal(server, listener.channel(), listener.welcomeId());

        assertComesBackClosed(server, Peers.message(ampe, listener.channel(), OpCode.REQUEST, "late"));
    }

    /** Posts {@code m} to its (closed) channel: it is accepted, comes back as CHANNEL_CLOSED, and nothing follows. */
    private static void assertComesBackClosed(ChannelGroup group, Message m) throws InterruptedException {
        m.thdrs().append("Keep", "me");
        MessageSnapshot before = MessageSnapshot.of(m);
        BinaryHeader posted = group.post(m);

        Message back = Expect.report(group, before.header().opCode(), AmpeStatus.CHANNEL_CLOSED);
        assertThat(back.bhdr().channelNumber()).isEqualTo(before.header().channelNumber());
        assertThat(back.bhdr().messageId()).isEqualTo(posted.messageId());
        assertThat(back.thdrs().toList()).isEqualTo(before.headers());
        assertThat(back.body().asReadOnlyBuffer()).isEqualTo(before.body());
        Expect.quiet(group);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void releasedNumbersComeBackOnlyAfterManyOthersAndServeNewConnections(Transport transport) throws Exception {
        Ampe ampe = engines.start().ampe();
        ChannelGroup burner = ampe.create();
        // The cheapest channel there is: a HelloRequest to a missing UDS path fails at once and releases its number.
        Address missing = Endpoints.missingTarget(Transport.UDS, dir);
        Map<Integer, Integer> releasedAt = new HashMap<>();
        List<String> violations = new ArrayList<>();
        int released = 0;
        int posted = 0;
        boolean reused = false;
        while (!reused) {
            assertThat(posted).as("a released number is reused once the fresh ones ran out").isLessThan(70_000);
            Map<Integer, Long> batch = new HashMap<>();
            for (int i = 0; i < BURN_BATCH; i++) {
                Message hello = ampe.get(AllocationStrategy.ALWAYS);
                missing.format(hello);
                BinaryHeader h = burner.post(hello);
                int n = h.channelNumber();
                Integer at = releasedAt.get(n);
                if (at != null) {
                    reused = true;
                    // Releases seen so far plus those possibly not yet seen (this batch's) bound the true distance.
                    if (released + i - at < REUSE_DISTANCE) {
                        violations.add(n + " reused after at most " + (released + i - at) + " releases");
                    }
                }
                batch.put(n, h.messageId());
            }
            posted += BURN_BATCH;
            for (int i = 0; i < 2 * BURN_BATCH; i++) {
                Message m = Expect.next(burner);
                if (Expect.isClosedSignal(m)) {
                    int n = m.bhdr().channelNumber();
                    assertThat(batch.remove(n)).as("signal of channel %d", n).isEqualTo(m.bhdr().messageId());
                    released++;
                    releasedAt.put(n, released);
                } else {
                    Expect.assertReport(m, OpCode.HELLO_REQUEST, AmpeStatus.UDS_PATH_NOT_FOUND);
                }
                ampe.put(m);
            }
        }
        assertThat(violations).isEmpty();

        // Reused numbers name new connections properly; a stale post from the old owner is refused.
        ChannelGroup server = ampe.create();
        ChannelGroup client = ampe.create();
        Listener listener = Listener.open(ampe, server, transport.listenAddress(dir));
        Peers.Link link = Peers.link(ampe, client, server, listener.dial());
        assertThat(releasedAt).containsKeys(listener.channel(), link.clientChannel(), link.serverChannel());
        client.post(Peers.message(ampe, link.clientChannel(), OpCode.REQUEST, "on a reused number"));
        assertThat(Expect.application(server, OpCode.REQUEST, link.serverChannel()).body().asString())
                .isEqualTo("on a reused number");
        Rejections.assertRejected(burner, Peers.message(ampe, link.clientChannel(), OpCode.REQUEST, "stale"),
                AmpeStatus.INVALID_MCHN_GROUP);
    }
}
