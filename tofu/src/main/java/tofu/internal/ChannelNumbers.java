package tofu.internal;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The channel numbers of one engine, 1..65534 (0 = unassigned, 65535 = reserved).
 *
 * <p>Fresh numbers are handed out first; a number released at channel teardown goes to the back of a FIFO and is
 * reused only when at least {@value #REUSE_DISTANCE} other numbers have been released after it, so a stale number
 * rarely names a new connection. A released number keeps its closed slot until it is reused, which is how a post to a
 * closed channel is recognised.
 *
 * <p>Thread-safe: allocation and release take this object's lock (posting threads open client and listener
 * channels, the engine thread announces accepted ones); {@link #slot(int)} is a lock-free volatile read on the post
 * path.
 */
final class ChannelNumbers {
    static final int FIRST = 1;
    static final int LAST = 65534;
    static final int REUSE_DISTANCE = 1024;

    private final AtomicReferenceArray<ChannelSlot> slots = new AtomicReferenceArray<>(LAST + 2);
    private final int[] released = new int[LAST];
    private int releasedHead;
    private int releasedCount;
    private int nextFresh = FIRST;

    /** Returns the slot currently holding number {@code n}, or null if it was never assigned. */
    ChannelSlot slot(int n) {
        return n >= FIRST && n <= LAST ? slots.get(n) : null;
    }

    /** Assigns a number to a new channel; null when every number is in use or waiting out its reuse distance. */
    synchronized ChannelSlot allocate(GroupImpl group, ChannelSlot.Kind kind) {
        int n;
        if (nextFresh <= LAST) {
            n = nextFresh++;
        } else if (releasedCount > REUSE_DISTANCE) {
            n = released[releasedHead];
            releasedHead = (releasedHead + 1) % released.length;
            releasedCount--;
        } else {
            return null;
        }
        ChannelSlot slot = new ChannelSlot(n, group, kind);
        slots.set(n, slot);
        return slot;
    }

    /** Marks the slot's channel closed and queues its number for reuse. Called once per slot. */
    synchronized void release(ChannelSlot slot) {
        slot.closed = true;
        slot.channel = null;
        released[(releasedHead + releasedCount) % released.length] = slot.number;
        releasedCount++;
    }

    /** Undoes an allocation whose post failed: the number was never seen by anyone. */
    synchronized void cancel(ChannelSlot slot) {
        slots.compareAndSet(slot.number, slot, null);
        release(slot);
    }
}
