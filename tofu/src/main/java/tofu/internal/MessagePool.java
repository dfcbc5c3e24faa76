package tofu.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import tofu.Message;

/**
 * The engine's message pool: idle messages reused so that buffers grown to the working size are not allocated again.
 *
 * <p>Why it exists: received frames are read into pool messages, so the pool bounds how much an engine buffers for
 * slow consumers (backpressure), and a warm pool makes the steady state allocation-free. Hard limit: it keeps at most
 * {@code max} idle messages (a soft bound under concurrent puts); more are left to the garbage collector.
 *
 * <p>Two stacks keep the hot paths apart. {@code put} pushes onto a lock-free stack with one CAS, so application
 * threads giving messages back never contend with the engine for a lock; takers ({@code get}, the engine's batch
 * refill) work under this object's monitor: they take the whole returned stack with one swap — never a single-node
 * pop on the lock-free stack, so there is no ABA problem — and push it as one chain on their stack of chains.
 * The order is LIFO: the most recently returned message is reused first, while it is warm in cache.
 *
 * <p>Thread-safe. A take that finds the pool empty starts a starvation episode; the first put after it reports that
 * it ended, so the engine can resume reading. The taker sets the flag before looking at the returned stack once more
 * and a putter pushes before reading the flag, so one of them always sees the other: no wake-up is lost.
 */
final class MessagePool {
    private static final MessageAccess M = MessageAccess.get();

    private final int max;
    /** Messages given back, pushed lock-free; taken whole by takers. */
    private final AtomicReference<Message> returned = new AtomicReference<>();
    /** Idle messages in both stacks. */
    private final AtomicInteger count = new AtomicInteger();
    /** Messages the engine allocated beyond the pool (deadlock rule) that have not come back yet. */
    private final AtomicInteger engineAllocated = new AtomicInteger();
    private volatile boolean starving;
    private volatile boolean closed;
    /** The takers' stack of chains (each a linked stack of messages), top last; guarded by this. */
    private Message[] chains = new Message[8];
    private int chainCount;
    private long misses;

    MessagePool(int initial, int max) {
        this.max = max;
        Message first = null;
        for (int i = 0; i < initial; i++) {
            Message m = Message.create();
            M.posted(m, true);
            M.next(m, first);
            first = m;
        }
        if (first != null) {
            chains[chainCount++] = first;
        }
        count.set(initial);
    }

    /** Takes an idle message (fresh state), or returns null and starts a starvation episode when empty. */
    synchronized Message get() {
        Message m = popIdle();
        if (m == null) {
            missed();
            m = popIdle();
        }
        return m;
    }

    /**
     * Moves up to {@code max} idle messages to {@code into}: the engine refills its receive cache with one lock
     * instead of one per frame. Taking none starts a starvation episode.
     *
     * @return how many messages were moved
     */
    synchronized int takeBatch(MessageList into, int maxCount) {
        // One look at the returned stack and one count update per batch, not per message: the batch is taken as if
        // by consecutive gets with no put in between, so the order stays LIFO.
        adoptReturned();
        int n = 0;
        while (n < maxCount && chainCount > 0) {
            n += takeFromTopChain(into, maxCount - n);
        }
        if (n == 0) {
            missed();
            adoptReturned();
            if (chainCount > 0) {
                n = takeFromTopChain(into, 1);
            }
        }
        if (n > 0) {
            count.addAndGet(-n);
        }
        return n;
    }

    /**
     * Resets {@code m} and keeps it unless the pool is full or closed.
     *
     * @return true if this put ended a starvation episode
     */
    boolean put(Message m) {
        returning(m);
        M.reset(m);
        if (reserveUpTo(1) == 0) {
            M.posted(m, false);
            return false;
        }
        // Owned by the pool now: a stale application reference throws on access, a second put is refused.
        M.posted(m, true);
        push(m, m);
        return endsStarvation();
    }

