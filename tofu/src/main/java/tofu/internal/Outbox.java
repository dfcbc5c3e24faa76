package tofu.internal;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import tofu.Message;

/**
 * A group's deliveries of one engine loop iteration, collected in a {@link DeliveryBatch} and handed to the group's
 * {@link ReceiveQueue} with one CAS ({@link #flush}).
 *
 * <p>Batches go round: the consumer empties each one and gives it back through the queue's spares, and the engine
 * takes them from there, so the steady state allocates nothing. A flush first tries to take back the batch it offered
 * last ({@link ReceiveQueue#reclaim}) and appends to it if the consumer has not taken it yet: a lagging consumer then
 * finds one batch per group, not one per loop iteration, and only a few batches are ever needed. At most
 * {@value #MAX_SPARES} spares are kept; more are left to the collector.
 *
 * <p>Confined to the engine thread. Owns the messages added until a flush succeeds (then the queue does) or they are
 * moved out ({@link #moveTo}).
 */
final class Outbox {
    static final int MAX_SPARES = 8;

    private final ReceiveQueue queue;
    /** The batch being filled; null until the first add after a flush. */
    private DeliveryBatch current;
    /** The batch offered by the last flush, perhaps still untaken in the queue; null if none. */
    private DeliveryBatch lastOffered;
    /** Emptied batches to fill next, linked through {@code next}. */
    private DeliveryBatch spares;
    private int spareCount;

    Outbox(ReceiveQueue queue) {
        this.queue = queue;
    }

    /** Adds {@code m} as the newest delivery. */
    void add(Message m) {
        if (current == null) {
            current = spare();
        }
        current.add(m);
    }

    /**
     * Adds the whole data frame of {@code length} bytes at {@code src[at]}, to which the pool lent a message, as the
     * newest delivery, in bytes ({@link DeliveryBatch#addEncoded}).
     */
    void addEncoded(ByteBuffer src, int at, int length, int channelNumber) {
        if (current == null) {
            current = spare();
        }
        current.addEncoded(src, at, length, channelNumber);
    }

    /** Deliveries added since the last flush. */
    int size() {
        return current == null ? 0 : current.size();
    }

    boolean isEmpty() {
        return size() == 0;
    }

    /** The oldest delivery added since the last flush ({@link DeliveryBatch#ENCODED} for bytes), or null. */
    Message peek() {
        return isEmpty() ? null : current.get(0);
    }

    /**
     * Hands everything added to the queue: appended to the batch offered last if the consumer has not taken it, else
     * as a new batch. Returns false once the queue is closed; the messages then stay here ({@link #moveTo}).
     */
    boolean flush() {
        DeliveryBatch added = current;
        if (added == null || added.isEmpty()) {
            return true;
        }
        DeliveryBatch offer = added;
        if (lastOffered != null && queue.reclaim(lastOffered)) {
            lastOffered.moveFrom(added); // behind the older deliveries it holds; `added` is refilled next time
            offer = lastOffered;
        }
        lastOffered = null;
        if (!queue.offerBatch(offer)) {
            current = offer; // closed (after the reclaim, if any): everything waits here in one batch
            if (offer != added) {
                keepSpare(added);
            }
            return false;
        }
        if (offer == added) {
            current = null;
        }
        lastOffered = offer;
        return true;
    }

    /**
     * Hands every message added since the last flush, oldest first, to {@code into}, and drops the frames added as
     * bytes.
     *
     * @return how many frames were dropped: their loans must end
     */
    int moveTo(Consumer<Message> into) {
        return current == null ? 0 : current.moveTo(into);
    }

    /** A batch to fill: a kept spare, else one the consumer gave back, else a new one. */
    private DeliveryBatch spare() {
        if (spares == null) {
            for (DeliveryBatch b = queue.takeSpares(); b != null; ) {
                DeliveryBatch next = b.next;
                keepSpare(b);
                b = next;
            }
        }
        DeliveryBatch b = spares;
        if (b == null) {
            return new DeliveryBatch();
        }
        spares = b.next;
        b.next = null;
        spareCount--;
        return b;
    }

    private void keepSpare(DeliveryBatch b) {
        if (spareCount < MAX_SPARES) {
            b.next = spares;
            spares = b;
            spareCount++;
        } else {
            b.next = null; // left to the collector
        }
    }
}
