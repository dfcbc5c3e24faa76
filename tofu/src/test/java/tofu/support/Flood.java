package tofu.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import tofu.AmpeStatus;
import tofu.ChannelStats;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;
import tofu.Origin;

/**
 * Fills a connection until the sender's engine holds unsent messages: the receiving engine has a tiny pool and its
 * application holds what it received, so the receiver stops reading (PROTOCOL.md §6.5) and the kernel buffers fill. The
 * flood is larger than anything loopback buffers hold (Linux: TCP up to 32 MiB receive + 4 MiB send; UDS ~200 KiB),
 * so part of it is certainly still queued in the sending engine.
 */
public final class Flood {
    /** Options for the starving receiver's engine. */
    public static final Options TINY_POOL = new Options(2, 2);
    /** Body size of each flood message. */
    public static final int BODY = 48 * 1024;
    /** Number of flood messages: 48 MiB in all. */
    public static final int FRAMES = 1000;

    private Flood() {
    }

    /**
     * Posts {@link #FRAMES} numbered messages from {@code from} and waits (bounded) until its engine has taken every
     * one into the channel's send queue: a peer that vanishes from now on must find them all there (otherwise a late
     * post to the closed channel comes back after the CHANNEL_CLOSED signal, as it should, and the test would race).
     */
    public static void send(Pair.Side from) {
        Numbered.post(from.ampe(), from.group(), from.channel(), FRAMES, BODY);
        long deadline = System.nanoTime() + Peers.WAIT_NANOS;
        while (true) {
            ChannelStats cs = from.reactor().stats().channels().stream()
                    .filter(c -> c.channelNumber() == from.channel()).findFirst().orElse(null);
            if (cs == null || cs.messagesOut() + cs.sendQueueDepth() >= FRAMES + 1) {
                return; // all taken (the HelloRequest went first), or the channel is gone already
            }
            assertThat(System.nanoTime() - deadline).as("the engine takes the flood in time: %s", cs).isNegative();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    /**
     * Receives on {@code to} and keeps every message (so none goes back to the pool) until the POOL_EMPTY signal for
     * its channel. Returns the held messages, checked to be numbered 0, 1, 2, ...; the caller gives them back (with
     * {@link #release}) when the receiver should read again.
     */
    public static List<Message> holdUntilPoolEmpty(Pair.Side to) throws InterruptedException {
        List<Message> held = new ArrayList<>();
        while (true) {
            Message m = Peers.receive(to.group());
            if (Expect.isPoolEmpty(m)) {
                assertThat(m.bhdr().channelNumber()).as("the starving channel").isEqualTo(to.channel());
                assertThat(m.bhdr().messageId()).isZero();
                return held;
            }
            assertThat(m.bhdr().opCode()).as("%s", m).isEqualTo(OpCode.REQUEST);
            assertThat(Numbered.seq(m)).as("received in order").isEqualTo(held.size());
            held.add(m);
        }
    }

    /** Puts held messages back into {@code side}'s pool. */
    public static void release(Pair.Side side, List<Message> held) {
        held.forEach(side.ampe()::put);
        held.clear();
    }

    /**
     * Receives on {@code side} until its CHANNEL_CLOSED signal; every flood message before it must be an engine
     * report whose status satisfies {@code status}. Returns the returned sequence numbers (skipping POOL_EMPTY).
     */
    public static List<Integer> returnedUntilClosed(Pair.Side side, long helloId, Predicate<AmpeStatus> status)
            throws InterruptedException {
        List<Integer> returned = new ArrayList<>();
        while (true) {
            Message m = Expect.next(side.group());
            if (Expect.isClosedSignal(m)) {
                Expect.assertClosedSignal(m, side.channel(), helloId);
                return returned;
            }
            assertThat(m.bhdr().origin()).as("%s", m).isEqualTo(Origin.ENGINE);
            assertThat(m.bhdr().opCode()).as("%s", m).isEqualTo(OpCode.REQUEST);
            assertThat(m.bhdr().channelNumber()).isEqualTo(side.channel());
            assertThat(status.test(m.bhdr().status())).as("status of %s", m).isTrue();
            returned.add(Numbered.seq(m));
            side.ampe().put(m);
        }
    }

    /**
     * Receives on {@code side} until its CHANNEL_CLOSED signal: the flood messages delivered there must continue the
     * sequence from {@code firstSeq} without gaps. Each is put back at once so reading goes on. Returns the sequence
     * number that would have come next (the number of flood messages delivered in all).
     */
    public static int deliveredUntilClosed(Pair.Side side, long helloId, int firstSeq) throws InterruptedException {
        int next = firstSeq;
        while (true) {
            Message m = Expect.next(side.group());
            if (Expect.isClosedSignal(m)) {
                Expect.assertClosedSignal(m, side.channel(), helloId);
                return next;
            }
            assertThat(m.bhdr().origin()).as("%s", m).isEqualTo(Origin.APPLICATION);
            assertThat(m.bhdr().opCode()).as("%s", m).isEqualTo(OpCode.REQUEST);
            assertThat(Numbered.seq(m)).as("delivered in order, no gap").isEqualTo(next);
            next++;
            side.ampe().put(m);
        }
    }

    /** Asserts {@code returned} is a non-empty run ending with the last flood message: the unsent tail. */
    public static void assertUnsentTail(List<Integer> returned) {
        assertThat(returned).as("some flood messages were still unsent").isNotEmpty();
        assertThat(returned).as("the unsent tail, in order").isEqualTo(range(returned.get(0), FRAMES));
    }

    /** Integers from {@code from} (inclusive) to {@code to} (exclusive). */
    public static List<Integer> range(int from, int to) {
        List<Integer> r = new ArrayList<>();
        for (int i = from; i < to; i++) {
            r.add(i);
        }
        return r;
    }
}
