package tofu.internal;

import java.nio.ByteBuffer;

import tofu.Message;

/**
 * Writes messages as wire frames into a buffer, resuming anywhere inside a frame: many frames are copied into one
 * direct buffer and written with one system call, and a partial write resumes where the socket stopped (the bytes the
 * socket did not take are simply copied again next time).
 *
 * <p>A sender always writes origin 0, status 0 and reserved bits 0, and the lengths of the actual text-header block
 * and body. Not thread-safe (it keeps a 16-byte scratch); one per engine thread.
 */
public final class FrameEncoder {
    private static final MessageAccess M = MessageAccess.get();

    private final byte[] header = new byte[Wire.HEADER_SIZE];

    /** Returns the number of bytes {@code m} takes on the wire. */
    public static int frameLength(Message m) {
        return Wire.HEADER_SIZE + M.textHeaders(m).length() + M.body(m).length();
    }

    /**
     * Writes bytes {@code [offset, frameLength)} of {@code m}'s frame into {@code dst}, as many as fit.
     *
     * @return the number of bytes written
     */
    public int encode(Message m, int offset, ByteBuffer dst) {
        int frameLength = M.encodeHeader(m, header);
        int thl = M.textHeaders(m).length();
        int start = dst.position();
        int pos = offset;
        pos = copy(header, 0, Wire.HEADER_SIZE, pos, dst);
        pos = copy(M.textHeaderBytes(m), Wire.HEADER_SIZE, thl, pos, dst);
        pos = copy(M.bodyBytes(m), Wire.HEADER_SIZE + thl, frameLength - Wire.HEADER_SIZE - thl, pos, dst);
        return dst.position() - start;
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
