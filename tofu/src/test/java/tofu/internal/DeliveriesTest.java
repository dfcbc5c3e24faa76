package tofu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tofu.AmpeStatus;
import tofu.Message;
import tofu.OpCode;
import tofu.Origin;

/**
 * What the engine hands to applications, without a loop or a socket: the test thread plays the engine thread.
 * Deliveries wait in each group's outbox until the flush, keep their order per group, go back to the pool when the
 * group's queue has closed, and engine reports and signals carry what the contract says.
 */
class DeliveriesTest {
    private static final MessageAccess M = MessageAccess.get();

    private final EngineThread thread = new EngineThread();
    private final MessagePool pool = new MessagePool(0, 100);
    private final EngineCounters counters = new EngineCounters();
    private final Deliveries deliveries = new Deliveries(thread, counters, new Recycler(pool, () -> { }));
    private final TestOwner owner = new TestOwner();
    private final GroupImpl a = owner.group();
    private final GroupImpl b = owner.group();

    @BeforeEach
    void playEngineThread() {
        thread.enter();
    }

    @Test
    void deliveriesReachTheQueuesAtTheFlushInOrderPerGroup() throws InterruptedException {
        Message a1 = Message.create();
        Message b1 = Message.create();
        Message a2 = Message.create();
        deliveries.deliver(a, a1);
        deliveries.deliver(b, b1);
        deliveries.deliver(a, a2);
        assertThat(a.queue.depth()).as("nothing reaches the receiver before the flush").isZero();
        assertThat(M.isPosted(a1)).as("owned by the engine once delivered").isTrue();

        deliveries.flush();

        assertThat(a.waitReceive(0)).isSameAs(a1);
        assertThat(a.waitReceive(0)).isSameAs(a2);
        assertThat(a.waitReceive(0)).isNull();
        assertThat(b.waitReceive(0)).isSameAs(b1);
        assertThat(a.outbox.isEmpty()).isTrue();
    }

    @Test
    void deliveriesToAClosedQueueGoBackToThePool() {
        a.queue.close(new MessageList());
        deliveries.deliver(a, Message.create());
        deliveries.deliver(a, Message.create());

        deliveries.flush();

        assertThat(pool.size()).isEqualTo(2);
        assertThat(a.outbox.isEmpty()).isTrue();
    }

    @Test
    void aReportIsAnEngineReportWithItsStatusAndIsCounted() throws InterruptedException {
        Message m = Message.create();
        m.bhdr().opCode(OpCode.REQUEST).channelNumber(3).messageId(9);

        deliveries.report(a, m, AmpeStatus.CHANNEL_CLOSED);
        deliveries.flush();

        Message got = a.waitReceive(0);
        assertThat(got).isSameAs(m);
        assertThat(got.bhdr().origin()).isEqualTo(Origin.ENGINE);
        assertThat(got.bhdr().status()).isEqualTo(AmpeStatus.CHANNEL_CLOSED);
        assertThat(got.bhdr().messageId()).isEqualTo(9);
        assertThat(stats().returnedByStatus()).containsEntry(AmpeStatus.CHANNEL_CLOSED, 1L);
    }

    @Test
    void theClosedSignalNamesItsReasonAndDetail() throws InterruptedException {
        deliveries.closedSignal(a, 7, 42, AmpeStatus.PEER_DISCONNECTED, null);
        deliveries.closedSignal(a, 8, 43, AmpeStatus.PROCESSING_FAILED, "frame too long");
        deliveries.flush();

        Message first = a.waitReceive(0);
        assertThat(first.bhdr().opCode()).isEqualTo(OpCode.SIGNAL);
        assertThat(first.bhdr().status()).isEqualTo(AmpeStatus.CHANNEL_CLOSED);
        assertThat(first.bhdr().channelNumber()).isEqualTo(7);
        assertThat(first.bhdr().messageId()).isEqualTo(42);
        assertThat(first.isFromEngine()).isTrue();
        assertThat(first.thdrs().get(Deliveries.REASON_HEADER)).isEqualTo("PEER_DISCONNECTED");
        assertThat(a.waitReceive(0).thdrs().get(Deliveries.REASON_HEADER))
                .isEqualTo("PROCESSING_FAILED: frame too long");
    }

    @Test
    void poolEmptyIsSignalledAtMostOncePerSecondPerGroup() throws InterruptedException {
        deliveries.reportPoolEmpty(a, 1);
        deliveries.reportPoolEmpty(a, 2);
        deliveries.reportPoolEmpty(b, 3);
        deliveries.flush();

        Message signal = a.waitReceive(0);
        assertThat(signal.bhdr().status()).isEqualTo(AmpeStatus.POOL_EMPTY);
        assertThat(signal.bhdr().channelNumber()).isEqualTo(1);
        assertThat(a.waitReceive(0)).as("the second report within a second is dropped").isNull();
        assertThat(b.waitReceive(0).bhdr().channelNumber()).as("each group has its own interval").isEqualTo(3);

        a.lastPoolEmptyNanos -= 2_000_000_000L; // as if the last signal went out two seconds ago
        deliveries.reportPoolEmpty(a, 4);
        deliveries.flush();
        assertThat(a.waitReceive(0).bhdr().channelNumber()).isEqualTo(4);
    }

    @Test
    void explainAddsTheReasonHeader() {
        Message m = Message.create();
        deliveries.explain(m, "send queue full");
        assertThat(m.thdrs().get(Deliveries.REASON_HEADER)).isEqualTo("send queue full");
    }

    @Test
    void aCallFromAnotherThreadFailsItsAssertion() throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                deliveries.deliver(a, Message.create());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        other.start();
        other.join(10_000);
        assertThat(other.isAlive()).isFalse();
        assertThat(failure.get()).isInstanceOf(AssertionError.class);
        assertThat(a.outbox.isEmpty()).isTrue();
    }

    private tofu.EngineStats stats() {
        return counters.snapshot(0, new ArrayList<>(), 0, pool, new Admission(0));
    }
}
