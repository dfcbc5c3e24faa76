package tofu.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;
import tofu.Message;

/**
 * Messages for one group's receive queue, oldest first, in an array that grows by doubling and keeps its size: the
 * unit in which they travel from their producer to the consumer ({@link ReceiveQueue}). A small data frame may
 * travel as its bytes instead ({@link #addEncoded}): its slot holds {@link #ENCODED} and the bytes lie in the batch's
 * log, for the consumer to decode.
 *
 * <p>Why an array and not messages linked through their {@code next} field (the form before it): a link is a reference
 * store into a pooled message, which lives in the old generation, and with G1 each such store that points into another
 * heap region dirties a card for a refinement thread to scan (with thousands of pooled messages over several regions,
 * most of them do); the consumer then walked the chain, one dependent cache miss per message. A store into this array
 * dirties one card per 128 slots, and the consumer reads independent slots.
 *
 * <p>Ownership moves with the batch as a whole: the engine fills it ({@link Outbox}), the queue holds it once offered,
 * the consumer empties it and, if {@link #recyclable}, hands it back to the engine through the queue's spares. Never
 * shared: one thread uses it at a time, and the queue's atomic operations order the hand-offs.
 */
final class DeliveryBatch {
    static final int INITIAL_CAPACITY = 64;
    /**
     * Stands in a slot for a frame delivered as bytes ({@link #addEncoded}): its message is decoded by the consumer,
     * into one the pool lent to it. Never handed to anyone, never pooled.
     */
    static final Message ENCODED = Message.create();
    private static final byte[] NO_BYTES = new byte[0];
    /** A byte log up to this size is always kept; a larger one only while it is used (see {@link #keptLog}). */
    static final int KEEP_LOG_BYTES = 256 * 1024;

    /** False for the single-message batches of {@code updateReceiver}: those are left to the collector when served. */
    final boolean recyclable;
    private Message[] slots;
    private int size;
    /** Where each {@link #ENCODED} slot's frame starts in {@link #log}; created with the first such frame. */
    private int[] offsets;
    /** The bytes of the frames delivered as bytes, one after another, and how many of them are used. */
    private byte[] log = NO_BYTES;
    private int logSize;
    /** The next batch in a stack (the queue's incoming or spares); written only by the batch's current holder. */
    DeliveryBatch next;

    /** An empty batch for the engine, reused from then on. */
    DeliveryBatch() {
        this.slots = new Message[INITIAL_CAPACITY];
        this.recyclable = true;
    }

    /** A batch of one message from a thread other than the engine's; used once. */
    DeliveryBatch(Message m) {
        this.slots = new Message[] {m};
        this.size = 1;
        this.recyclable = false;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The message {@code i} places after the oldest; {@code i} must be below {@link #size()}. */
    Message get(int i) {
        return slots[i];
    }

    /** Where the frame of slot {@code i}, an {@link #ENCODED} one, starts in {@link #log()}. */
    int offset(int i) {
        return offsets[i];
    }

    /** How many bytes of {@link #log()} hold frames. */
    int logSize() {
        return logSize;
    }

    /** The bytes of the frames delivered as bytes; valid until the batch changes. */
    byte[] log() {
        return log;
    }

    /** Adds {@code m} as the newest message. */
    void add(Message m) {
        ensureSlots(size + 1);
        slots[size++] = m;
    }

    /**
     * Adds the whole frame of {@code length} bytes at {@code src[at]} as the newest delivery, in bytes, with its
     * channel number replaced by {@code channelNumber} (the receiver's number for the channel, as a decoded frame
     * gets). {@code src}'s position does not move.
     */
    void addEncoded(ByteBuffer src, int at, int length, int channelNumber) {
        ensureSlots(size + 1);
        ensureLog(logSize + length);
        src.get(at, log, logSize, length);
        Wire.putShort(log, logSize + Wire.CHANNEL, channelNumber);
        offsets[size] = logSize;
        slots[size++] = ENCODED;
        logSize += length;
    }

    /** Moves every delivery of {@code other}, oldest first, behind this batch's; leaves {@code other} empty. */
    void moveFrom(DeliveryBatch other) {
        int n = other.size;
        ensureSlots(size + n);
        System.arraycopy(other.slots, 0, slots, size, n);
        if (other.logSize > 0) {
            int base = logSize;
            ensureLog(logSize + other.logSize);
            System.arraycopy(other.log, 0, log, base, other.logSize);
            logSize += other.logSize;
            for (int i = 0; i < n; i++) {
                if (other.slots[i] == ENCODED) {
                    offsets[size + i] = other.offsets[i] + base;
                }
            }
        }
        size += n;
        other.clear();
    }

    /**
     * Hands every message, oldest first, to {@code into}, and drops the frames delivered as bytes; leaves the batch
     * empty.
     *
     * @return how many frames were dropped: their loans must end
     */
    int moveTo(Consumer<Message> into) {
        int dropped = 0;
        for (int i = 0; i < size; i++) {
            if (slots[i] == ENCODED) {
                dropped++;
            } else {
                into.accept(slots[i]);
            }
        }
        clear();
        return dropped;
    }

    /**
     * Forgets the deliveries (null stores: nothing for the collector to refine); the capacities stay, except a byte
     * log that a burst grew beyond {@value #KEEP_LOG_BYTES} bytes and that is now used to less than a quarter.
     */
    void clear() {
        Arrays.fill(slots, 0, size, null);
        size = 0;
        log = keptLog(log, logSize);
        logSize = 0;
    }

    /**
     * The byte log to keep after one that held {@code used} bytes: {@code log} itself, or a smaller one when a burst
     * left it large and mostly idle, so that a group does not hold a burst's memory for good (up to 1 KiB per pool
     * message); steady traffic keeps its log and allocates nothing.
     */
    static byte[] keptLog(byte[] log, int used) {
        if (log.length <= KEEP_LOG_BYTES || used >= log.length / 4) {
            return log;
        }
        return new byte[Math.max(KEEP_LOG_BYTES, used * 2)];
    }

    private void ensureSlots(int needed) {
        if (needed > slots.length) {
            slots = Arrays.copyOf(slots, Integer.highestOneBit(needed - 1) << 1);
        }
        if (offsets != null && offsets.length < slots.length) {
            offsets = Arrays.copyOf(offsets, slots.length);
        }
    }

    private void ensureLog(int needed) {
        if (offsets == null) {
            offsets = new int[slots.length];
        }
        if (needed > log.length) {
            log = Arrays.copyOf(log, Math.max(needed, Math.max(1024, log.length * 2)));
        }
    }
}
