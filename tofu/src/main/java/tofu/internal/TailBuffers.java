package tofu.internal;

import java.nio.ByteBuffer;

/**
 * The buffers that hold what a write-blocked channel's socket did not take: the encoded tail of its last write, whose
 * messages are already back in the pool ({@link SendQueue}). A channel takes one only when a write is partial and
 * gives it back as soon as the tail is copied out again at its next write, so an idle channel owns none.
 *
 * <p>Why a few spares are kept: a sender that keeps its socket full leaves a tail at almost every write; allocating
 * each one would cost up to a write buffer of garbage per write, which is exactly what giving messages back early is
 * meant to avoid. Hard limit: at most {@value #SPARES} spares, each at most the tail it was made for rounded up to a
 * power of two (so at most the write buffer's size); spares are replaced by larger ones, never added beyond that.
 *
 * <p>Why heap buffers: a tail lives as long as its channel stays blocked, and many slow peers may each hold one; the
 * JDK's direct memory is a scarcer budget than the heap. The bytes go back out through the engine's direct write
 * buffer, so the socket still sees a direct buffer.
 *
 * <p>Confined to the engine thread; owns its spares, and a taken buffer belongs to its taker until given back.
 */
final class TailBuffers {
    static final int SPARES = 4;
    private static final int MIN_CAPACITY = 4096;

    private final ByteBuffer[] spares = new ByteBuffer[SPARES];
    private int count;

    /** A cleared buffer with room for at least {@code bytes}: the smallest spare that fits, or a new one. */
    ByteBuffer take(int bytes) {
        int best = -1;
        for (int i = 0; i < count; i++) {
            int capacity = spares[i].capacity();
            if (capacity >= bytes && (best < 0 || capacity < spares[best].capacity())) {
                best = i;
            }
        }
        if (best < 0) {
            return ByteBuffer.allocate(capacityFor(bytes));
        }
        ByteBuffer b = spares[best];
        spares[best] = spares[--count];
        spares[count] = null;
        return b.clear();
    }

    /** Takes back a buffer from {@link #take}; kept as a spare if there is room or it is larger than the smallest. */
    void giveBack(ByteBuffer b) {
        if (count < SPARES) {
            spares[count++] = b;
            return;
        }
        int smallest = 0;
        for (int i = 1; i < count; i++) {
            if (spares[i].capacity() < spares[smallest].capacity()) {
                smallest = i;
            }
        }
        if (spares[smallest].capacity() < b.capacity()) {
            spares[smallest] = b;
        }
    }

    /** Spares kept now. */
    int spares() {
        return count;
    }

    /** A power of two at least {@code bytes} and {@value #MIN_CAPACITY}, so that spares fit similar tails. */
    static int capacityFor(int bytes) {
        if (bytes <= MIN_CAPACITY) {
            return MIN_CAPACITY;
        }
        return Integer.highestOneBit(bytes - 1) << 1;
    }
}
