package tofu.internal;

import java.util.Arrays;
import java.util.function.Consumer;
import tofu.Message;

/**
 * Messages for one group's receive queue, oldest first, in an array that grows by doubling and keeps its size: the
 * unit in which they travel from their producer to the consumer ({@link ReceiveQueue}).
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

    /** False for the single-message batches of {@code updateReceiver}: those are left to the collector when served. */
    final boolean recyclable;
    private Message[] slots;
    private int size;
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

    /** Adds {@code m} as the newest message. */
    void add(Message m) {
        if (size == slots.length) {
            slots = Arrays.copyOf(slots, size * 2);
        }
        slots[size++] = m;
    }

    /** Moves every message of {@code other}, oldest first, behind this batch's; leaves {@code other} empty. */
    void moveFrom(DeliveryBatch other) {
        int n = other.size;
        if (size + n > slots.length) {
            slots = Arrays.copyOf(slots, Integer.highestOneBit(size + n - 1) << 1);
        }
        System.arraycopy(other.slots, 0, slots, size, n);
        size += n;
        other.clear();
    }

    /** Hands every message, oldest first, to {@code into}; leaves the batch empty. */
    void moveTo(Consumer<Message> into) {
        for (int i = 0; i < size; i++) {
            into.accept(slots[i]);
        }
        clear();
    }

    /** Forgets the messages (null stores: nothing for the collector to refine); the capacity stays. */
    void clear() {
        Arrays.fill(slots, 0, size, null);
        size = 0;
    }
}
