package tofu.internal;

import tofu.Message;

/**
 * A FIFO of messages linked through their intrusive {@code next} field: no nodes, no allocation. A message is in at
 * most one list at a time. Not thread-safe; owned by whoever owns the list (see each use).
 */
final class MessageList {
    private static final MessageAccess M = MessageAccess.get();

    private Message head;
    private Message tail;
    private int size;

    boolean isEmpty() {
        return head == null;
    }

    int size() {
        return size;
    }

    Message peek() {
        return head;
    }

    void add(Message m) {
        M.next(m, null);
        if (tail == null) {
            head = m;
        } else {
            M.next(tail, m);
        }
        tail = m;
        size++;
    }

    Message poll() {
        Message m = head;
        if (m != null) {
            head = M.next(m);
            if (head == null) {
                tail = null;
            }
            M.next(m, null);
            size--;
        }
        return m;
    }

    /** Moves every message of {@code other} to the end of this list, leaving {@code other} empty. */
    void addAll(MessageList other) {
        if (other.head == null) {
            return;
        }
        if (tail == null) {
            head = other.head;
        } else {
            M.next(tail, other.head);
        }
        tail = other.tail;
        size += other.size;
        other.head = null;
        other.tail = null;
        other.size = 0;
    }
}
