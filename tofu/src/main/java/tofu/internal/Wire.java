package tofu.internal;

import java.nio.ByteBuffer;

/**
 * The frame layout in one place: field offsets, the bits of the proto byte, and big-endian byte helpers that do not
 * depend on a buffer's byte order. {@code BinaryHeader}, the encoder and the decoder all use it, so the wire format is
 * known in exactly one class.
 *
 * <pre>
 *  0       2     3      4                        12      14      16
 *  +-------+-----+------+------------------------+-------+-------+--------------------+-----------+
 *  |channel|proto|status|      message id        |  thl  |  bl   | text headers (thl) | body (bl) |
 *  +-------+-----+------+------------------------+-------+-------+--------------------+-----------+
 *  all big-endian; proto: bits 0-3 opcode, bit 4 origin, bit 5 more, bits 6-7 reserved (0)
 * </pre>
 *
 * <p>Public only because {@code tofu.BinaryHeader} lives in the exported package; {@code tofu.internal} is not
 * exported. Stateless.
 */
public final class Wire {
    /** Size of the binary header. */
    public static final int HEADER_SIZE = 16;
    /** Offset of the channel number (2 bytes). */
    public static final int CHANNEL = 0;
    /** Offset of the proto byte: opcode and flags. */
    public static final int PROTO = 2;
    /** Offset of the status byte. */
    public static final int STATUS = 3;
    /** Offset of the message id (8 bytes). */
    public static final int MESSAGE_ID = 4;
    /** Offset of the text-header block length (2 bytes). */
    public static final int TEXT_HEADERS_LENGTH = 12;
    /** Offset of the body length (2 bytes). */
    public static final int BODY_LENGTH = 14;
    /** The opcode bits of the proto byte. */
    public static final int OPCODE_MASK = 0x0F;
    /** The origin bit of the proto byte: set means ENGINE. */
    public static final int ORIGIN_BIT = 0x10;
    /** The more bit of the proto byte. */
    public static final int MORE_BIT = 0x20;
    /** The highest opcode that travels; 8–15 are a protocol violation when received. */
    public static final int LAST_WIRE_OPCODE = 7;
    /** The largest text-header block, body or channel number. */
    public static final int MAX_UNSIGNED_SHORT = 0xFFFF;

    private Wire() {
    }

    /** The proto byte a sender writes: opcode, more bit, origin bit as given. */
    public static byte proto(int opCode, boolean engineOrigin, boolean more) {
        return (byte) (opCode | (engineOrigin ? ORIGIN_BIT : 0) | (more ? MORE_BIT : 0));
    }

    /** The opcode carried by a proto byte. */
    public static int opCode(byte proto) {
        return proto & OPCODE_MASK;
    }

    /** Big-endian short at {@code off}. */
    public static short getShort(byte[] b, int off) {
        return (short) (((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF));
    }

    /** Big-endian long at {@code off}. */
    public static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    /** Writes {@code v} as a big-endian short at {@code off}. */
    public static void putShort(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    /** Writes {@code v} big-endian at {@code off}. */
    public static void putLong(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (56 - 8 * i));
        }
    }

    /** Big-endian short at an absolute index, whatever the buffer's byte order. */
    public static short getShort(ByteBuffer src, int i) {
        return (short) (((src.get(i) & 0xFF) << 8) | (src.get(i + 1) & 0xFF));
    }

    /** Big-endian long at an absolute index, whatever the buffer's byte order. */
    public static long getLong(ByteBuffer src, int i) {
        long v = 0;
        for (int k = 0; k < 8; k++) {
            v = (v << 8) | (src.get(i + k) & 0xFF);
        }
        return v;
    }

    /** Writes a big-endian short at the buffer's position, whatever its byte order. */
    public static void putShort(ByteBuffer dst, int v) {
        dst.put((byte) (v >>> 8));
        dst.put((byte) v);
    }

    /** Writes a big-endian long at the buffer's position, whatever its byte order. */
    public static void putLong(ByteBuffer dst, long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            dst.put((byte) (v >>> shift));
        }
    }
}
