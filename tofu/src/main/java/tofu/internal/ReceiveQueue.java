package tofu.internal;

import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.Message;

/**
 * A group's single FIFO of everything addressed to it: peers' frames, engine reports and receiver updates.
 *
 * <p>Producers: the engine thread (one batch per loop iteration) and threads calling {@code updateReceiver};
 * consumer: the thread in {@code waitReceive}. The list is guarded by this object's monitor, and waiting uses
 * {@code wait}/{@code notify}, which, unlike an AQS {@code Condition}, allocates nothing per wait — the receive path
 * stays allocation-free even when the consumer keeps catching up and waiting. {@code notify} is issued only when a
 * consumer waits. Closing wakes the consumer with SHUTDOWN_STARTED and hands back what was still queued.
 */
final class ReceiveQueue {
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private final MessageList messages = new MessageList();
    private int waiters;
    private boolean closed;

    /** Appends a message; returns false (message not taken) once closed. */
    synchronized boolean offer(Message m) {
        if (closed) {
            return false;
        }
        messages.add(m);
        wakeConsumer();
        return true;
    }

    /** Appends a batch in order; returns false (nothing taken) once closed. */
    synchronized boolean offerAll(MessageList batch) {
        if (closed) {
            return false;
        }
        messages.addAll(batch);
        wakeConsumer();
        return true;
    }

    /**
     * Takes the next message, waiting up to {@code timeoutNanos} (0 polls, Long.MAX_VALUE waits forever).
     *
     * @return the message, or null on timeout
     * @throws AmpeException SHUTDOWN_STARTED once closed
     */
    synchronized Message poll(long timeoutNanos) throws InterruptedException {
        long deadline = timeoutNanos == Long.MAX_VALUE ? 0 : System.nanoTime() + timeoutNanos;
        while (true) {
            if (closed) {
                throw new AmpeException(AmpeStatus.SHUTDOWN_STARTED, "the channel group is destroyed");
            }
            Message m = messages.poll();
            if (m != null) {
                return m;
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
                    long millis = remaining / NANOS_PER_MILLI;
                    wait(millis, (int) (remaining % NANOS_PER_MILLI));
                }
            } finally {
                waiters--;
            }
        }
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Closes the queue, wakes every waiter and moves the messages still queued to {@code leftovers}. */
    synchronized void close(MessageList leftovers) {
        closed = true;
        leftovers.addAll(messages);
        notifyAll();
    }

    synchronized int size() {
        return messages.size();
    }

    private void wakeConsumer() {
        if (waiters > 0) {
            notify();
        }
    }
}
