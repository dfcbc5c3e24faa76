package tofu.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.Message;
import tofu.OpCode;
import tofu.Origin;
import tofu.support.EngineTest;
import tofu.support.Expect;
import tofu.support.MessageSnapshot;
import tofu.support.Pair;
import tofu.support.Transport;

/**
 * PROTOCOL.md §6.2 and §6.6: updateReceiver items, their FIFO place among other items, and origin as the receiver sees
 * it.
 */
class NotificationsTest extends EngineTest {
    @ParameterizedTest
    @EnumSource(Transport.class)
    void updateReceiverWithNullQueuesAnEngineSignal(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir);

        p.server().group().updateReceiver(null);

        Message m = Expect.report(p.server().group(), OpCode.SIGNAL, AmpeStatus.RECEIVER_UPDATE);
        assertThat(m.bhdr().channelNumber()).isZero();
        assertThat(m.bhdr().messageId()).isZero();
        assertThat(m.hasMore()).isFalse();
        assertThat(m.thdrs().length()).isZero();
        assertThat(m.body().length()).isZero();
        Expect.quiet(p.server().group());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void updateReceiverWithAMessageQueuesThatMessageMarked(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir);
        Message update = p.server().message(OpCode.RESPONSE);
        update.bhdr().messageId(99).more(true);
        update.thdrs().append("Progress", "50%");
        update.body().append("half way");
        MessageSnapshot before = MessageSnapshot.of(update);

        p.server().group().updateReceiver(update);

        Message m = Expect.next(p.server().group());
        assertThat(m).isSameAs(update);
        assertThat(m.bhdr().origin()).isEqualTo(Origin.APPLICATION);
        assertThat(m.bhdr().status()).isEqualTo(AmpeStatus.RECEIVER_UPDATE);
        assertUntouchedButStatus(m, before);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void updateReceiverTurnsAnEngineReportIntoAnApplicationItem(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir);
        p.server().group().updateReceiver(null);
        Message report = Expect.report(p.server().group(), OpCode.SIGNAL, AmpeStatus.RECEIVER_UPDATE);
        report.body().append("again");
        MessageSnapshot before = MessageSnapshot.of(report);

        p.server().group().updateReceiver(report);

        Message m = Expect.next(p.server().group());
        assertThat(m).isSameAs(report);
        assertThat(m.bhdr().origin()).isEqualTo(Origin.APPLICATION);
        assertThat(m.bhdr().status()).isEqualTo(AmpeStatus.RECEIVER_UPDATE);
        assertThat(m.bhdr().opCode()).isEqualTo(before.header().opCode());
        assertThat(m.body().asString()).isEqualTo("again");
    }

    private static void assertUntouchedButStatus(Message m, MessageSnapshot before) {
        assertThat(m.bhdr().opCode()).isEqualTo(before.header().opCode());
        assertThat(m.bhdr().channelNumber()).isEqualTo(before.header().channelNumber());
        assertThat(m.bhdr().messageId()).isEqualTo(before.header().messageId());
        assertThat(m.bhdr().more()).isEqualTo(before.header().more());
        assertThat(m.thdrs().toList()).isEqualTo(before.headers());
        assertThat(m.body().asReadOnlyBuffer()).isEqualTo(before.body());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void updatesKeepTheirFifoPlaceAmongPeerMessages(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir);
        Message first = p.server().message(OpCode.SIGNAL);
        first.body().append("u1");

        // Each item is queued before the next one can exist, so this is the only order FIFO allows.
        p.server().group().updateReceiver(first);
        Message r1 = p.client().message(OpCode.REQUEST);
        r1.body().append("r1");
        p.client().group().post(r1);
        Message r2 = p.client().message(OpCode.REQUEST);
        r2.body().append("r2");
        p.client().group().post(r2);

        assertThat(Expect.next(p.server().group()).body().asString()).isEqualTo("u1");
        assertThat(Expect.application(p.server().group(), OpCode.REQUEST, p.server().channel()).body().asString())
                .isEqualTo("r1");
        assertThat(Expect.application(p.server().group(), OpCode.REQUEST, p.server().channel()).body().asString())
                .isEqualTo("r2");

        Message u2 = p.server().message(OpCode.SIGNAL);
        u2.body().append("u2");
        Message u3 = p.server().message(OpCode.SIGNAL);
        u3.body().append("u3");
        p.server().group().updateReceiver(u2);
        p.server().group().updateReceiver(null);
        p.server().group().updateReceiver(u3);
        assertThat(Expect.next(p.server().group())).isSameAs(u2);
        Expect.report(p.server().group(), OpCode.SIGNAL, AmpeStatus.RECEIVER_UPDATE);
        assertThat(Expect.next(p.server().group())).isSameAs(u3);
        Expect.quiet(p.server().group());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aRepostedEngineReportTravelsAsAnApplicationMessage(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir);
        p.client().group().updateReceiver(null);
        Message report = Expect.report(p.client().group(), OpCode.SIGNAL, AmpeStatus.RECEIVER_UPDATE);
        report.bhdr().channelNumber(p.client().channel());

        BinaryHeader posted = p.client().group().post(report);

        assertThat(posted.origin()).isEqualTo(Origin.APPLICATION);
        assertThat(posted.status()).isEqualTo(AmpeStatus.SUCCESS);
        Message got = Expect.application(p.server().group(), OpCode.SIGNAL, p.server().channel());
        assertThat(got.bhdr().messageId()).isEqualTo(posted.messageId());
    }
}
