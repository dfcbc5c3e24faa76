package tofu.internal;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.Message;

/**
 * A group's single FIFO of everything addressed to it: peers' frames, engine reports and receiver updates.
 *
 * <p>Producers: the engine thread and threads calling {@code updateReceiver}; consumer: the one thread in
 * {@code waitReceive}. One lock guards the list; the condition is signalled only when a consumer waits, so a busy
 * consumer costs producers no futex call. Closing wakes the consumer with SHUTDOWN_STARTED and hands back what was
 * still queued.
 */
final class ReceiveQueue {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final MessageList messages = new MessageList();
    private int waiters;
    private boolean closed;

    /** Appends a message; returns false (message not taken) once closed. */
    boolean offer(Message m) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            messages.add(m);
            if (waiters > 0) {
                notEmpty.signal();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Appends a batch in order; returns false (nothing taken) once closed. */
    boolean offerAll(MessageList batch) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            messages.addAll(batch);
            if (waiters > 0) {
                notEmpty.signal();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the next message, waiting up to {@code timeoutNanos} (0 polls, Long.MAX_VALUE waits forever).
     *
     * @return the message, or null on timeout
     * @throws AmpeException SHUTDOWN_STARTED once closed
     */
    Message poll(long timeoutNanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long remaining = timeoutNanos;
            while (true) {
                if (closed) {
                    throw new AmpeException(AmpeStatus.SHUTDOWN_STARTED, "the channel group is destroyed");
                }
                Message m = messages.poll();
                if (m != null) {
                    return m;
                }
                if (remaining <= 0) {
                    return null;
                }
                waiters++;
                try {
                    if (remaining == Long.MAX_VALUE) {
                        notEmpty.await();
                    } else {
                        remaining = notEmpty.awaitNanos(remaining);
                    }
                } finally {
                    waiters--;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Closes the queue, wakes every waiter and moves the messages still queued to {@code leftovers}. */
    void close(MessageList leftovers) {
        lock.lock();
        try {
            closed = true;
            leftovers.addAll(messages);
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return messages.size();
        } finally {
            lock.unlock();
        }
    }
}
