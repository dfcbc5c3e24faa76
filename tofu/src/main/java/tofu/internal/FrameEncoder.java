package tofu.internal;

import java.nio.ByteBuffer;
import tofu.BinaryHeader;
import tofu.Message;

/**
 * Writes messages as wire frames into a buffer, resuming anywhere inside a frame. It copies: header, text headers and
 * body of many frames go into the engine's one direct write buffer, which the channel's transport then takes in one
 * write (a plain socket: one system call per buffer-full; TLS encrypts it into records first). Copying small frames
 * together is what makes one call carry many, and once a frame is in the buffer its message can go back to the pool
 * ({@link SendQueue} encodes whole frames only). A large body in direct memory is the exception: {@link #encodeHead}
 * writes only what comes before it, and {@link GatheredWrite} sends the body from where it is. The offset lets a
 * caller resume inside a frame all the same.
 *
 * <p>A sender always writes origin 0, status 0 and reserved bits 0, and the lengths of the actual text-header block
 * and body. Not thread-safe (it keeps a 16-byte scratch); one per engine thread, used only on it.
 */
final class FrameEncoder {
    private static final MessageAccess M = MessageAccess.get();

    private final byte[] header = new byte[Wire.HEADER_SIZE];

    /** Returns the number of bytes {@code m} takes on the wire. */
    static int frameLength(Message m) {
        return Wire.HEADER_SIZE + M.textHeaders(m).length() + M.body(m).length();
    }

    /**
     * Writes bytes {@code [offset, frameLength)} of {@code m}'s frame into {@code dst}, as many as fit.
     *
     * @return the number of bytes written
     */
    int encode(Message m, int offset, ByteBuffer dst) {
        int thl = M.textHeaders(m).length();
        int bl = M.body(m).length();
        writeHeader(M.header(m), thl, bl);
        int start = dst.position();
        int pos = offset;
        pos = copy(header, 0, Wire.HEADER_SIZE, pos, dst);
        pos = copy(M.textHeaderBytes(m), Wire.HEADER_SIZE, thl, pos, dst);
        int bodyStart = Wire.HEADER_SIZE + thl;
        if (pos >= bodyStart && pos < bodyStart + bl && dst.hasRemaining()) {
            int n = Math.min(bodyStart + bl - pos, dst.remaining());
            M.copyBodyOut(m, pos - bodyStart, n, dst);
        }
        return dst.position() - start;
    }

    /**
     * Writes the frame of {@code m} except its body, which the caller sends itself (a direct body in a gathering
     * write); {@code dst} must have room for it.
     *
     * @return the number of bytes written: the binary header and the text-header block
     */
    int encodeHead(Message m, ByteBuffer dst) {
        int thl = M.textHeaders(m).length();
        writeHeader(M.header(m), thl, M.body(m).length());
        dst.put(header, 0, Wire.HEADER_SIZE);
        dst.put(M.textHeaderBytes(m), 0, thl);
        return Wire.HEADER_SIZE + thl;
    }

    /** Fills the scratch header as a sender writes it: origin 0, status 0, reserved bits 0, the actual lengths. */
    private void writeHeader(BinaryHeader h, int thl, int bl) {
        Wire.putShort(header, Wire.CHANNEL, h.channelNumber());
        header[Wire.PROTO] = Wire.proto(h.opCode().code(), false, h.more());
        header[Wire.STATUS] = 0;
        Wire.putLong(header, Wire.MESSAGE_ID, h.messageId());
        Wire.putShort(header, Wire.TEXT_HEADERS_LENGTH, thl);
        Wire.putShort(header, Wire.BODY_LENGTH, bl);
    }

    /**
     * Copies the part of a segment (frame bytes {@code [segStart, segStart+segLen)}) at or after frame position
     * {@code pos} into {@code dst}; returns the new frame position.
     */
    private static int copy(byte[] seg, int segStart, int segLen, int pos, ByteBuffer dst) {
        int segEnd = segStart + segLen;
        if (pos >= segEnd || !dst.hasRemaining()) {
            return pos;
        }
        int from = pos - segStart;
        int n = Math.min(segEnd - pos, dst.remaining());
        dst.put(seg, from, n);
        return pos + n;
    }
}
