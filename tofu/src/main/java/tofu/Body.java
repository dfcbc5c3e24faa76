package tofu;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The opaque payload of a message: a growable byte sequence of at most 65535 bytes.
 *
 * <p>Mutable and not thread-safe: it belongs to its {@link Message} and so to the message's current owner. Appending
 * past the limit throws {@link AmpeException} with {@link AmpeStatus#INVALID_BODY_LEN} and leaves the body unchanged;
 * the application splits larger payloads itself (see {@link BinaryHeader#more(boolean)}). {@link #get(int)} and
 * {@link #copyTo(int, byte[], int, int)} read without allocating.
 *
 * <p>Storage: a small body lives on the heap; once a body's capacity reaches 4 KiB it lives in direct memory, so the
 * engine can hand it to the socket without copying it (a pooled message keeps its capacity, and so its kind). The
 * methods behave the same either way; {@link #asReadOnlyBuffer()} is then a direct buffer.
 * @since 0.1.0
 */
public final class Body {
    /** The largest body a message can carry, in bytes. */
    public static final int MAX_LENGTH = ByteBlock.MAX_LENGTH;

    final BodyStorage bytes;

    /** A body whose storage starts with {@code capacity} bytes on the heap (0: none until the first append). */
    Body(int capacity) {
        bytes = new BodyStorage(capacity);
    }

    /**
     * Appends all of {@code bytes}.
     *
     * @param bytes the bytes to append
     * @return this body
     */
    public Body append(byte[] bytes) {
        return append(bytes, 0, bytes.length);
    }

    /**
     * Appends {@code len} bytes of {@code src} starting at {@code off}.
     *
     * @param src the array to copy from
     * @param off the first index in {@code src}
     * @param len the number of bytes
     * @return this body
     * @throws IndexOutOfBoundsException if the range is outside {@code src}
     * @throws AmpeException             with INVALID_BODY_LEN if the body would exceed 65535 bytes
     */
    public Body append(byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        checkFits(len);
        this.bytes.append(src, off, len);
        return this;
    }

    /**
     * Appends the remaining bytes of {@code src}, advancing its position.
     *
     * @param src the buffer to copy from
     * @return this body
     * @throws AmpeException with INVALID_BODY_LEN if the body would exceed 65535 bytes; {@code src} is then unchanged
     */
    public Body append(ByteBuffer src) {
        int len = src.remaining();
        checkFits(len);
        bytes.append(src);
        return this;
    }

    /**
     * Appends the UTF-8 bytes of {@code text}.
     *
     * @param text the text to append
     * @return this body
     */
    public Body append(String text) {
        return append(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Returns the number of bytes in the body.
     *
     * @return the length in bytes
     */
    public int length() {
        return bytes.length();
    }

    /**
     * Returns a copy of the body's bytes.
     *
     * @return a copy of the content
     */
    public byte[] toByteArray() {
        return bytes.toByteArray();
    }

    /**
     * Returns the body decoded as UTF-8 (invalid sequences become replacement characters).
     *
     * @return the content as a string
     */
    public String asString() {
        return bytes.asString();
    }

    /**
     * Returns a read-only view of the body (position 0, limit {@link #length()}); valid until the body changes.
     *
     * @return a read-only view of the content
     */
    public ByteBuffer asReadOnlyBuffer() {
        return bytes.asReadOnlyBuffer();
    }

    /**
     * Empties the body, keeping its capacity.
     *
     * @return this body
     */
    public Body reset() {
        bytes.reset();
        return this;
    }

    /**
     * Returns the byte at {@code index}.
     *
     * @param index the index of the byte
     * @return the byte
     * @throws IndexOutOfBoundsException if {@code index} is outside 0..length()-1
     */
    public byte get(int index) {
        Objects.checkIndex(index, bytes.length());
        return bytes.get(index);
    }

    /**
     * Copies {@code length} bytes starting at {@code offset} into {@code dst} at {@code dstOffset}, without allocating.
     *
     * @param offset the first index in this body
     * @param dst the array to copy to
     * @param dstOffset the first index in {@code dst}
     * @param length the number of bytes
     * @throws IndexOutOfBoundsException if either range is out of bounds
     */
    public void copyTo(int offset, byte[] dst, int dstOffset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length());
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        bytes.copyTo(offset, dst, dstOffset, length);
    }

    private void checkFits(int len) {
        if (!bytes.fits(len)) {
            throw new AmpeException(AmpeStatus.INVALID_BODY_LEN,
                    "body would be " + ((long) bytes.length() + len) + " bytes, the limit is " + MAX_LENGTH);
        }
    }

    @Override
    public String toString() {
        return "Body[" + bytes.length() + " bytes]";
    }
}
