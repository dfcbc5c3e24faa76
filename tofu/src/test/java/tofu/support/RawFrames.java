package tofu.support;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import tofu.BinaryHeader;
import tofu.OpCode;

/**
 * Frames encoded by hand for a {@link RawPeer}, including what the library never writes (e.g. the origin bit and a
 * status, PROTOCOL.md §6.2 "a peer cannot forge engine reports").
 */
public final class RawFrames {
    /** No forged origin or status: the frame is what a correct sender writes. */
    public static final int HONEST = -1;
    private static final int ORIGIN_BIT = 0x10;

    private RawFrames() {
    }

    /**
     * Encodes one frame. With {@code forgedStatus} other than {@link #HONEST} the frame claims to come from an engine:
     * the origin bit is set and the status byte holds {@code forgedStatus}.
     */
    public static ByteBuffer frame(OpCode op, int channel, long id, String headerBlock, String body,
            int forgedStatus) {
        byte[] thdrs = headerBlock.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(BinaryHeader.SIZE + thdrs.length + bytes.length);
        new BinaryHeader().opCode(op).channelNumber(channel).messageId(id).writeTo(buf, thdrs.length, bytes.length);
        if (forgedStatus != HONEST) {
            buf.put(2, (byte) (buf.get(2) | ORIGIN_BIT));
            buf.put(3, (byte) forgedStatus);
        }
        buf.put(thdrs).put(bytes).flip();
        return buf;
    }

    /** An honest frame without headers or body. */
    public static ByteBuffer frame(OpCode op, int channel, long id) {
        return frame(op, channel, id, "", "", HONEST);
    }

    /** The opcode of a frame read by {@link RawPeer#readFrame()}. */
    public static OpCode opCode(ByteBuffer frame) {
        return OpCode.fromCode(frame.get(2) & 0x0F);
    }

    /** The message id of a frame. */
    public static long messageId(ByteBuffer frame) {
        return frame.getLong(4);
    }

    /** The text-header block of a frame, as text. */
    public static String headerBlock(ByteBuffer frame) {
        int thl = frame.getShort(12) & 0xFFFF;
        byte[] b = new byte[thl];
        frame.get(BinaryHeader.SIZE, b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
