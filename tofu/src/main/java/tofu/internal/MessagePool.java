package tofu.internal;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import tofu.Message;

/**
 * The engine's message pool: idle messages reused so that buffers grown to the working size are not allocated again.
 *
 * <p>Why it exists: received frames are read into pool messages, so the pool bounds how much an engine buffers for
 * slow consumers (backpressure), and a warm pool makes the steady state allocation-free. Hard limit: it keeps at most
 * {@code max} idle messages; more are left to the garbage collector.
 *
 * <p>The idle messages are a stack in an array, under this object's monitor. Why an array and not a chain linked
 * through the messages (the pool's first form): pooled messages live in the old generation, and with G1 each
 * reference store into an old message that points into another heap region dirties a card that a refinement thread
 * must scan — a chain written on every give-back cost more than the give-back itself with thousands of messages
 * (docs/PERFORMANCE.md). Consecutive slots of the array share a card, and a take writes null, which the barrier
 * skips. The engine takes and gives back in batches ({@link #takeBatch}, {@link #putAll}), one lock per batch; an
 * application's {@code get} and {@code put} take the lock once per message, uncontended in the common case. The order
 * is LIFO: the most recently returned message is reused first, while it is warm in cache.
 *
 * <p>Thread-safe. A take that finds the pool empty starts a starvation episode; the first put after it reports that
 * it ended, so the engine can resume reading (both under the monitor, so no wake-up is lost).
 */
final class MessagePool {
    private static final MessageAccess M = MessageAccess.get();
    private static final int MIN_CAPACITY = 16;
    /**
     * The body capacity the messages of a pool are created with. Allocated with the message, the bytes of a small
     * body lie right behind its header objects, so the engine and the application touch a few neighbouring cache
     * lines per message instead of a body array somewhere else in the heap (docs/DECISIONS.md). A larger body
     * moves to a new array, or to direct memory, on its first use, as any body does.
     */
    static final int BODY_CAPACITY = 64;

    private final int max;
    /** Idle messages, for {@link #size()} without the lock; written under it. */
    private volatile int count;
    /** Messages the engine allocated beyond the pool (deadlock rule) that have not come back yet. */
    private final AtomicInteger engineAllocated = new AtomicInteger();
    /** The idle stack, top at {@code count - 1}; grows by doubling up to {@code max}; guarded by this. */
    private Message[] idle;
    private boolean starving;
    private boolean closed;
    private long misses;

    MessagePool(int initial, int max) {
        this.max = max;
        this.idle = new Message[Math.min(max, Math.max(MIN_CAPACITY, initial))];
        for (int i = 0; i < initial; i++) {
            Message m = create();
            M.posted(m, true);
            idle[i] = m;
        }
        count = initial;
    }

    /** Takes an idle message (fresh state), or returns null and starts a starvation episode when empty. */
    synchronized Message get() {
        int n = count;
        if (n == 0) {
            missed();
            return null;
        }
        return pop(n);
    }

    /**
     * Moves up to {@code maxCount} idle messages to {@code into}: the engine refills its receive cache with one lock
     * instead of one per frame. Taking none starts a starvation episode.
     *
     * @return how many messages were moved
     */
    synchronized int takeBatch(MessageRing into, int maxCount) {
        int n = count;
        int taken = Math.min(n, maxCount);
        if (taken == 0) {
            missed();
            return 0;
        }
        // As if by consecutive gets: the top first, so the order stays LIFO.
        for (int i = 1; i <= taken; i++) {
            Message m = idle[n - i];
            idle[n - i] = null;
            M.posted(m, false);
            into.add(m);
        }
        count = n - taken;
        return taken;
    }

    /**
     * Resets {@code m} and keeps it unless the pool is full or closed.
     *
     * @return true if this put ended a starvation episode
     */
    boolean put(Message m) {
        returning(m);
        M.reset(m);
        synchronized (this) {
            if (closed || count == max) {
                M.posted(m, false);
                return false;
            }
            // Owned by the pool now: a stale application reference throws on access, a second put is refused.
            M.posted(m, true);
            push(m);
            return endsStarvation();
        }
    }

    /**
     * Resets every message of {@code ring} and keeps them (up to the limit), leaving the ring empty: the engine gives
     * back written messages and its unused receive cache with one lock. The resets happen before the lock is taken.
     *
     * @return true if this ended a starvation episode
     */
    boolean putAll(MessageRing ring) {
        int n = ring.size();
        if (n == 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            Message m = ring.get(i);
            returning(m);
            M.reset(m);
        }
        synchronized (this) {
            int keep = closed ? 0 : Math.min(n, max - count);
            Message m;
            for (int i = 0; (m = ring.poll()) != null; i++) {
                if (i < keep) {
                    M.posted(m, true);
                    push(m);
                } else {
                    M.posted(m, false); // dropped: over the limit, or the pool is closed
                }
            }
            return keep > 0 && endsStarvation();
        }
    }

    /** Creates a message as the pool's are (with {@link #BODY_CAPACITY}), not counted anywhere. Any thread. */
    static Message create() {
        return M.create(BODY_CAPACITY);
    }

    /** Creates a message beyond the pool for a receive; it is counted until it comes back. */
    Message allocateForEngine() {
        Message m = create();
        M.engineAllocated(m, true);
        engineAllocated.incrementAndGet();
        return m;
    }

    /** Messages allocated by {@link #allocateForEngine()} that have not come back to the pool yet. */
    int engineAllocated() {
        return engineAllocated.get();
    }

    /** A message allocated beyond the pool is no longer counted once it comes back (kept or dropped). */
    private void returning(Message m) {
        if (M.engineAllocated(m)) {
            M.engineAllocated(m, false);
            engineAllocated.decrementAndGet();
        }
    }

    /** Returns the number of idle messages. */
    int size() {
        return count;
    }

    /** Returns how many takes found the pool empty. */
    synchronized long misses() {
        return misses;
    }

    int max() {
        return max;
    }

    /** Drops every idle message; later puts drop theirs too. */
    synchronized void close() {
        closed = true;
        Arrays.fill(idle, 0, count, null);
        count = 0;
    }

    private Message pop(int n) {
        Message m = idle[n - 1];
        idle[n - 1] = null;
        count = n - 1;
        M.posted(m, false);
        return m;
    }

    private void push(Message m) {
        int n = count;
        if (n == idle.length) {
            idle = Arrays.copyOf(idle, Math.min(max, idle.length * 2));
        }
        idle[n] = m;
        count = n + 1;
    }

    private boolean endsStarvation() {
        if (!starving) {
            return false;
        }
        starving = false;
        return true;
    }

    private void missed() {
        misses++;
        starving = true;
    }
}
