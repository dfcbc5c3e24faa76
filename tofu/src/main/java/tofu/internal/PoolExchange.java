package tofu.internal;

import tofu.BinaryHeader;
import tofu.Message;

/**
 * The engine thread's traffic with its {@link MessagePool}: receive messages are taken and written messages given
 * back in batches (one lock or CAS per batch, not per message), and reads are sized to what the pool can absorb.
 *
 * <p><b>The deadlock rule.</b> When the pool is empty while some channel of this engine cannot write (its socket is
 * full) and the receiving group has (almost) nothing left to read, a new message is allocated instead of starving:
 * the pool's messages may all sit in this engine's own send queues, stuck behind the very channel that waits for them
 * (a sender and a receiver sharing one engine), and only a reader that keeps reading can unblock them. Otherwise a
 * channel starves exactly as the pool rule of docs/PROTOCOL.md says. The rule is bounded so that no peer can drive
 * it: an accepted channel that cannot write itself (its peer does not read) never gets such a message, and at most
 * {@code maxEngineAllocated} (the pool's maximum) allocated messages may be out of the pool at once.
 *
 * <p><b>Fair share.</b> While other channels starve, one read takes at most its share of what is free (free messages
 * divided by the channels waiting for them, plus itself), so the first channel resumed cannot swallow the pool.
 *
 * <p><b>Encoded frames.</b> A small frame encoded by its posting thread owes the pool one lent message
 * ({@link MessagePool#putLent}); the loans of written frames are counted here and ended with the written messages,
 * in the same lock, and one that must come back unsent is rebuilt into the message it had lent ({@link #rebuild}).
 * A small received data frame goes to its group as bytes with one message lent to it ({@link #lendForDelivery}),
 * counted like a cached receive message: loans are taken in batches and the unused ones given back with the cache.
 *
 * <p>Confined to the engine thread. Owns the messages in its receive cache until {@link #giveBack()}, and those in
 * its written list until {@link #giveBackWritten()} (before each write) or {@link #giveBack()}; an idle engine holds
 * none.
 */
final class PoolExchange {
    private static final int RECEIVE_CACHE_BATCH = 32;
    private static final int MIN_READ = 4096;
    /** A starving channel may allocate a receive message while its group has fewer unconsumed messages than this. */
    private static final int ALLOCATE_BELOW_UNCONSUMED = 16;

    private final EngineThread thread;
    private final EngineCounters counters;
    /** Channels waiting for pool messages: a read takes its fair share while there are any. */
    private final Starvation starvation;
    private final MessagePool pool;
    private final int maxRead;
    /** Pool messages taken in one batch for decoding; given back before the loop sleeps. */
    private final MessageRing receiveCache = new MessageRing();
    /** Written messages waiting to go back to the pool in one batch. */
    private final MessageRing written = new MessageRing();
    /** Loans of written encoded frames, ended with the written messages. */
    private int lentWritten;
    /** Idle messages the pool lent to received frames handed on as bytes, taken in batches and not used yet. */
    private int deliveryLoans;
    /** Channels whose socket refused bytes at the last write; maintained by {@link IoChannel}. */
    private int writeBlockedChannels;

    private final int maxEngineAllocated;

    PoolExchange(EngineThread thread, EngineCounters counters, Starvation starvation, MessagePool pool, int maxRead,
            int maxEngineAllocated) {
        this.thread = thread;
        this.counters = counters;
        this.starvation = starvation;
        this.pool = pool;
        this.maxRead = maxRead;
        this.maxEngineAllocated = maxEngineAllocated;
    }

    /**
     * Supplies the decoder of a channel of {@code group}: from the receive cache, refilled from the pool in batches,
     * or newly allocated under the deadlock rule.
     *
     * @return a message, or null when the channel must wait for the pool
     */
    Message takeForDecode(GroupImpl group, boolean peerDoesNotRead) {
        assert thread.isCurrent();
        Message m = receiveCache.poll();
        if (m == null && pool.takeBatch(receiveCache, RECEIVE_CACHE_BATCH) > 0) {
            m = receiveCache.poll();
        }
        if (m == null && !peerDoesNotRead && mayAllocate(group)) {
            m = pool.allocateForEngine();
            counters.receiveAllocation();
        }
        return m;
    }

    private boolean mayAllocate(GroupImpl group) {
        return writeBlockedChannels > 0 && unconsumed(group) < ALLOCATE_BELOW_UNCONSUMED
                && pool.engineAllocated() < maxEngineAllocated;
    }

