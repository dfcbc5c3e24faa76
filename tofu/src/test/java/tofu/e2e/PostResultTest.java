package tofu.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.Message;
import tofu.OpCode;
import tofu.Origin;
import tofu.support.EngineTest;
import tofu.support.Expect;
import tofu.support.Listener;
import tofu.support.MessageSnapshot;
import tofu.support.Pair;
import tofu.support.Transport;

/** PROTOCOL.md §5 and §6.1: what post returns, how message ids are assigned, and the ownership of posted messages. */
class PostResultTest extends EngineTest {
    @ParameterizedTest
    @EnumSource(Transport.class)
    void returnedHeaderIsASnapshotWithTheAssignedNumbers(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir);
        Message m = p.client().message(OpCode.SIGNAL);

        BinaryHeader posted = p.client().group().post(m);

        assertThat(posted.channelNumber()).isEqualTo(p.client().channel());
        assertThat(posted.opCode()).isEqualTo(OpCode.SIGNAL);
        assertThat(posted.origin()).isEqualTo(Origin.APPLICATION);
        assertThat(posted.status()).isEqualTo(AmpeStatus.SUCCESS);
        assertThat(posted.messageId()).isNotZero();
        Message got = Expect.application(p.server().group(), OpCode.SIGNAL, p.server().channel());
        assertThat(got.bhdr().messageId()).isEqualTo(posted.messageId());

        // Two HelloRequests get two different numbers, reported in their snapshots.
        BinaryHeader first = p.client().group().post(hello(p));
        BinaryHeader second = p.client().group().post(hello(p));
        assertThat(first.opCode()).isEqualTo(OpCode.HELLO_REQUEST);
        assertThat(first.channelNumber()).isBetween(1, 65534).isNotIn(p.client().channel());
        assertThat(second.channelNumber()).isBetween(1, 65534).isNotIn(p.client().channel(), first.channelNumber());
        assertThat(second.messageId()).isGreaterThan(first.messageId());
    }

    private static Message hello(Pair p) {
        Message m = p.client().message(OpCode.REQUEST);
        p.listener().dial().format(m);
        return m;
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void idZeroGetsTheNextProcessWideIdAndOtherIdsAreKept(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir);
        long last = 0;
        for (int i = 0; i < 10; i++) {
            // Alternating between the two engines: one counter for the whole process.
            Pair.Side side = i % 2 == 0 ? p.client() : p.server();
            long id = side.post(OpCode.SIGNAL).messageId();
            assertThat(id).as("post %d", i).isGreaterThan(last);
            last = id;
        }

        Message explicit = p.client().message(OpCode.REQUEST);
        explicit.bhdr().messageId(-1L); // 2^64 - 1 as an unsigned id
        assertThat(p.client().group().post(explicit).messageId()).isEqualTo(-1L);
        for (int i = 0; i < 5; i++) {
            Expect.application(p.server().group(), OpCode.SIGNAL, p.server().channel());
        }
        Message got = Expect.application(p.server().group(), OpCode.REQUEST, p.server().channel());
        assertThat(got.bhdr().messageId()).isEqualTo(-1L);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void postIntoFillsTheCallersHeader(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir);
        BinaryHeader into = new BinaryHeader();

        for (int i = 0; i < 3; i++) {
            Message m = p.client().message(OpCode.REQUEST);
            m.bhdr().more(i < 2);
            BinaryHeader result = p.client().group().post(m, into);

            assertThat(result).isSameAs(into);
            assertThat(into.channelNumber()).isEqualTo(p.client().channel());
            assertThat(into.opCode()).isEqualTo(OpCode.REQUEST);
            assertThat(into.more()).isEqualTo(i < 2);
            Message got = Expect.application(p.server().group(), OpCode.REQUEST, p.server().channel());
            assertThat(got.bhdr().messageId()).isEqualTo(into.messageId());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aMessageQueuedForTheReceiverCannotBeHandedOffAgain(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir);
        Message m = p.server().message(OpCode.SIGNAL);
        m.body().append("mine");

        p.server().group().updateReceiver(m);

        assertThatThrownBy(() -> p.server().group().post(m)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> p.server().group().updateReceiver(m)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> p.server().ampe().put(m)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(m::bhdr).isInstanceOf(IllegalStateException.class);
        // The failed hand-offs did nothing: it comes out once, intact.
        Message got = Expect.next(p.server().group());
        assertThat(got).isSameAs(m);
        assertThat(got.body().asString()).isEqualTo("mine");
        Expect.quiet(p.server().group());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aMessageOwnedByTheEngineCannotBePostedAgain(Transport transport) throws Exception {
        // A message posted to a closed channel stays the engine's until waitReceive hands it back.
        Pair p = Pair.connect(engines, transport, dir);
        Listener listener = Listener.open(p.server().ampe(), p.server().group(), transport.listenAddress(dir));
        Message bye = p.server().message(OpCode.BYE_SIGNAL);
        bye.bhdr().channelNumber(listener.channel());
        p.server().group().post(bye);
        Expect.report(p.server().group(), OpCode.BYE_SIGNAL, AmpeStatus.CHANNEL_CLOSED);
        Expect.closedSignal(p.server().group(), listener.channel(), listener.welcomeId());
        Message m = p.server().message(OpCode.REQUEST);
        m.bhdr().channelNumber(listener.channel());
        m.body().append("late");
        MessageSnapshot before = MessageSnapshot.of(m);

        p.server().group().post(m);

        assertThatThrownBy(() -> p.server().group().post(m)).isInstanceOf(IllegalStateException.class);
        Message back = Expect.report(p.server().group(), OpCode.REQUEST, AmpeStatus.CHANNEL_CLOSED);
        assertThat(back).isSameAs(m);
        assertThat(back.bhdr().channelNumber()).isEqualTo(listener.channel());
        assertThat(back.body().asReadOnlyBuffer()).isEqualTo(before.body());
        Expect.quiet(p.server().group());
    }
}
