package tofu.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static tofu.AmpeFailures.assertFailsWith;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.Message;

/** A group's receive queue: FIFO, timed polls, close and interrupt behaviour of the one consumer. */
class ReceiveQueueTest {
    private static final long WAIT_SECONDS = 20;

    private final ReceiveQueue queue = new ReceiveQueue();
    private final AtomicReference<Thread> poller = new AtomicReference<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "receive-poller");
        poller.set(t);
        return t;
    });

    @AfterEach
    void stopPoller() throws InterruptedException {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void messagesComeOutInOfferOrder() throws InterruptedException {
        List<Message> offered = PostQueueTest.messages(10);
        for (Message m : offered) {
            assertThat(queue.offer(m)).isTrue();
        }
        assertThat(queue.size()).isEqualTo(10);
        for (Message m : offered) {
            assertThat(queue.poll(0)).isSameAs(m);
        }
        assertThat(queue.size()).isZero();
    }

    @Test
    void offerAllAppendsTheBatchInOrderAndEmptiesIt() throws InterruptedException {
        Message first = Message.create();
        queue.offer(first);
        List<Message> batch = PostQueueTest.messages(3);
        MessageList list = new MessageList();
        batch.forEach(list::add);
        assertThat(queue.offerAll(list)).isTrue();
        assertThat(list.isEmpty()).isTrue();
        assertThat(queue.poll(0)).isSameAs(first);
        for (Message m : batch) {
            assertThat(queue.poll(0)).isSameAs(m);
        }
    }

    @Test
    void pollZeroOrNegativeReturnsAtOnce() throws InterruptedException {
        assertThat(queue.poll(0)).isNull();
        assertThat(queue.poll(-5)).isNull();
        Message m = Message.create();
        queue.offer(m);
        assertThat(queue.poll(0)).isSameAs(m);
    }

    @Test
    void pollTimesOutWithNull() throws InterruptedException {
        long timeout = TimeUnit.MILLISECONDS.toNanos(50);
        long start = System.nanoTime();
        assertThat(queue.poll(timeout)).isNull();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(timeout);
    }

    @Test
    void aBlockedPollerGetsTheNextOffer() throws Exception {
        Future<Message> result = executor.submit(() -> queue.poll(Long.MAX_VALUE));
        awaitBlocked();
        Message m = Message.create();
        queue.offer(m);
        assertThat(result.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(m);
    }

    @Test
    void aTimedPollerGetsAnOfferBeforeItsTimeout() throws Exception {
        Future<Message> result = executor.submit(() -> queue.poll(TimeUnit.SECONDS.toNanos(WAIT_SECONDS)));
        awaitBlocked();
        MessageList batch = new MessageList();
        Message m = Message.create();
        batch.add(m);
        queue.offerAll(batch);
        assertThat(result.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(m);
    }

    @Test
    void closeHandsBackLeftoversAndRefusesEverythingAfterwards() throws InterruptedException {
        List<Message> offered = PostQueueTest.messages(3);
        offered.forEach(queue::offer);
        MessageList leftovers = new MessageList();
        queue.close(leftovers);
        assertThat(PostQueueTest.toList(leftovers)).containsExactlyElementsOf(offered);
        assertThat(queue.isClosed()).isTrue();
        assertThat(queue.size()).isZero();
        assertThat(queue.offer(Message.create())).isFalse();
        MessageList batch = new MessageList();
        batch.add(Message.create());
        assertThat(queue.offerAll(batch)).isFalse();
        assertThat(batch.size()).as("a refused batch is left with the caller").isEqualTo(1);
        assertFailsWith(AmpeStatus.SHUTDOWN_STARTED, () -> queue.poll(0));
        assertFailsWith(AmpeStatus.SHUTDOWN_STARTED, () -> queue.poll(Long.MAX_VALUE));
    }

    @Test
    void closeWakesABlockedPollerWithShutdownStarted() throws Exception {
        Future<Message> result = executor.submit(() -> queue.poll(Long.MAX_VALUE));
        awaitBlocked();
        MessageList leftovers = new MessageList();
        queue.close(leftovers);
        assertThat(leftovers.isEmpty()).isTrue();
        assertFailsWith(AmpeStatus.SHUTDOWN_STARTED, () -> unwrap(result));
    }

    @Test
    void closeWakesATimedPollerToo() throws Exception {
        Future<Message> result = executor.submit(() -> queue.poll(TimeUnit.SECONDS.toNanos(WAIT_SECONDS * 3)));
        awaitBlocked();
        long start = System.nanoTime();
        queue.close(new MessageList());
        assertFailsWith(AmpeStatus.SHUTDOWN_STARTED, () -> unwrap(result));
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(WAIT_SECONDS));
    }

    @Test
    void interruptingABlockedPollerThrowsAndTheQueueStaysUsable() throws Exception {
        Future<Message> result = executor.submit(() -> queue.poll(Long.MAX_VALUE));
        awaitBlocked();
        poller.get().interrupt();
        assertThatCause(result).isInstanceOf(InterruptedException.class);
        assertThat(queue.isClosed()).isFalse();

        Message m = Message.create();
        assertThat(queue.offer(m)).isTrue();
        assertThat(queue.poll(0)).isSameAs(m);
        Future<Message> again = executor.submit(() -> queue.poll(Long.MAX_VALUE));
        awaitBlocked();
        Message n = Message.create();
        queue.offer(n);
        assertThat(again.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(n);
    }

    @Test
    void aPollerInterruptedBeforeItWouldBlockThrowsAndTheQueueStaysUsable() throws Exception {
        Future<Message> result = executor.submit(() -> {
            Thread.currentThread().interrupt();
            return queue.poll(Long.MAX_VALUE);
        });
        assertThatCause(result).isInstanceOf(InterruptedException.class);
        Message m = Message.create();
        queue.offer(m);
        assertThat(queue.poll(0)).isSameAs(m);
    }

    /** Waits (bounded) until the poller thread is parked inside poll. */
    private void awaitBlocked() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            Thread t = poller.get();
            if (t != null) {
                Thread.State s = t.getState();
                if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) {
                    if (queueHasWaiter(t)) {
                        return;
                    }
                }
            }
            assertThat(System.nanoTime() - deadline).as("poller blocked in time").isNegative();
            Thread.onSpinWait();
        }
    }

    /** True when {@code t} is parked in ReceiveQueue.poll, not merely idle in the executor. */
    private static boolean queueHasWaiter(Thread t) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().equals(ReceiveQueue.class.getName()) && e.getMethodName().equals("poll")) {
                return true;
            }
        }
        return false;
    }

    private static Message unwrap(Future<Message> f) throws Exception {
        try {
            return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AmpeException) {
                throw (AmpeException) e.getCause();
            }
            throw e;
        }
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertThatCause(Future<Message> f) {
        try {
            Message m = f.get(WAIT_SECONDS, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + m);
        } catch (ExecutionException e) {
            return assertThat(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
