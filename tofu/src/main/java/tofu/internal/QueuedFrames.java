package tofu.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The order of a channel's send queue, and the bytes of the frames in it that their posting threads encoded
 * ({@link PostQueue}): one entry per queued frame, oldest first, either {@link #MESSAGE} (the next message of the
 * queue's message ring, encoded when written) or the length of an encoded frame whose bytes wait here, positive if
 * the pool lent a message to it, negative if not.
 *
 * <p>Why the bytes are copied here: the engine routes a whole batch of posts before it writes any channel, and the
 * batch's log goes back to the post queue at the next swap. Copying an encoded frame is a sequential read of bytes
 * that lie one after another, where encoding a message reads objects another core wrote.
 *
 * <p>Memory: the byte array is created with the first encoded frame, grows by doubling to the largest backlog of
 * encoded frames, and is kept while it is at most {@value #KEPT_BYTES} bytes once empty (a busy channel does not
 * allocate it again per write), dropped if larger. Confined to the engine thread; owned by its send queue.
 */
final class QueuedFrames {
    /** An entry for a message (not an encoded frame). */
    static final int MESSAGE = 0;
    /** The largest byte array an emptied queue keeps. */
    static final int KEPT_BYTES = 16 * 1024;
    private static final int FIRST_BYTES = 1024;
    private static final int[] NO_ENTRIES = new int[0];
    private static final byte[] NO_BYTES = new byte[0];

    private int[] entries = NO_ENTRIES;
    /** Index of the oldest entry in {@link #entries} (a ring whose length is 0 or a power of two). */
    private int head;
    private int size;
    private byte[] bytes = NO_BYTES;
    /** The encoded frames' bytes are {@code bytes[byteHead, byteTail)}. */
    private int byteHead;
    private int byteTail;

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** Appends an entry for the next message of the queue. */
    void addMessage() {
        ensureEntryRoom();
        entries[(head + size) & (entries.length - 1)] = MESSAGE;
        size++;
    }

    /** Puts an entry for a message first (the queue's message ring takes the message first too). */
    void addMessageFirst() {
        ensureEntryRoom();
        head = (head - 1) & (entries.length - 1);
        entries[head] = MESSAGE;
        size++;
    }

    /** Appends an encoded frame: {@code length} bytes of {@code src} from {@code offset}. */
    void addEncoded(byte[] src, int offset, int length, boolean lent) {
        ensureByteRoom(length);
        System.arraycopy(src, offset, bytes, byteTail, length);
        byteTail += length;
        ensureEntryRoom();
        entries[(head + size) & (entries.length - 1)] = lent ? length : -length;
        size++;
    }

    /** The oldest entry: {@link #MESSAGE} or a signed frame length (see the class comment). Not empty. */
    int peek() {
        return entries[head];
    }

    /** Removes the oldest entry, a {@link #MESSAGE}. */
    void pollMessage() {
        assert entries[head] == MESSAGE;
        remove();
    }

    /** Removes the oldest entry, an encoded frame, and copies its bytes into {@code out} (which has room). */
    void pollEncodedInto(ByteBuffer out) {
        int length = Math.abs(entries[head]);
        out.put(bytes, byteHead, length);
        skipBytes(length);
        remove();
    }

    /**
     * Removes the oldest entry, an encoded frame, handing its bytes to {@code sink} (valid during the call only): for
     * a frame that comes back unsent.
     */
    <T> T pollEncoded(EncodedSink<T> sink) {
        int frame = entries[head];
        int length = Math.abs(frame);
        T result = sink.take(bytes, byteHead, length, frame > 0);
        skipBytes(length);
        remove();
        return result;
    }

    /** What takes the bytes of an encoded frame that comes back. */
    interface EncodedSink<T> {
        T take(byte[] src, int offset, int length, boolean lent);
    }

    /** Forgets every entry and drops the byte array (the channel ends). */
    void clear() {
        entries = NO_ENTRIES;
        head = 0;
        size = 0;
        bytes = NO_BYTES;
        byteHead = 0;
        byteTail = 0;
    }

    /** Bytes of encoded frames waiting. */
    int encodedBytes() {
        return byteTail - byteHead;
    }

    private void remove() {
        head = (head + 1) & (entries.length - 1);
        size--;
    }

    private void skipBytes(int length) {
        byteHead += length;
        if (byteHead == byteTail) {
            byteHead = 0;
            byteTail = 0;
            if (bytes.length > KEPT_BYTES) {
                bytes = NO_BYTES;
            }
        }
    }

    private void ensureEntryRoom() {
        if (size < entries.length) {
            return;
        }
        int[] bigger = new int[Math.max(16, entries.length * 2)];
        for (int i = 0; i < size; i++) {
            bigger[i] = entries[(head + i) & (entries.length - 1)];
        }
        entries = bigger;
        head = 0;
    }

    private void ensureByteRoom(int length) {
        if (bytes.length - byteTail >= length) {
            return;
        }
        int used = byteTail - byteHead;
        if (bytes.length - used >= length && byteHead >= used) {
            // Enough room once the waiting bytes move to the front, and they are few next to the space they free.
            System.arraycopy(bytes, byteHead, bytes, 0, used);
        } else {
            byte[] bigger = new byte[Math.max(FIRST_BYTES, Integer.highestOneBit(Math.max(1, used + length - 1)) << 1)];
            System.arraycopy(bytes, byteHead, bigger, 0, used);
            bytes = bigger;
        }
        byteHead = 0;
        byteTail = used;
    }
}
