package tofu.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.Message;

/**
 * A group's single FIFO of everything addressed to it: peers' frames, engine reports and receiver updates. Lock-free,
 * allocation-free on the engine's path (an {@code updateReceiver} allocates its one-message batch), and it never uses
 * a monitor itself (decoding a frame delivered as bytes takes the pool's for a few stores, never across a park), so a
 * receiver on a virtual thread does not pin its carrier.
 *
 * <p><b>Batches in, an array out.</b> Producers push {@link DeliveryBatch}es onto {@code incoming}, a stack linked
 * through the batches, with one CAS per batch: the engine thread one batch per group and loop iteration (its
 * {@link Outbox}), a thread in {@code updateReceiver} a batch of its one message. The consumer (the one thread in
 * {@code waitReceive}) takes the whole stack with one CAS when its own batch is empty, copies the messages into its
 * array {@code batch} (newest at index 0, so the oldest is served first from the top), hands the emptied engine
 * batches back through {@code spares}, and then serves from its array — so a busy receiver and the engine meet once
 * per batch, not once per message. One stack for every producer keeps the group's single FIFO: a message pushed
 * after another is served after it, whichever threads pushed them. Why arrays and not messages linked through their
 * {@code next} field (the form before): with G1, a link stored into an old pooled message costs a card to refine and
 * a fence that waits for the message's cache line, and walking the chain is one dependent cache miss per message;
 * the consumer now reads independent slots and writes only nulls.
 *
 * <p><b>Fewer batches when the consumer lags.</b> Before offering a new batch the engine tries to take its previous
 * one back ({@link #reclaim}): if the consumer has not taken it yet and nothing was pushed on top of it, the engine
 * appends to it and offers it again. So a slow consumer finds one growing batch per group instead of one per loop
 * iteration, and the engine needs only a few batches, reused through {@code spares} with no allocation.
 *
 * <p><b>Who owns the batch.</b> {@code remaining} counts the messages of the batch not yet served (its top is at
 * {@code remaining - 1}); the consumer pops with a CAS on it, and {@link #close} claims the whole rest with a CAS
 * too: each message goes to exactly one of them, whichever thread closes and whatever the consumer is doing (serving,
 * parked, or never coming back). The pop's CAS is uncontended in steady state, touches a line only the consumer
 * writes, and takes no lock. While the consumer moves {@code incoming} over ({@code TRANSFER}) the batch is its
 * alone; a close that comes then marks {@code TRANSFER_CLOSED} instead of waiting, and the consumer gives that batch
 * to the pool itself before it marks the queue settled — the engine thread never waits for an application thread, and
 * {@link #awaitSettled} lets the destroying thread wait for that short step.
 *
 * <p><b>Waiting.</b> The consumer announces itself in {@code waiter} and parks ({@link LockSupport}); producers push
 * and then unpark a waiter they see. Both sides write one volatile and then read the other's, so one of them always
 * sees the other: no wake-up is lost. Parking allocates nothing (JDK 17's {@code Condition.await} allocates a node).
 *
 * <p><b>Frames delivered as bytes.</b> A small data frame may arrive as its bytes, with a pool message lent to it
 * ({@link DeliveryBatch#addEncoded}): the transfer copies those bytes into the consumer's own log, and the pop that
 * serves such a frame decodes it on the consumer's thread into the message lent to it ({@link Pool#decodeLent}) —
 * the idle message on top of the pool, usually the one this consumer just put back, still in its cache, where a
 * message decoded by the engine would be read from the engine's core. A close drops such frames and ends their
 * loans ({@link Pool#releaseLoans}).
 *
 * <p>Threads: producers any; {@link #poll} one thread at a time, as the {@code waitReceive} contract says (hand-overs
 * between threads must happen-before); {@link #close} any thread, once it counts.
 */
final class ReceiveQueue {
    private static final VarHandle INCOMING;
    private static final VarHandle REMAINING;
    private static final VarHandle SPARES;
    /** In {@code incoming} once closed: nothing more goes in. */
    private static final DeliveryBatch CLOSED = new DeliveryBatch();
    /** In {@code remaining} once closed: nothing more comes out. */
    private static final int BATCH_CLOSED = -1;
    /** In {@code remaining} while the consumer moves {@code incoming} over. */
    private static final int TRANSFER = -2;
    /** In {@code remaining}: closed during a transfer; the consumer gives back its batch, then sets BATCH_CLOSED. */
    private static final int TRANSFER_CLOSED = -3;
    private static final int INITIAL_BATCH_CAPACITY = 64;
    /** Bound of {@link #awaitSettled}: the step waited for is a short loop without I/O or locks. */
    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int SETTLE_SPINS = 100;

