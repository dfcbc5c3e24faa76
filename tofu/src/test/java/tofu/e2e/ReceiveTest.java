package tofu.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tofu.AmpeStatus;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;
import tofu.support.EngineTest;
import tofu.support.Expect;
import tofu.support.Numbered;
import tofu.support.Pair;
import tofu.support.Receiver;
import tofu.support.Transport;

/** PROTOCOL.md §5 and §6.4: waitReceive's timeouts and interruption. */
class ReceiveTest extends EngineTest {
    private static final long SHORT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** "Immediately", generously: the machine is shared, but a poll must not wait for anything. */
    private static final long PROMPT_NANOS = TimeUnit.SECONDS.toNanos(1);

    @ParameterizedTest
    @EnumSource(Transport.class)
    void zeroTimeoutPolls(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir);

        long t0 = System.nanoTime();
        assertThat(p.server().group().waitReceive(0)).isNull();
        assertThat(System.nanoTime() - t0).as("an empty poll returns at once").isLessThan(PROMPT_NANOS);

        p.server().group().updateReceiver(null);
        Message m = p.server().group().waitReceive(0);
        assertThat(m).as("a queued item is returned by a poll").isNotNull();
        Expect.assertReport(m, OpCode.SIGNAL, AmpeStatus.RECEIVER_UPDATE);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void finiteTimeoutReturnsNullWhenNothingCame(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir);

        long t0 = System.nanoTime();
        Message m = p.server().group().waitReceive(SHORT_NANOS);

        assertThat(m).isNull();
        assertThat(System.nanoTime() - t0).as("waited the whole timeout").isGreaterThanOrEqualTo(SHORT_NANOS);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void alreadyInterruptedThreadGetsInterruptedException(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir);

        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> p.server().group().waitReceive(ChannelGroup.SEC_TIMEOUT))
                    .isInstanceOf(InterruptedException.class);
        } finally {
            Thread.interrupted();
        }
        p.client().post(OpCode.SIGNAL);
        Expect.application(p.server().group(), OpCode.SIGNAL, p.server().channel());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void interruptedReceiverLeavesGroupAndEngineUsable(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir);
        Receiver receiver = Receiver.blockedOn(p.server().group());

        receiver.interrupt();

        assertThat(receiver.outcome()).isInstanceOf(InterruptedException.class);
        // Traffic still flows both ways on the same channel, and another thread can receive from the group.
        Numbered.post(p.client().ampe(), p.client().group(), p.client().channel(), 3, 8);
        for (int i = 0; i < 3; i++) {
            Message m = Expect.application(p.server().group(), OpCode.REQUEST, p.server().channel());
            assertThat(Numbered.seq(m)).isEqualTo(i);
            m.bhdr().opCode(OpCode.RESPONSE);
            p.server().group().post(m);
            assertThat(Numbered.seq(Expect.application(p.client().group(), OpCode.RESPONSE, p.client().channel())))
                    .isEqualTo(i);
        }
        Receiver second = Receiver.blockedOn(p.server().group());
        p.client().post(OpCode.SIGNAL);
        Object got = second.outcome();
        assertThat(got).isInstanceOf(Message.class);
        assertThat(((Message) got).bhdr().opCode()).isEqualTo(OpCode.SIGNAL);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void updateReceiverWakesABlockedReceiver(Transport transport) throws Exception {
        Pair p = Pair.connect(engines, transport, dir);
        Receiver receiver = Receiver.blockedOn(p.server().group());

        p.server().group().updateReceiver(null);

        Object got = receiver.outcome();
        assertThat(got).isInstanceOf(Message.class);
        Expect.assertReport((Message) got, OpCode.SIGNAL, AmpeStatus.RECEIVER_UPDATE);
    }
}
