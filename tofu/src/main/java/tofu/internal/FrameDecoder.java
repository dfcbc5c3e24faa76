package tofu.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.Message;

/**
 * Turns a byte stream into messages, incrementally: bytes may arrive in fragments of any size, one at a time included.
 *
 * <p>A message is taken from the {@link Source} only once a frame's 16-byte header is complete, so an idle or
 * half-sent connection pins no pool message; the text-header block and body are then copied straight into that
 * message's buffers, grown to exactly the declared lengths (at most 64 KiB each) and never more. Frames with an opcode
 * that does not travel (8–15) are rejected with {@code AmpeException(INVALID_MESSAGE)}; the decoder must not be used
 * after that. Origin is forced to APPLICATION: a peer cannot forge an engine report.
 *
 * <p>Not thread-safe: owned by one channel, used on the engine thread (or by a test).
 */
public final class FrameDecoder {
    /** Supplies the message a frame is decoded into; null means "none available now" (the caller starves). */
    public interface Source {
        Message take();
    }

    private static final MessageAccess M = MessageAccess.get();
    private static final int LAST_WIRE_OPCODE = 7;

    private final byte[] header = new byte[BinaryHeader.SIZE];
    private int headerFill;
    private Message current;
    private int textHeadersLength;
    private int frameBodyLength;
    private int fill;

    /**
     * Consumes bytes from {@code src} until one message is complete.
     *
     * @return the complete message (now owned by the caller), or null when {@code src} is exhausted, or when a frame
     *         needs a message and {@code source} had none — then {@code src} still has bytes remaining
     * @throws AmpeException with INVALID_MESSAGE for a malformed frame
     */
    public Message next(ByteBuffer src, Source source) {
        if (current == null && headerFill == 0 && src.remaining() >= BinaryHeader.SIZE
                && src.order() == ByteOrder.BIG_ENDIAN) {
            // Fast path: a whole header is there; decode it in place, with no copy through the header array.
            if (!startInPlace(src, source)) {
                return null;
            }
        }
        if (current == null) {
            if (headerFill < BinaryHeader.SIZE) {
                int n = Math.min(src.remaining(), BinaryHeader.SIZE - headerFill);
                src.get(header, headerFill, n);
                headerFill += n;
                if (headerFill < BinaryHeader.SIZE) {
                    return null;
                }
                checkOpCode();
            }
            Message m = source.take();
            if (m == null) {
                return null;
            }
            start(m);
        }
        int total = textHeadersLength + frameBodyLength;
        if (fill < total && src.hasRemaining()) {
            copyPayload(src, total);
        }
        if (fill < total) {
            return null;
        }
        Message done = current;
        current = null;
        headerFill = 0;
        return done;
    }

    /** Returns true when a frame's header is complete but no message was available to decode it into. */
    public boolean awaitsMessage() {
        return current == null && headerFill == BinaryHeader.SIZE;
    }

    /**
     * How many bytes can be consumed now without needing another message: the rest of the frame being decoded into a
     * message, or else the rest of the next header (kept in the decoder itself). Always at least 1, except while a
     * complete header waits for a message (then 0).
     */
    public int bytesWithoutMessage() {
        if (current != null) {
            return textHeadersLength + frameBodyLength - fill;
        }
        return BinaryHeader.SIZE - headerFill;
    }

    /** Returns true when part of a frame has been consumed but no message completed yet. */
    public boolean hasPartialFrame() {
        return headerFill > 0;
    }

    /** Gives back the message of a partly decoded frame (or null) and forgets the partial frame. */
    public Message release() {
        Message m = current;
        current = null;
        headerFill = 0;
        return m;
    }

    /** Starts a frame from a header read in place; false if no message was available (the header is kept). */
    private boolean startInPlace(ByteBuffer src, Source source) {
        int p = src.position();
        byte proto = src.get(p + 2);
        checkOpCode(proto);
        src.position(p + BinaryHeader.SIZE);
        headerFill = BinaryHeader.SIZE;
        Message m = source.take();
        if (m == null) {
            src.get(p, header, 0, BinaryHeader.SIZE); // keep it for when a message comes
            return false;
        }
        short thl = src.getShort(p + 12);
        short bl = src.getShort(p + 14);
        M.decodeHeader(m, src.getShort(p), proto, src.get(p + 3), src.getLong(p + 4), thl, bl);
        begin(m, thl & 0xFFFF, bl & 0xFFFF);
        return true;
    }

    private void checkOpCode() {
        checkOpCode(header[2]);
    }

    private static void checkOpCode(byte proto) {
        int opCode = proto & 0x0F;
        if (opCode > LAST_WIRE_OPCODE) {
            throw new AmpeException(AmpeStatus.INVALID_MESSAGE, "received opcode " + opCode + " never travels");
        }
    }

    private void start(Message m) {
        M.decodeHeader(m, header);
        begin(m, ((header[12] & 0xFF) << 8) | (header[13] & 0xFF), ((header[14] & 0xFF) << 8) | (header[15] & 0xFF));
    }

    private void begin(Message m, int thl, int bl) {
        textHeadersLength = thl;
        frameBodyLength = bl;
        M.resizeTextHeaders(m, textHeadersLength);
        M.resizeBody(m, frameBodyLength);
        fill = 0;
        current = m;
    }

    private void copyPayload(ByteBuffer src, int total) {
        if (fill < textHeadersLength) {
            int n = Math.min(src.remaining(), textHeadersLength - fill);
            src.get(M.textHeaderBytes(current), fill, n);
            fill += n;
        }
        if (fill >= textHeadersLength && fill < total && src.hasRemaining()) {
            int off = fill - textHeadersLength;
            int n = Math.min(src.remaining(), frameBodyLength - off);
            src.get(M.bodyBytes(current), off, n);
            fill += n;
        }
    }
}