    /**
     * How many bytes a read may take: about as many frames as free messages can hold, at least {@value #MIN_READ}
     * bytes and at most the buffer. With no message free, only what the decoder can take without one
     * ({@code withoutMessage}: the rest of the frame in progress, or of the next header): the channel still reads, so
     * it sees its peer's close while the pool is dry, and nothing read has to be copied aside. The receive cache is
     * refilled first when it looks dry, which also registers the starvation with the pool so that the next put
     * resumes the channel.
     */
    int readLimit(GroupImpl group, int averageFrame, int withoutMessage, boolean peerDoesNotRead) {
        assert thread.isCurrent();
        int available = absorbable(group, peerDoesNotRead);
        if (available == 0 && pool.takeBatch(receiveCache, RECEIVE_CACHE_BATCH) > 0) {
            available = absorbable(group, peerDoesNotRead);
        }
        if (available == 0) {
            return Math.max(1, Math.min(maxRead, withoutMessage));
        }
        if (!starvation.isEmpty()) {
            available = Math.max(1, available / (starvation.size() + 1));
        }
        long wanted = (long) available * Math.max(BinaryHeader.SIZE, averageFrame);
        return (int) Math.max(MIN_READ, Math.min(maxRead, wanted));
    }

    /** Messages decoding may still get now: cached, pooled, or allocatable under the deadlock rule. */
    private int absorbable(GroupImpl group, boolean peerDoesNotRead) {
        int allocatable = !peerDoesNotRead && mayAllocate(group)
                ? Math.max(0, Math.min(ALLOCATE_BELOW_UNCONSUMED - unconsumed(group),
                        maxEngineAllocated - pool.engineAllocated()))
                : 0;
        return receiveCache.size() + deliveryLoans + pool.size() + allocatable;
    }

    /** Messages delivered to {@code group} and not yet taken by its receiver (an estimate). */
    private static int unconsumed(GroupImpl group) {
        return group.queue.depth() + group.outbox.size();
    }

    /** Counts a channel whose socket just refused bytes ({@code true}) or took everything again. */
    void writeBlocked(boolean blocked) {
        assert thread.isCurrent();
        writeBlockedChannels += blocked ? 1 : -1;
    }

    /**
     * Queues a written message for return to the pool with the others of its batch: its whole frame was handed to the
     * socket or to the engine's write buffer, which holds the bytes from then on.
     */
    void recycleWritten(Message m) {
        assert thread.isCurrent();
        written.add(m);
    }

    /**
     * Returns the written messages to the pool now, with one lock: a channel calls this (through its context) right
     * before the write that sends their bytes, since that write may wake the peer's reader, and through it the
     * receiver and the sender waiting for these very messages, before the engine thread runs again.
     *
     * @return true if that ended a starvation episode of the pool
     */
    boolean giveBackWritten() {
        assert thread.isCurrent();
        return pool.putAll(written) | releaseLent();
    }

    /** Counts the loan of an encoded frame that was written (or dropped with its connection): it ends with the batch. */
    void lentWritten() {
        assert thread.isCurrent();
        lentWritten++;
    }

    /**
     * Turns the encoded frame {@code [off, off + len)} of {@code src} back into a message, for a frame that comes back
     * to the application unsent: the message it had lent if {@code lent}, else a new one (its own was dropped by a
     * closed pool).
     */
    Message rebuild(byte[] src, int off, int len, boolean lent) {
        assert thread.isCurrent();
        Message m = pool.reclaim(lent);
        FrameDecoder.decodeWhole(java.nio.ByteBuffer.wrap(src, off, len), m);
        return m;
    }

    /**
     * Takes one loan for a received frame handed on as bytes ({@link MessagePool#lend}): from those taken in the last
     * batch, else a new batch. False when the pool has no idle message; the frame then takes the message path (which
     * starves, or allocates under the deadlock rule).
     */
    boolean lendForDelivery() {
        assert thread.isCurrent();
        if (deliveryLoans == 0) {
            deliveryLoans = pool.lend(RECEIVE_CACHE_BATCH);
            if (deliveryLoans == 0) {
                return false;
            }
        }
        deliveryLoans--;
        return true;
    }

    private boolean releaseLent() {
        int n = lentWritten;
        lentWritten = 0;
        return pool.release(n);
    }

    private boolean releaseDeliveryLoans() {
        int n = deliveryLoans;
        deliveryLoans = 0;
        return pool.release(n);
    }

    /** True if written messages wait to go back. */
    boolean hasWritten() {
        assert thread.isCurrent();
        return !written.isEmpty() || lentWritten > 0;
    }

    /**
     * Returns written messages, the unused receive cache and unused loans to the pool, with one lock each.
     *
     * @return true if that ended a starvation episode of the pool
     */
    boolean giveBack() {
        assert thread.isCurrent();
        return pool.putAll(written) | releaseLent() | pool.putAll(receiveCache) | releaseDeliveryLoans();
    }
}
