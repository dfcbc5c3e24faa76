package tofu;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bytes behind a {@link Body}: a growable sequence of at most 65535 bytes, on the heap while it is small and in
 * direct memory once its capacity reaches {@link #DIRECT_FROM} bytes (4 KiB unless the system property
 * {@code tofu.body.directFrom} says otherwise).
 *
 * <p>Why two kinds: a large body in direct memory goes to the socket as it is, one element of a gathering write,
 * instead of being copied into the engine's write buffer first (that copy of a cold 16 KiB body was a third of the
 * sending engine's time); the socket reads it where the application wrote it. A small body is cheaper to copy next to
 * its neighbours, so many frames go out in one buffer, and keeps the heap's cheap allocation. A body never goes back
 * from direct to heap: a pooled message keeps the capacity it grew to, and with it its kind.
 *
 * <p>Every read and write is absolute: the direct buffer's position and limit never move, so a reader (the engine
 * encoding, the application reading) changes nothing. {@link #gatherView()} is the one exception, a duplicate of
 * the direct buffer whose position and limit the engine sets for a write.
 *
 * <p>Direct memory is freed when the collector finds the buffer unreachable, so a message dropped with a large body
 * (a pool at its maximum drops what it cannot keep) holds its memory until then; the JDK's limit
 * ({@code -XX:MaxDirectMemorySize}) bounds the total, and reaching it makes the JDK collect first.
 *
 * <p>Capacity is kept across {@link #reset()}. Not thread-safe; owned by the message that holds it.
 */
final class BodyStorage {
    /** The default capacity from which a body lives in direct memory. */
    static final int DEFAULT_DIRECT_FROM = 4096;
    /**
     * The capacity from which a body lives in direct memory: {@value #DEFAULT_DIRECT_FROM}, or the system property
     * {@code tofu.body.directFrom} (bytes; above 65535 keeps every body on the heap), read once.
     */
    static final int DIRECT_FROM = directFrom(System.getProperty("tofu.body.directFrom"));
    private static final byte[] EMPTY = new byte[0];
    private static final int MIN_GROWTH = 64;

    /**
     * The threshold a {@code tofu.body.directFrom} value asks for: a whole number of bytes, at least 1 (values above
     * 65535 mean never); the default when absent, and an {@link IllegalArgumentException} naming the property when
     * it is not such a number, so a typo fails loudly at the first message rather than silently changing nothing.
     */
    static int directFrom(String value) {
        if (value == null) {
            return DEFAULT_DIRECT_FROM;
        }
        try {
            int bytes = Integer.parseInt(value.trim());
            if (bytes >= 1) {
                return bytes;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("tofu.body.directFrom must be a number of bytes >= 1, was '" + value + "'");
    }

    private byte[] heap;
    /** The storage once the body went direct; null while it is on the heap. */
    private ByteBuffer direct;
    /** A duplicate of {@link #direct} for the engine's gathering writes; null with it. */
    private ByteBuffer gather;
    private int length;

    /**
     * Storage with {@code capacity} bytes on the heap from the start (0, or a capacity that belongs in direct memory:
     * none until the first append). Allocated here, right after the other objects of the message being built.
     */
    BodyStorage(int capacity) {
        heap = capacity == 0 || capacity >= DIRECT_FROM ? EMPTY : new byte[capacity];
    }

    int length() {
        return length;
    }

    /** The bytes the body can hold without growing. */
    int capacity() {
        return direct != null ? direct.capacity() : heap.length;
    }

    boolean isDirect() {
        return direct != null;
    }

    boolean fits(int extra) {
        return extra <= ByteBlock.MAX_LENGTH - length;
    }

    void append(byte[] src, int off, int len) {
        ensureCapacity(length + len);
        if (direct != null) {
            direct.put(length, src, off, len);
        } else {
            System.arraycopy(src, off, heap, length, len);
        }
        length += len;
    }

    /** Appends the remaining bytes of {@code src} and moves its position past them. */
    void append(ByteBuffer src) {
        int len = src.remaining();
        ensureCapacity(length + len);
        copyIn(src, length, len);
        length += len;
    }

    /** Sets the length to {@code newLength}, growing the capacity to exactly that if needed; new content undefined. */
    void resize(int newLength) {
        if (newLength > capacity()) {
            grow(newLength, false);
        }
        length = newLength;
    }

    /** Copies {@code n} bytes from {@code src}'s position to index {@code at}, and moves {@code src}'s position. */
    void copyIn(ByteBuffer src, int at, int n) {
        int p = src.position();
        if (direct != null) {
            direct.put(at, src, p, n);
        } else {
            src.get(p, heap, at, n);
        }
        src.position(p + n);
    }

    /** Copies bytes {@code [from, from + n)} to {@code dst}'s position, and moves {@code dst}'s position. */
    void copyOut(int from, int n, ByteBuffer dst) {
        int p = dst.position();
        if (direct != null) {
            dst.put(p, direct, from, n);
        } else {
            dst.put(p, heap, from, n);
        }
        dst.position(p + n);
    }

    byte get(int index) {
        return direct != null ? direct.get(index) : heap[index];
    }

    void copyTo(int offset, byte[] dst, int dstOffset, int n) {
        if (direct != null) {
            direct.get(offset, dst, dstOffset, n);
        } else {
            System.arraycopy(heap, offset, dst, dstOffset, n);
        }
    }

    byte[] toByteArray() {
        if (direct == null) {
            return Arrays.copyOf(heap, length);
        }
        byte[] copy = new byte[length];
        direct.get(0, copy);
        return copy;
    }

    String asString() {
        if (direct == null) {
            return new String(heap, 0, length, StandardCharsets.UTF_8);
        }
        return new String(toByteArray(), StandardCharsets.UTF_8);
    }

    /** A read-only view of the body's bytes, sharing them. */
    ByteBuffer asReadOnlyBuffer() {
        ByteBuffer view = direct != null ? direct.slice(0, length) : ByteBuffer.wrap(heap, 0, length).slice();
        return view.asReadOnlyBuffer();
    }

    /**
     * The direct storage for a gathering write, positioned at 0 and limited to the length: engine only, and only
     * while the engine owns the message. Null for a heap body.
     */
    ByteBuffer gatherView() {
        if (gather == null) {
            return null;
        }
        return gather.limit(length).position(0);
    }

    void reset() {
        length = 0;
    }

    /** Exchanges storage and contents with {@code other}. */
    void swap(BodyStorage other) {
        byte[] h = heap;
        ByteBuffer d = direct;
        ByteBuffer g = gather;
        int l = length;
        heap = other.heap;
        direct = other.direct;
        gather = other.gather;
        length = other.length;
        other.heap = h;
        other.direct = d;
        other.gather = g;
        other.length = l;
    }

    /** Replaces the contents with a copy of {@code other}'s. */
    void copyFrom(BodyStorage other) {
        length = 0;
        if (other.direct != null) {
            append(other.direct.slice(0, other.length));
        } else {
            append(other.heap, 0, other.length);
        }
    }

    private void ensureCapacity(int needed) {
        int capacity = capacity();
        if (needed > capacity) {
            grow(Math.min(Math.max(needed, Math.max(MIN_GROWTH, capacity * 2)), ByteBlock.MAX_LENGTH), true);
        }
    }

    /** Moves to storage of {@code newCapacity} bytes, keeping the content if {@code keep}. */
    private void grow(int newCapacity, boolean keep) {
        if (newCapacity < DIRECT_FROM) {
            heap = keep ? Arrays.copyOf(heap, newCapacity) : new byte[newCapacity];
            return;
        }
        ByteBuffer bigger = ByteBuffer.allocateDirect(newCapacity);
        if (keep && length > 0) {
            if (direct != null) {
                bigger.put(0, direct, 0, length);
            } else {
                bigger.put(0, heap, 0, length);
            }
        }
        direct = bigger;
        gather = bigger.duplicate();
        heap = EMPTY;
    }
}
