package tofu.bench;

import java.nio.ByteBuffer;

/**
 * The tofu frame header as the non-tofu stacks write and read it (docs/PROTOCOL.md §2, annotated in docs/WIRE.md):
 * channel, proto, status, message id, text-header length, body length, big-endian. The peers carry it so every stack
 * moves the same bytes per message. The benchmarks keep their own copy of these constants on purpose: the wire format
 * is a published contract, while the library's codec classes are engine internals (package-private) and no API.
 */
final class Wire {
    static final int HEADER = 16;
    static final int MAX_BODY = 65535;
    static final int OP_REQUEST = 0;
    static final int OP_RESPONSE = 1;
    static final int OP_SIGNAL = 2;
    /** Offset of the proto byte (opcode in bits 0-3): an echo server rewrites it in place. */
    static final int PROTO_OFFSET = 2;
    /** Offset of the 2-byte body length, the length field a frame decoder keys on. */
    static final int BODY_LENGTH_OFFSET = 14;

    private Wire() {
    }

    /** Writes a header with no text headers at {@code dst}'s position. */
    static void putHeader(ByteBuffer dst, int channel, int opCode, long messageId, int bodyLength) {
        dst.putShort((short) channel).put((byte) opCode).put((byte) 0).putLong(messageId).putShort((short) 0)
                .putShort((short) bodyLength);
    }

    /** Writes a header with no text headers at the start of {@code dst}. */
    static void putHeader(byte[] dst, int channel, int opCode, long messageId, int bodyLength) {
        ByteBuffer.wrap(dst, 0, HEADER).putShort((short) channel).put((byte) opCode).put((byte) 0)
                .putLong(messageId).putShort((short) 0).putShort((short) bodyLength);
    }

    /** Bytes that follow a complete header (text-header block plus body). */
    static int payloadLength(byte[] header) {
        int thl = ((header[12] & 0xFF) << 8) | (header[13] & 0xFF);
        int bl = ((header[14] & 0xFF) << 8) | (header[15] & 0xFF);
        return thl + bl;
    }

    /** A body of {@code size} bytes with a recognisable pattern. */
    static byte[] payload(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }
}
