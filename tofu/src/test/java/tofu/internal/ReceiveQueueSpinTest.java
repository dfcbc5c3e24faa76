package tofu.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.Message;

/**
 * The receive queue's busy-wait before parking ({@code Options.spinBeforePark}): a message that arrives during the
 * spin is taken without a park; the spin never outlasts the caller's timeout; interrupt and close end it; a spin
 * that runs out ends in the usual park.
 */
class ReceiveQueueSpinTest {
    private static final long WAIT_SECONDS = 20;
    /** Longer than any test: the spin only ends by what the test does. */
    private static final long LONG_SPIN = TimeUnit.SECONDS.toNanos(60);

    private final AtomicReference<Thread> poller = new AtomicReference<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "spinning-poller");
        poller.set(t);
        return t;
    });

    @AfterEach
    void stopPoller() throws InterruptedException {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aMessageOfferedDuringTheSpinIsTakenWithoutAPark() throws Exception {
        ReceiveQueue queue = new ReceiveQueue(m -> { }, LONG_SPIN);
        Future<Message> result = executor.submit(() -> queue.poll(Long.MAX_VALUE));
        awaitSpinning();
        Message m = Message.create();
        queue.offer(m);
        assertThat(result.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(m);
    }

    @Test
    void aTimedPollEndsAtItsTimeoutEvenWhenTheSpinIsLonger() throws InterruptedException {
        ReceiveQueue queue = new ReceiveQueue(m -> { }, LONG_SPIN);
        long timeout = TimeUnit.MILLISECONDS.toNanos(50);
        long start = System.nanoTime();
        assertThat(queue.poll(timeout)).isNull();
        long took = System.nanoTime() - start;
        assertThat(took).isGreaterThanOrEqualTo(timeout).isLessThan(TimeUnit.SECONDS.toNanos(WAIT_SECONDS));
    }

    @Test
    void aShortSpinEndsInAParkAndTheNextOfferWakesIt() throws Exception {
        ReceiveQueue queue = new ReceiveQueue(m -> { }, TimeUnit.MICROSECONDS.toNanos(50));
        Future<Message> result = executor.submit(() -> queue.poll(Long.MAX_VALUE));
        awaitParked();
        Message m = Message.create();
        queue.offer(m);
        assertThat(result.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(m);
    }

    @Test
    void interruptEndsTheSpinWithInterruptedException() throws Exception {
        ReceiveQueue queue = new ReceiveQueue(m -> { }, LONG_SPIN);
        Future<Message> result = executor.submit(() -> queue.poll(Long.MAX_VALUE));
        awaitSpinning();
        poller.get().interrupt();
        assertThatThrownBy(() -> result.get(WAIT_SECONDS, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(InterruptedException.class);
        assertThat(queue.isClosed()).isFalse();
    }

    @Test
    void closeEndsTheSpinWithShutdownStarted() throws Exception {
        ReceiveQueue queue = new ReceiveQueue(m -> { }, LONG_SPIN);
        Future<Message> result = executor.submit(() -> queue.poll(Long.MAX_VALUE));
        awaitSpinning();
        queue.close(new MessageList());
        assertThatThrownBy(() -> result.get(WAIT_SECONDS, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(AmpeException.class)
                .satisfies(e -> assertThat(((AmpeException) e).status()).isEqualTo(AmpeStatus.SHUTDOWN_STARTED));
    }

    /** Waits (bounded) until the poller is inside the spin: running, in {@code spinUntilPushed}. */
    private void awaitSpinning() {
        awaitPoller(true);
    }

    /** Waits (bounded) until the poller has given up spinning and parks inside poll. */
    private void awaitParked() {
        awaitPoller(false);
    }

    private void awaitPoller(boolean spinning) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            Thread t = poller.get();
            if (t != null && inSpin(t) == spinning && inPoll(t)) {
                Thread.State s = t.getState();
                if (spinning || s == Thread.State.WAITING) {
                    return;
                }
            }
            assertThat(System.nanoTime() - deadline).as("poller reached the state in time").isNegative();
            Thread.onSpinWait();
        }
    }

    private static boolean inSpin(Thread t) {
        return onStack(t, "spinUntilPushed");
    }

    private static boolean inPoll(Thread t) {
        return onStack(t, "poll");
    }

    private static boolean onStack(Thread t, String method) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().equals(ReceiveQueue.class.getName()) && e.getMethodName().equals(method)) {
                return true;
            }
        }
        return false;
    }
}
