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
 * <p><b>Lent messages.</b> A small posted frame is encoded by the posting thread ({@link PostQueue}), and its message
 * comes back here at once, still warm in that thread's cache, instead of a window later from the engine's core
 * ({@link #putLent}). What the pool counts does not change for that: until the frame is written, one idle message is
 * <em>lent</em> to it and cannot be taken, exactly as if the message itself were still in flight; the engine
 * {@link #release}s the loan once the frame is written (or dropped), and a frame that must come back to the
 * application unsent takes its message back ({@link #reclaim}). So a sender that takes with POOL_ONLY is throttled
 * as before, and only which idle message it gets has changed — messages are interchangeable. Invariant: lent ≤ idle.
 * The limit {@code max} bounds the messages that can be taken, not the lent ones: those stand for frames in flight,
 * which the engine would otherwise hold in its send queues (a put is never refused because loans fill the pool, and
 * an ended loan beyond the limit drops a message).
 *
 * <p>The receiving side lends the same way ({@link #lend}): a small received data frame travels to its group as
 * bytes, with one idle message lent to it, and the receiver's thread decodes it into the message on top of the stack
 * ({@link #reclaim}) — usually the one it has just put back, still in its cache — instead of reading a message the
 * engine filled on another core.
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
    /** Idle messages, lent ones included; written under the lock. */
    private int count;
    /** Idle messages lent to encoded frames not yet written (see the class comment); at most {@code count}. */
    private int lent;
    /** Idle messages that may be taken ({@code count - lent}), for {@link #size()} without the lock. */
    private volatile int available;
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
        available = initial;
    }

    /** Takes an idle message (fresh state), or returns null and starts a starvation episode when empty. */
    synchronized Message get() {
        if (count - lent == 0) {
            missed();
            return null;
        }
        Message m = pop(count);
        counted();
        return m;
    }

    /**
     * Moves up to {@code maxCount} idle messages to {@code into}: the engine refills its receive cache with one lock
     * instead of one per frame. Taking none starts a starvation episode.
     *
     * @return how many messages were moved
     */
    synchronized int takeBatch(MessageRing into, int maxCount) {
        int n = count;
        int taken = Math.min(n - lent, maxCount);
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
        counted();
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
            if (closed || count - lent == max) {
                M.posted(m, false);
                return false;
            }
            // Owned by the pool now: a stale application reference throws on access, a second put is refused.
            M.posted(m, true);
            push(m);
            counted();
            return endsStarvation();
        }
    }

    /**
     * Keeps {@code m}, whose frame the posting thread has just encoded, and lends one idle message to that frame
     * until the engine {@link #release}s it (see the class comment): the number of messages that can be taken does
     * not change. Any thread; the caller owns {@code m} and gives it up here.
     *
     * @return true if a message is lent to the frame; false if the pool is closed, {@code m} then being dropped (and
     *         the frame owing the pool nothing)
     */
    boolean putLent(Message m) {
        returning(m);
        M.reset(m);
        // Owned by the pool from here, kept or not: a stale application reference throws on access.
        M.posted(m, true);
        synchronized (this) {
            if (closed) {
                return false;
            }
            push(m);
            lent++;
            return true;
        }
    }

    /**
     * Lends up to {@code n} idle messages to received frames the engine hands on as bytes (see the class comment):
     * each is taken back by the thread that decodes its frame ({@link #reclaim}), or released. Taking none starts a
     * starvation episode, as an empty {@link #takeBatch} does. Engine thread.
     *
     * @return how many messages were lent
     */
    synchronized int lend(int n) {
        int lendable = Math.min(n, count - lent);
        if (lendable == 0) {
            missed();
            return 0;
        }
        lent += lendable;
        counted();
        return lendable;
    }

    /**
     * Ends {@code n} loans: their frames were written, dropped with their connection, or not needed. Any thread; does
     * nothing once the pool is closed (the close ended every loan).
     *
     * @return true if this ended a starvation episode
     */
    synchronized boolean release(int n) {
        if (n == 0 || closed) {
            return false;
        }
        assert n <= lent : "released " + n + " of " + lent + " lent";
        lent -= n;
        while (count - lent > max) {
            pop(count); // over the limit once the loan ended: dropped, as a put would drop it
        }
        counted();
        return endsStarvation();
    }

    /**
     * Ends one loan by handing its message out: a lent frame that must come back to the application unsent, or a
     * received frame being decoded for its receiver, is decoded into it — the most recently returned idle message,
     * warm in the cache of whoever returned it. The message stays marked as not the application's (as a posted
     * message is until {@code waitReceive} hands it back), so a stale reference still throws. Never null while the
     * invariant holds (a loan has an idle message behind it); a new one if {@code lentOne} is false (the frame owes
     * the pool nothing) or after {@link #close()}. Any thread.
     */
    synchronized Message reclaim(boolean lentOne) {
        if (!lentOne || closed || lent == 0) {
            Message m = create();
            M.posted(m, true);
            return m;
        }
        lent--;
        int n = count;
        Message m = idle[n - 1]; // not pop(): it would hand the message to whoever holds a stale reference
        idle[n - 1] = null;
        count = n - 1;
        counted();
        return m;
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
            int keep = closed ? 0 : Math.min(n, max - (count - lent));
            Message m;
            for (int i = 0; (m = ring.poll()) != null; i++) {
                if (i < keep) {
                    M.posted(m, true);
                    push(m);
                } else {
                    M.posted(m, false); // dropped: over the limit, or the pool is closed
                }
            }
            counted();
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

    /** Returns the number of idle messages that can be taken (lent ones are not). Any thread, without the lock. */
    int size() {
        return available;
    }

    /** Idle messages lent to frames not yet written. */
    synchronized int lent() {
        return lent;
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
        lent = 0;
        counted();
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
            // Up to the limit plus what is lent, which is bounded by what the application posts.
            long limit = (long) max + lent + 1;
            idle = Arrays.copyOf(idle, (int) Math.max(n + 1, Math.min(limit, 2L * idle.length)));
        }
        idle[n] = m;
        count = n + 1;
    }

    /** Publishes the number that can be taken after a change. Under the lock. */
    private void counted() {
        available = count - lent;
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