    static {
        // Builds one shutdown exception now, on the thread making the first group: that links the exception's message
        // concatenation (an invokedynamic call site) once. Linked first in waitReceive, when a destroy ends many
        // virtual threads' waits at once, its bootstrap pinned them (seen by the virtual-thread test on JDK 25).
        shutdown().getMessage();
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            INCOMING = lookup.findVarHandle(ReceiveQueue.class, "incoming", DeliveryBatch.class);
            SPARES = lookup.findVarHandle(ReceiveQueue.class, "spares", DeliveryBatch.class);
            REMAINING = lookup.findVarHandle(ReceiveQueue.class, "remaining", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Where a queue's messages come from and go back: its engine's pool. Any thread, as the queue's own methods.
     */
    interface Pool {
        /** Gives back a message of a batch that a close caught in transfer. */
        void recycle(Message m);

        /** Decodes the whole frame at {@code frame}'s position, delivered as bytes, into the message lent to it. */
        Message decodeLent(ByteBuffer frame);

        /** Ends the loans of {@code n} frames delivered as bytes that will never be decoded (the queue closed). */
        void releaseLoans(int n);
    }

    /** Where the consumer returns a batch that a close caught in transfer, and decodes frames delivered as bytes. */
    private final Pool pool;
    /** Batches pushed by producers, newest first; CLOSED once closed. */
    private volatile DeliveryBatch incoming;
    /** Engine batches the consumer emptied, for the engine to reuse ({@link #takeSpares}). */
    private volatile DeliveryBatch spares;
    /**
     * The consumer's batch, newest at index 0: slots {@code [0, remaining)} are not served yet. Written by the consumer
     * during a transfer (published by the write of {@code remaining}), read by a close that claimed the rest.
     */
    private Message[] batch = new Message[INITIAL_BATCH_CAPACITY];
    /**
     * For each {@link DeliveryBatch#ENCODED} slot of {@code batch}, where its frame starts in {@code frames}: the
     * consumer's copy of the bytes of the frames delivered as bytes. Consumer thread only (a close reads the slots,
     * never these).
     */
    private int[] frameOffsets = new int[INITIAL_BATCH_CAPACITY];
    private byte[] frames = new byte[0];
    private ByteBuffer framesView = ByteBuffer.wrap(frames);
    /** Messages of {@code batch} not served yet (0: empty), or one of the negative markers above. */
    private volatile int remaining;
    /** The consumer while it parks (or is about to), else null. */
    private volatile Thread waiter;
    /** Messages ever pushed, and ever handed out by {@link #poll}: the engine's estimate of the backlog. */
    private final AtomicLong appended = new AtomicLong();
    private final AtomicLong consumed = new AtomicLong();

    /** How long {@link #poll} busy-waits before it parks ({@code Options.spinBeforePark}); 0 never. */
    private final long spinNanos;

    /** A queue of {@code pool}'s messages; it never spins. */
    ReceiveQueue(Pool pool) {
        this(pool, 0);
    }

    /** A queue of {@code pool}'s messages, busy-waiting up to {@code spinNanos} before it parks. */
    ReceiveQueue(Pool pool, long spinNanos) {
        this.pool = pool;
        this.spinNanos = spinNanos;
    }

    /**
     * Appends a message; returns false (message not taken, unchanged) once closed. Any thread; allocates the message's
     * one-slot batch (this is {@code updateReceiver}'s path, not the engine's).
     */
    boolean offer(Message m) {
        if (!push(new DeliveryBatch(m))) {
            return false;
        }
        appended.incrementAndGet();
        wakeConsumer();
        return true;
    }

    /**
     * Appends a non-empty engine batch with one CAS and takes ownership of it; returns false once closed, the batch
     * left with the caller unchanged. Engine thread.
     */
    boolean offerBatch(DeliveryBatch b) {
        assert !b.isEmpty() : "an empty batch would leave the consumer nothing to serve";
        int n = b.size();
        if (!push(b)) {
            return false;
        }
        appended.addAndGet(n);
        wakeConsumer();
        return true;
    }

    /**
     * Takes back {@code b}, the engine's last offered batch, if it is still the newest in the queue (the consumer has
     * not taken it and nothing was pushed after it): the engine may then append to it and offer it again. Engine
     * thread. Only the engine pushes its batches, so {@code incoming == b} means exactly that, with no ABA.
     *
     * @return true if the engine owns {@code b} again
     */
    boolean reclaim(DeliveryBatch b) {
        if (incoming != b) {
            return false;
        }
        // b.next may be rewritten concurrently only if the consumer took b, and then the CAS fails.
        if (!INCOMING.compareAndSet(this, b, b.next)) {
            return false;
        }
        b.next = null;
        appended.addAndGet(-b.size());
        return true;
    }

    /** Takes every batch the consumer handed back, as a stack linked through {@code next}; null if none. Engine. */
    DeliveryBatch takeSpares() {
        return (DeliveryBatch) SPARES.getAndSet(this, null);
    }

    private boolean push(DeliveryBatch b) {
        DeliveryBatch top;
        do {
            top = incoming;
            if (top == CLOSED) {
                b.next = null;
                return false;
            }
            b.next = top;
        } while (!INCOMING.compareAndSet(this, top, b));
        return true;
    }

    /**
     * Takes the next message, waiting up to {@code timeoutNanos} (0 or less polls, Long.MAX_VALUE waits forever).
     * Consumer thread only. An available message is returned even if the thread is interrupted; the interrupt is
     * reported only when the call would block.
     *
     * @return the message, or null on timeout
     * @throws AmpeException        SHUTDOWN_STARTED once closed
     * @throws InterruptedException if interrupted while it would block
     */
    Message poll(long timeoutNanos) throws InterruptedException {
        Message m = popTaken();
        return m != null ? m : transferOrWait(timeoutNanos);
    }

    /** The steady state: pops the oldest of the consumer's batch with one uncontended CAS, no lock; null if none. */
    private Message popTaken() {
        int r = remaining;
        if (r > 0 && REMAINING.compareAndSet(this, r, r - 1)) {
            Message m = batch[r - 1];
            batch[r - 1] = null; // a close claims only slots below r - 1
            return counted(decoded(m, r - 1));
        }
        return null; // empty, or a close claimed the batch (the slow path then throws)
    }

    private Message transferOrWait(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            Message m = transfer();
            if (m == null) {
                m = popTaken(); // beginTransfer found a batch to serve first
            }
            if (m != null) {
                return m;
            }
            long left = timeoutNanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (spinNanos > 0 && spinUntilPushed(Math.min(spinNanos, left))) {
                continue; // something arrived without a park
            }
            waiter = Thread.currentThread();
            try {
                // Checked after announcing: a push before this sees no waiter, but is seen here.
                if (incoming == null && remaining == 0) {
                    if (left == Long.MAX_VALUE) {
                        LockSupport.park(this);
                    } else {
                        LockSupport.parkNanos(this, left);
                    }
                }
            } finally {
                waiter = null;
            }
        }
    }

    /**
     * Busy-waits up to {@code nanos} for a push (or a close); true if one came. Producers see no waiter meanwhile,
     * so they skip the unpark: that saved wake-up is the point of spinning.
     */
    private boolean spinUntilPushed(long nanos) {
        long end = System.nanoTime() + nanos;
        do {
            if (incoming != null || remaining != 0) {
                return true;
            }
            Thread.onSpinWait();
        } while (System.nanoTime() - end < 0 && !Thread.currentThread().isInterrupted());
        return false;
    }

    /**
     * Moves everything pushed so far into the batch and returns the oldest; null if nothing was pushed. Consumer
     * thread.
     */
    private Message transfer() {
        DeliveryBatch newest = beginTransfer();
        return newest == null ? null : finishTransfer(newest);
    }

    /**
     * First half of a transfer: marks the batch TRANSFER and detaches the pushed stack, now held by this thread
     * alone. Returns null, with the mark removed, if nothing was pushed. Consumer thread; package-private so that a
     * test can close the queue between the two halves.
     *
     * @throws AmpeException SHUTDOWN_STARTED once closed
     */
    DeliveryBatch beginTransfer() {
        while (!REMAINING.compareAndSet(this, 0, TRANSFER)) {
            int r = remaining;
            if (r == BATCH_CLOSED) {
                throw shutdown();
            }
            if (r > 0) {
                return null; // a batch to serve first (only if another thread served meanwhile, against the contract)
            }
            Thread.onSpinWait(); // idem: another thread's transfer
        }
        DeliveryBatch top;
        do {
            top = incoming;
            if (top == null || top == CLOSED) {
                endTransfer();
                if (top == CLOSED) {
                    throw shutdown();
                }
                return null;
            }
        } while (!INCOMING.compareAndSet(this, top, null));
        return top;
    }

    /**
     * Second half: copies the detached batches into the consumer's array (newest at index 0), hands the emptied engine
     * batches back as spares, and returns the oldest message. If the queue was closed meanwhile, nobody else can reach
     * these messages, so this thread gives them to the pool and settles the queue.
     *
     * @throws AmpeException SHUTDOWN_STARTED if closed during the transfer
     */
    Message finishTransfer(DeliveryBatch newest) {
        int n = 0;
        for (DeliveryBatch d = newest; d != null; d = d.next) {
            n += d.size();
        }
        Message[] b = batch;
        if (n > b.length) {
            b = new Message[Math.max(n, b.length * 2)]; // the old array is empty: everything in it was served
            batch = b;
            frameOffsets = new int[b.length];
        }
        int k = 0;
        int framesSize = 0; // the old frames were all decoded: everything in the batch was served
        frames = keptFrames(newest);
        DeliveryBatch emptied = null;
        DeliveryBatch emptiedLast = null;
        for (DeliveryBatch d = newest; d != null; ) {
            DeliveryBatch older = d.next;
            for (int i = d.size() - 1; i >= 0; i--) {
                Message m = d.get(i);
                if (m == DeliveryBatch.ENCODED) {
                    framesSize = copyFrame(d, i, k, framesSize);
                }
                b[k++] = m;
            }
            d.clear();
            if (d.recyclable) {
                d.next = emptied;
                emptied = d;
                if (emptiedLast == null) {
                    emptiedLast = d;
                }
            } else {
                d.next = null;
            }
            d = older;
        }
        if (emptied != null) {
            giveSpares(emptied, emptiedLast);
        }
        Message oldest = b[n - 1];
        b[n - 1] = null;
        if (REMAINING.compareAndSet(this, TRANSFER, n - 1)) {
            return counted(decoded(oldest, n - 1));
        }
        int dropped = 0;
        for (int i = n - 1; i >= 0; i--) {
            Message m = i == n - 1 ? oldest : b[i];
            b[i] = null;
            if (m == DeliveryBatch.ENCODED) {
                dropped++;
            } else {
                pool.recycle(m);
            }
        }
        pool.releaseLoans(dropped);
        remaining = BATCH_CLOSED;
        throw shutdown();
    }

    /**
     * The consumer's byte log for a transfer of the batches from {@code newest} on: the one it has, unless a burst left
     * it large and this transfer uses less than a quarter of it ({@link DeliveryBatch#keptLog}).
     */
    private byte[] keptFrames(DeliveryBatch newest) {
        if (frames.length <= DeliveryBatch.KEEP_LOG_BYTES) {
            return frames;
        }
        int bytes = 0;
        for (DeliveryBatch d = newest; d != null; d = d.next) {
            bytes += d.logSize();
        }
        byte[] kept = DeliveryBatch.keptLog(frames, bytes);
        if (kept != frames) {
            framesView = ByteBuffer.wrap(kept);
        }
        return kept;
    }

    /**
     * Copies the frame of slot {@code i} of {@code d}, delivered as bytes, to {@code frames} at {@code at} for slot
     * {@code k} of the consumer's batch; returns where the next frame goes.
     */
    private int copyFrame(DeliveryBatch d, int i, int k, int at) {
        byte[] src = d.log();
        int from = d.offset(i);
        int length = Wire.HEADER_SIZE + (Wire.getShort(src, from + Wire.TEXT_HEADERS_LENGTH) & 0xFFFF)
                + (Wire.getShort(src, from + Wire.BODY_LENGTH) & 0xFFFF);
        if (at + length > frames.length) {
            frames = Arrays.copyOf(frames, Math.max(at + length, Math.max(4096, frames.length * 2)));
            framesView = ByteBuffer.wrap(frames);
        }
        System.arraycopy(src, from, frames, at, length);
        frameOffsets[k] = at;
        return at + length;
    }

    /** Pushes the chain {@code first .. last} of emptied engine batches onto the spares, with one CAS. */
    private void giveSpares(DeliveryBatch first, DeliveryBatch last) {
        DeliveryBatch top;
        do {
            top = spares;
            last.next = top;
        } while (!SPARES.compareAndSet(this, top, first));
    }

    /** Leaves the transfer state without a batch; settles the queue if a close came meanwhile. */
    private void endTransfer() {
        if (!REMAINING.compareAndSet(this, TRANSFER, 0)) {
            remaining = BATCH_CLOSED; // was TRANSFER_CLOSED: this thread held nothing to give back
        }
    }

    /** The message of slot {@code i}: {@code m} itself, or, for a frame delivered as bytes, the frame decoded. */
    private Message decoded(Message m, int i) {
        if (m != DeliveryBatch.ENCODED) {
            return m;
        }
        ByteBuffer view = framesView;
        view.position(frameOffsets[i]);
        return pool.decodeLent(view);
    }

    private Message counted(Message m) {
        consumed.lazySet(consumed.get() + 1); // single consumer: a release store is enough
        return m;
    }

    boolean isClosed() {
        return incoming == CLOSED;
    }

    /**
     * Closes the queue: moves every message queued — pushed, or in the consumer's batch — to {@code leftovers}, ends
     * the loans of the frames delivered as bytes, refuses later offers and polls, and wakes a parked consumer. Never
     * waits: a batch the consumer is moving right now is left to it ({@link #awaitSettled}). Any thread; later calls
     * do nothing.
     */
    void close(MessageList leftovers) {
        DeliveryBatch pushed = (DeliveryBatch) INCOMING.getAndSet(this, CLOSED);
        if (pushed == CLOSED) {
            return;
        }
        int dropped = 0;
        while (true) {
            int r = remaining;
            if (r == TRANSFER) {
                if (REMAINING.compareAndSet(this, TRANSFER, TRANSFER_CLOSED)) {
                    break;
                }
            } else if (r == BATCH_CLOSED || r == TRANSFER_CLOSED) {
                break; // only one close gets here (the swap above)
            } else if (REMAINING.compareAndSet(this, r, BATCH_CLOSED)) {
                // Read after the claim: the consumer wrote these slots before it published r, and touches none of
                // them any more (its last pop, if racing, took slot r, not below).
                Message[] b = batch;
                for (int i = r - 1; i >= 0; i--) {
                    if (b[i] == DeliveryBatch.ENCODED) {
                        dropped++;
                    } else {
                        leftovers.add(b[i]);
                    }
                    b[i] = null;
                }
                break;
            }
        }
        dropped += appendOldestFirst(pushed, leftovers);
        pool.releaseLoans(dropped);
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /**
     * Waits until a batch that {@link #close} caught in the consumer's hands is back in the pool; returns at once
     * otherwise. The consumer finishes that step without blocking, so the wait is short; it is bounded anyway.
     *
     * @return false if the consumer did not finish within the bound
     */
    boolean awaitSettled() {
        if (remaining != TRANSFER_CLOSED) {
            return true;
        }
        long deadline = System.nanoTime() + SETTLE_NANOS;
        for (int spins = 0; remaining == TRANSFER_CLOSED; spins++) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            if (spins < SETTLE_SPINS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        return true;
    }

    /**
     * Moves the messages of a stack of batches (newest batch first) to {@code into}, oldest first; returns how many
     * frames delivered as bytes it dropped.
     */
    private static int appendOldestFirst(DeliveryBatch newest, MessageList into) {
        DeliveryBatch oldestFirst = null;
        for (DeliveryBatch d = newest; d != null; ) {
            DeliveryBatch older = d.next;
            d.next = oldestFirst;
            oldestFirst = d;
            d = older;
        }
        Consumer<Message> add = into::add;
        int dropped = 0;
        for (DeliveryBatch d = oldestFirst; d != null; d = d.next) {
            dropped += d.moveTo(add);
        }
        return dropped;
    }

    /** The capacity of the consumer's byte log, for tests. Consumer thread. */
    int framesCapacity() {
        return frames.length;
    }

    /** Messages appended and not yet handed to the consumer (a racy but never negative estimate). Any thread. */
    int depth() {
        return (int) Math.max(0, appended.get() - consumed.get());
    }

    private void wakeConsumer() {
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    private static AmpeException shutdown() {
        return new AmpeException(AmpeStatus.SHUTDOWN_STARTED, "the channel group is destroyed");
    }
}