    /**
     * Resets every message of {@code list} and keeps them (up to the limit), leaving the list empty: the engine gives
     * back written messages and its unused receive cache with one CAS.
     *
     * @return true if this ended a starvation episode
     */
    boolean putAll(MessageList list) {
        if (list.isEmpty()) {
            return false;
        }
        int keep = reserveUpTo(list.size());
        // The list's own chain is kept as it is (its first `keep` messages; one link written, not one per message);
        // the rest are dropped, unlinked.
        Message first = list.peek();
        Message last = null;
        int seen = 0;
        for (Message m = first; m != null; seen++) {
            Message next = M.next(m);
            returning(m);
            M.reset(m);
            if (seen < keep) {
                M.posted(m, true);
                last = m;
            } else {
                M.posted(m, false);
                M.next(m, null);
            }
            m = next;
        }
        list.forget();
        if (last == null) {
            return false;
        }
        M.next(last, null);
        push(first, last);
        return endsStarvation();
    }

    /** Creates a message beyond the pool for a receive; it is counted until it comes back. */
    Message allocateForEngine() {
        Message m = Message.create();
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
        return count.get();
    }

    /** Returns how many takes found the pool empty. */
    synchronized long misses() {
        return misses;
    }

    int max() {
        return max;
    }

    /** Chains held by takers; never more than the idle messages (each holds at least one). For tests. */
    synchronized int chainsHeld() {
        return chainCount;
    }

    /** Drops every idle message; later puts drop theirs too. */
    synchronized void close() {
        closed = true;
        java.util.Arrays.fill(chains, null);
        chainCount = 0;
        returned.set(null);
        count.set(0);
    }

    /** Reserves room for up to {@code n} messages with one CAS; returns how many may be kept. */
    private int reserveUpTo(int n) {
        while (true) {
            int c = count.get();
            int granted = closed ? 0 : Math.max(0, Math.min(n, max - c));
            if (granted == 0 || count.compareAndSet(c, c + granted)) {
                return granted;
            }
        }
    }

    /** Pushes the chain {@code first..last} (linked through next) onto the returned stack. */
    private void push(Message first, Message last) {
        while (true) {
            Message top = returned.get();
            M.next(last, top);
            if (returned.compareAndSet(top, first)) {
                return;
            }
        }
    }

    private boolean endsStarvation() {
        return starving && clearStarving();
    }

    private synchronized boolean clearStarving() {
        if (!starving) {
            return false;
        }
        starving = false;
        return true;
    }

    /** Records a miss. Setting the flag before the caller looks again pairs with {@code put}'s push-then-check. */
    private void missed() {
        misses++;
        starving = true;
    }

    /**
     * Pops the most recently returned message. The returned stack is taken whole and pushed as one chain on the
     * takers' stack of chains, so no list is ever walked; popping from the top chain keeps the order LIFO.
     */
    private Message popIdle() {
        adoptReturned();
        Message m = popChain();
        if (m != null) {
            count.decrementAndGet();
        }
        return m;
    }

    /** Moves the whole returned stack, if any, onto the takers' stack of chains. */
    private void adoptReturned() {
        if (returned.get() != null) {
            Message r = returned.getAndSet(null);
            if (r != null) {
                if (chainCount == chains.length) {
                    chains = java.util.Arrays.copyOf(chains, chains.length * 2);
                }
                chains[chainCount++] = r;
            }
        }
    }

    /**
     * Moves up to {@code max} messages (at least 1) from the top of the top chain to {@code into} as one chain: the
     * messages are walked, but only the cut and the splice write a link. The caller updates {@code count}.
     *
     * @return how many were moved
     */
    private int takeFromTopChain(MessageList into, int max) {
        Message first = chains[chainCount - 1];
        Message last = first;
        M.posted(first, false);
        int n = 1;
        Message next;
        while (n < max && (next = M.next(last)) != null) {
            last = next;
            M.posted(last, false);
            n++;
        }
        Message rest = M.next(last);
        if (rest == null) {
            chains[--chainCount] = null;
        } else {
            chains[chainCount - 1] = rest;
            M.next(last, null);
        }
        into.addChain(first, last, n);
        return n;
    }

    /** Pops the top message of the top chain (the caller updates {@code count}), or returns null. */
    private Message popChain() {
        if (chainCount == 0) {
            return null;
        }
        Message m = chains[chainCount - 1];
        Message next = M.next(m);
        if (next == null) {
            chains[--chainCount] = null; // an exhausted chain leaves at once: every chain held has a message
        } else {
            chains[chainCount - 1] = next;
        }
        M.next(m, null);
        M.posted(m, false);
        return m;
    }
}
