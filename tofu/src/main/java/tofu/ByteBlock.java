package tofu;

import java.util.Arrays;

/**
 * A growable byte array limited to 65535 bytes: the storage behind {@link Body} and {@link TextHeaders}.
 *
 * <p>Capacity is kept across {@link #reset()} so a pooled message stops allocating once it has grown to its working
 * size. Not thread-safe; owned by the message that holds it.
 */
final class ByteBlock {
    static final int MAX_LENGTH = 0xFFFF;
    private static final byte[] EMPTY = new byte[0];
    private static final int MIN_GROWTH = 64;

    private byte[] data = EMPTY;
    private int length;

    int length() {
        return length;
    }

    byte[] array() {
        return data;
    }

    /** Returns true if {@code extra} more bytes would still fit under {@link #MAX_LENGTH}. */
    boolean fits(int extra) {
        return extra <= MAX_LENGTH - length;
    }

    void append(byte[] src, int off, int len) {
        ensureCapacity(length + len);
        System.arraycopy(src, off, data, length, len);
        length += len;
    }

    void append(byte b) {
        ensureCapacity(length + 1);
        data[length++] = b;
    }

    /**
     * Makes the block exactly {@code newLength} bytes long and returns the array to fill (content undefined). Grows to
     * exactly {@code newLength} when needed: a decoder never allocates more than a frame declares.
     */
    byte[] resize(int newLength) {
        if (newLength > data.length) {
            data = Arrays.copyOf(data, newLength);
        }
        length = newLength;
        return data;
    }

    void reset() {
        length = 0;
    }

    /** Exchanges storage and contents with {@code other}: a frame assembled aside moves into a message, no copy. */
    void swap(ByteBlock other) {
        byte[] d = data;
        int l = length;
        data = other.data;
        length = other.length;
        other.data = d;
        other.length = l;
    }

    void copyFrom(ByteBlock other) {
        length = 0;
        append(other.data, 0, other.length);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(data, length);
    }

    private void ensureCapacity(int needed) {
        if (needed > data.length) {
            int grown = Math.max(needed, Math.max(MIN_GROWTH, data.length * 2));
            data = Arrays.copyOf(data, Math.min(grown, MAX_LENGTH));
        }
    }
}
