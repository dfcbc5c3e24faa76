package tofu.internal;

import tofu.Message;

/**
 * The engine's message pool: a LIFO stack of idle messages, so buffers that have grown to the working size are reused
 * instead of allocated (the recently returned message is the warmest in cache).
 *
 * <p>Why it exists: received frames are read into pool messages, so the pool bounds how much an engine buffers for
 * slow consumers (backpressure), and a warm pool makes the steady state allocation-free. Hard limit: it keeps at most
 * {@code max} idle messages; more are left to the garbage collector.
 *
 * <p>Thread-safe (one lock, held for a few instructions). A {@code get} that finds the pool empty starts a
 * starvation episode; the {@code put} that follows reports it ended, so the engine can resume reading.
 */
final class MessagePool {
    private static final MessageAccess M = MessageAccess.get();

    private final int max;
    private Message top;
    private int size;
    private boolean starving;
    private boolean closed;
    private long misses;

    MessagePool(int initial, int max) {
        this.max = max;
        for (int i = 0; i < initial; i++) {
            Message m = Message.create();
            M.posted(m, true);
            push(m);
        }
    }

    /** Takes an idle message (fresh state), or returns null and starts a starvation episode when empty. */
    synchronized Message get() {
        Message m = top;
        if (m == null) {
            starving = true;
            misses++;
            return null;
        }
        top = M.next(m);
        M.next(m, null);
        M.posted(m, false);
        size--;
        return m;
    }

    /**
     * Resets {@code m} and keeps it unless the pool is full or closed.
     *
     * @return true if this put ended a starvation episode
     */
    boolean put(Message m) {
        M.reset(m);
        synchronized (this) {
            if (closed || size >= max) {
                M.posted(m, false);
                return false;
            }
            // Owned by the pool now: a stale application reference throws on access, a second put is refused.
            M.posted(m, true);
            push(m);
            boolean ended = starving;
            starving = false;
            return ended;
        }
    }

    /**
     * Moves up to {@code max} idle messages to {@code into}: the engine refills its receive cache in one lock
     * instead of one per frame. Taking none starts a starvation episode.
     *
     * @return how many messages were moved
     */
    synchronized int takeBatch(MessageList into, int max) {
        int n = 0;
        while (n < max && top != null) {
            Message m = top;
            top = M.next(m);
            M.posted(m, false);
            into.add(m);
            n++;
        }
        size -= n;
        if (n == 0) {
            starving = true;
            misses++;
        }
        return n;
    }

    /**
     * Resets every message of {@code list} and keeps them (up to the limit), leaving the list empty: the engine gives
     * back written messages and its unused receive cache in one lock.
     *
     * @return true if this ended a starvation episode
     */
    boolean putAll(MessageList list) {
        if (list.isEmpty()) {
            return false;
        }
        for (Message m = list.peek(); m != null; m = M.next(m)) {
            M.reset(m); // outside the lock; keeps the intrusive link
        }
        synchronized (this) {
            Message m;
            while ((m = list.poll()) != null) {
                if (closed || size >= max) {
                    M.posted(m, false);
                } else {
                    M.posted(m, true);
                    push(m);
                }
            }
            boolean ended = starving && size > 0;
            if (ended) {
                starving = false;
            }
            return ended;
        }
    }

    synchronized int size() {
        return size;
    }

    /** Returns how many gets found the pool empty. */
    synchronized long misses() {
        return misses;
    }

    int max() {
        return max;
    }

    /** Drops every idle message; later puts drop theirs too. */
    synchronized void close() {
        closed = true;
        top = null;
        size = 0;
    }

    private void push(Message m) {
        M.next(m, top);
        top = m;
        size++;
    }
}
