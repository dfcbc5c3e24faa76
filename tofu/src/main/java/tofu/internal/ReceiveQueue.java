package tofu.internal;

import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.Message;

/**
 * A group's single FIFO of everything addressed to it: peers' frames, engine reports and receiver updates.
 *
 * <p>Producers: the engine thread (one batch per loop iteration) and threads calling {@code updateReceiver}; they
 * append under this object's monitor. Consumer: the one thread in {@code waitReceive}; it takes everything queued in
 * one step into a list of its own and serves the following calls from it without any lock, so a busy receiver and
 * the engine meet on the monitor once per batch, not once per message. Waiting uses {@code wait}/{@code notify},
 * which, unlike an AQS {@code Condition}, allocates nothing. Closing wakes the consumer with SHUTDOWN_STARTED.
 *
 * <p>The consumer list makes {@link #poll} a single-thread operation, as the {@code waitReceive} contract says: one
 * thread at a time (hand-overs between threads must happen-before, as with any unsynchronised object).
 */
final class ReceiveQueue {
    private static final long NANOS_PER_MILLI = 1_000_000L;

    /** Appended by producers; guarded by this. */
    private final MessageList messages = new MessageList();
    /** Taken by the consumer; consumer thread only. */
    private final MessageList taken = new MessageList();
    private int waiters;
    private volatile boolean closed;
    /** Messages ever appended (written under the monitor) and ever taken out by the consumer. */
    private volatile long appended;
    private final java.util.concurrent.atomic.AtomicLong consumed = new java.util.concurrent.atomic.AtomicLong();

    /** Appends a message; returns false (message not taken) once closed. */
    synchronized boolean offer(Message m) {
        if (closed) {
            return false;
        }
        messages.add(m);
        appended++;
        wakeConsumer();
        return true;
    }

    /** Appends a batch in order; returns false (nothing taken) once closed. */
    synchronized boolean offerAll(MessageList batch) {
        if (closed) {
            return false;
        }
        appended += batch.size();
        messages.addAll(batch);
        wakeConsumer();
        return true;
    }

    /**
     * Takes the next message, waiting up to {@code timeoutNanos} (0 polls, Long.MAX_VALUE waits forever). Consumer
     * thread only.
     *
     * @return the message, or null on timeout
     * @throws AmpeException SHUTDOWN_STARTED once closed
     */
    Message poll(long timeoutNanos) throws InterruptedException {
        if (closed) {
            throw shutdown();
        }
        Message m = taken.poll();
        if (m != null) {
            consumed.lazySet(consumed.get() + 1); // single consumer: a release store is enough
            return m;
        }
        synchronized (this) {
            long deadline = timeoutNanos == Long.MAX_VALUE ? 0 : System.nanoTime() + timeoutNanos;
            while (true) {
                if (closed) {
                    throw shutdown();
                }
                if (!messages.isEmpty()) {
                    taken.addAll(messages);
                    consumed.lazySet(consumed.get() + 1);
                    return taken.poll();
                }
                long remaining = timeoutNanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
                if (remaining <= 0) {
                    return null;
                }
                waiters++;
                try {
                    if (remaining == Long.MAX_VALUE) {
                        wait();
                    } else {
                        // wait(ms, ns) rounds up to whole milliseconds; never wait for 0 (that means forever).
                        wait(remaining / NANOS_PER_MILLI, (int) (remaining % NANOS_PER_MILLI));
                    }
                } finally {
                    waiters--;
                }
            }
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Closes the queue, wakes every waiter and moves the messages still queued to {@code leftovers}. */
    synchronized void close(MessageList leftovers) {
        closed = true;
        leftovers.addAll(messages);
        notifyAll();
    }

    /** Hands what the consumer had taken but not returned yet to {@code leftovers}. Consumer thread, once closed. */
    void drainTaken(MessageList leftovers) {
        leftovers.addAll(taken);
    }

    /** Messages appended and not yet handed to the consumer (a racy but never negative estimate). Any thread. */
    int depth() {
        return (int) Math.max(0, appended - consumed.get());
    }

    /** Number of queued messages (approximate while the consumer runs). */
    synchronized int size() {
        return messages.size() + taken.size();
    }

    private void wakeConsumer() {
        if (waiters > 0) {
            notify();
        }
    }

    private static AmpeException shutdown() {
        return new AmpeException(AmpeStatus.SHUTDOWN_STARTED, "the channel group is destroyed");
    }
}
