package tofu.internal;

import tofu.Message;

/**
 * A first-in first-out queue of messages in a circular array that grows by doubling and never shrinks.
 *
 * <p>Why not {@link MessageList}: a list links each message to the next through the message itself, and pooled
 * messages live in the old generation. With G1 every such store that points into another heap region dirties a card
 * that a refinement thread must scan; with thousands of pooled messages spread over several regions that costs more
 * than the rest of the engine's work on a message (docs/PERFORMANCE.md, "G1 card refinement"). A store into this
 * array dirties one card per 128 consecutive slots, and a poll writes null, which the collector's barrier skips.
 *
 * <p>Confined to one thread (the engine's); owns nothing itself: the messages belong to whoever queued them.
 */
final class MessageRing {
    private static final int INITIAL_CAPACITY = 16;

    private Message[] slots = new Message[INITIAL_CAPACITY];
    /** Index of the oldest message. */
    private int head;
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** The oldest message, or null. */
    Message peek() {
        return size == 0 ? null : slots[head];
    }

    /** The message {@code i} places after the oldest (0: the oldest); {@code i} must be below {@link #size()}. */
    Message get(int i) {
        return slots[(head + i) & (slots.length - 1)];
    }

    /** Adds {@code m} as the newest message. */
    void add(Message m) {
        if (size == slots.length) {
            grow();
        }
        slots[(head + size) & (slots.length - 1)] = m;
        size++;
    }

    /** Adds {@code m} as the oldest message: the next {@link #poll()} returns it. */
    void addFirst(Message m) {
        if (size == slots.length) {
            grow();
        }
        head = (head - 1) & (slots.length - 1);
        slots[head] = m;
        size++;
    }

    /** Removes and returns the oldest message, or null. */
    Message poll() {
        if (size == 0) {
            return null;
        }
        Message m = slots[head];
        slots[head] = null;
        head = (head + 1) & (slots.length - 1);
        size--;
        return m;
    }

    /** Moves every message, oldest first, to the end of {@code into}. */
    void moveTo(MessageList into) {
        Message m;
        while ((m = poll()) != null) {
            into.add(m);
        }
    }

    private void grow() {
        Message[] bigger = new Message[slots.length * 2];
        int first = Math.min(size, slots.length - head);
        System.arraycopy(slots, head, bigger, 0, first);
        System.arraycopy(slots, 0, bigger, first, size - first);
        slots = bigger;
        head = 0;
    }
}
