package tofu.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import tofu.AmpeStatus;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;
import tofu.Origin;
import tofu.internal.EngineProbe;

/**
 * Receive-and-assert helpers for what the engine hands back. Every receive is bounded by {@link Peers#WAIT_NANOS};
 * {@link #quiet} proves absence over {@link #QUIET_NANOS}.
 */
public final class Expect {
    /** How long "nothing more arrives" is observed: long enough for the engine to have produced a stray message. */
    public static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(300);

    private Expect() {
    }

    /**
     * Receives the next message other than a POOL_EMPTY signal. Those are legitimate whenever traffic outruns the
     * pool (PROTOCOL.md §6.5); tests about other things step over them, after checking they are well-formed.
     */
    public static Message next(ChannelGroup group) throws InterruptedException {
        while (true) {
            Message m = Peers.receive(group);
            if (!isPoolEmpty(m)) {
                return m;
            }
            assertThat(m.bhdr().messageId()).as("id of %s", m).isZero();
            assertThat(m.bhdr().channelNumber()).as("channel of %s", m).isBetween(1, 65534);
        }
    }

    /** Receives the next message and asserts it is an engine report with {@code op} and {@code status}. */
    public static Message report(ChannelGroup group, OpCode op, AmpeStatus status) throws InterruptedException {
        Message m = next(group);
        assertReport(m, op, status);
        return m;
    }

    /** Asserts {@code m} is an engine report with {@code op} and {@code status}. */
    public static void assertReport(Message m, OpCode op, AmpeStatus status) {
        assertThat(m.bhdr().origin()).as("origin of %s", m).isEqualTo(Origin.ENGINE);
        assertThat(m.bhdr().opCode()).as("opcode of %s", m).isEqualTo(op);
        assertThat(m.bhdr().status()).as("status of %s", m).isEqualTo(status);
    }

    /** Receives the next message and asserts it is the CHANNEL_CLOSED signal of {@code channel}. */
    public static Message closedSignal(ChannelGroup group, int channel, long openingId) throws InterruptedException {
        Message m = next(group);
        assertClosedSignal(m, channel, openingId);
        return m;
    }

    /**
     * Asserts {@code m} is the CHANNEL_CLOSED signal of {@code channel}, carrying the message id of the channel's
     * HelloRequest or WelcomeRequest.
     */
    public static void assertClosedSignal(Message m, int channel, long openingId) {
        assertThat(isClosedSignal(m)).as("%s is a CHANNEL_CLOSED signal", m).isTrue();
        assertThat(m.bhdr().channelNumber()).as("channel of %s", m).isEqualTo(channel);
        assertThat(m.bhdr().messageId()).as("message id of %s", m).isEqualTo(openingId);
    }

    /** True for the engine's CHANNEL_CLOSED signal (any channel). */
    public static boolean isClosedSignal(Message m) {
        return m.bhdr().origin() == Origin.ENGINE && m.bhdr().opCode() == OpCode.SIGNAL
                && m.bhdr().status() == AmpeStatus.CHANNEL_CLOSED;
    }

    /** True for the engine's POOL_EMPTY signal. */
    public static boolean isPoolEmpty(Message m) {
        return m.bhdr().origin() == Origin.ENGINE && m.bhdr().opCode() == OpCode.SIGNAL
                && m.bhdr().status() == AmpeStatus.POOL_EMPTY;
    }

    /** Receives the next message and asserts it is a peer's (or own) application message with {@code op}. */
    public static Message application(ChannelGroup group, OpCode op, int channel) throws InterruptedException {
        Message m = next(group);
        assertThat(m.bhdr().origin()).as("origin of %s", m).isEqualTo(Origin.APPLICATION);
        assertThat(m.bhdr().status()).as("status of %s", m).isEqualTo(AmpeStatus.SUCCESS);
        assertThat(m.bhdr().opCode()).as("opcode of %s", m).isEqualTo(op);
        assertThat(m.bhdr().channelNumber()).as("channel of %s", m).isEqualTo(channel);
        return m;
    }

    /** Asserts that nothing arrives for {@code group} within {@link #QUIET_NANOS}. */
    public static void quiet(ChannelGroup group) throws InterruptedException {
        Message m = EngineProbe.handedOut(group, group.waitReceive(QUIET_NANOS));
        assertThat(m).as("no further message").isNull();
    }
}
