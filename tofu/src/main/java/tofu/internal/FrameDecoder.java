package tofu.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.Message;
import tofu.Origin;

/**
 * Turns a byte stream into messages, incrementally: bytes may arrive in fragments of any size, one at a time included.
 *
 * <p><b>Where a frame is decoded.</b> A frame whose payload is already in the buffer when its 16-byte header completes
 * is copied straight into a message taken from the {@link Source} (the pool): the common case, one copy. A frame that
 * arrives in pieces is assembled in the decoder's own message (created on the first such frame, kept for the
 * channel's life) and moved into a pool message only once complete, by exchanging storage ({@code moveFrame}: no
 * copy). So an incomplete frame never holds a pool message: a peer that stalls mid-frame costs its own channel at most
 * one frame of memory (at most 16 + 65535 + 65535 bytes), never the pool that every channel shares. The source is
 * also asked only when a frame can be handed on at once; a complete frame waits in the assembly message while the
 * source has none.
 *
 * <p>Text-header block and body are grown to exactly the declared lengths (at most 64 KiB each) and never more. Frames
 * with an opcode that does not travel (8–15) are rejected with {@code AmpeException(INVALID_MESSAGE)}; the decoder
 * must not be used after that. Origin is forced to APPLICATION: a peer cannot forge an engine report.
 *
 * <p>Not thread-safe: owned by one channel, used on the engine thread (or by a test).
 */
final class FrameDecoder {
    /** Supplies the message a frame is decoded into; null means "none available now" (the caller starves). */
    interface Source {
        Message take();
    }

    private static final MessageAccess M = MessageAccess.get();

    private final byte[] header = new byte[Wire.HEADER_SIZE];
    private int headerFill;
    /** The message the frame in progress is decoded into: a pool message or {@link #assembly}; null between frames. */
    private Message current;
    /** The decoder's own message for frames that arrive in pieces; created on first use. */
    private Message assembly;
    private int textHeadersLength;
    private int frameBodyLength;
    private int fill;

    /**
     * Consumes bytes from {@code src} until one message is complete.
     *
     * @return the complete message (now owned by the caller), or null when {@code src} is exhausted, or when a frame
     *         is complete but {@code source} had no message for it — then {@code src} may still have bytes remaining
     * @throws AmpeException with INVALID_MESSAGE for a malformed frame
     */
    Message next(ByteBuffer src, Source source) {
        if (current == null) {
            if (headerFill == 0 && src.remaining() >= Wire.HEADER_SIZE && src.order() == ByteOrder.BIG_ENDIAN) {
                startInPlace(src, source); // fast path: a whole header is there; decode it with no copy
            } else if (!startFromArray(src, source)) {
                return null;
            }
        }
        int total = textHeadersLength + frameBodyLength;
        if (fill < total && src.hasRemaining()) {
            copyPayload(src, total);
        }
        if (fill < total) {
            return null;
        }
        Message done = current;
        if (done == assembly) {
            Message m = source.take();
            if (m == null) {
                return null; // the complete frame waits in the assembly message
            }
            moveFrame(assembly, m);
            done = m;
        }
        current = null;
        headerFill = 0;
        M.received(done, true);
        return done;
    }

    /** Returns true when a frame is complete but no message was available to hand it on in. */
    boolean awaitsMessage() {
        return current != null && current == assembly && fill == textHeadersLength + frameBodyLength;
    }

    /** Returns true while a frame has started and its peer still owes bytes of it. */
    boolean awaitsBytes() {
        return headerFill > 0 && !awaitsMessage();
    }

    /**
     * How many bytes can be consumed now without needing a message: the rest of the frame in progress (it can always
     * go into the assembly message), or else the rest of the next header. At least 1, except while a complete frame
     * waits for a message (then 0).
     */
    int bytesWithoutMessage() {
        if (current != null) {
            return textHeadersLength + frameBodyLength - fill;
        }
        return Wire.HEADER_SIZE - headerFill;
    }

    /** Returns true when part of a frame has been consumed but no message completed yet. */
    boolean hasPartialFrame() {
        return headerFill > 0;
    }

    /**
     * Gives back the pool message of a partly decoded frame (or null) and forgets the partial frame; the decoder's
     * own assembly message is simply emptied.
     */
    Message release() {
        Message m = current;
        current = null;
        headerFill = 0;
        if (m != null && m == assembly) {
            M.reset(m);
            return null;
        }
        return m;
    }

    /**
     * Decodes the one whole frame at {@code src}'s position into {@code m} and moves the position past it: for a frame
     * checked already (opcode and lengths), which the engine handed on as bytes or which comes back unsent. Origin is
     * APPLICATION and the message is marked received, as {@link #next} leaves them. {@code src} must be big-endian.
     */
    static void decodeWhole(ByteBuffer src, Message m) {
        int p = src.position();
        short thl = src.getShort(p + Wire.TEXT_HEADERS_LENGTH);
        short bl = src.getShort(p + Wire.BODY_LENGTH);
        decodeHeader(m, src.getShort(p + Wire.CHANNEL), src.get(p + Wire.PROTO), src.get(p + Wire.STATUS),
                src.getLong(p + Wire.MESSAGE_ID), thl, bl);
        int textLength = thl & 0xFFFF;
        int bodyLength = bl & 0xFFFF;
        M.lengths(m, textLength, bodyLength);
        byte[] text = M.resizeTextHeaderBytes(m, textLength);
        M.resizeBody(m, bodyLength);
        src.get(p + Wire.HEADER_SIZE, text, 0, textLength);
        src.position(p + Wire.HEADER_SIZE + textLength);
        M.copyBodyIn(m, src, 0, bodyLength);
        M.received(m, true);
    }

    /** Starts a frame from a header read in place. */
    private void startInPlace(ByteBuffer src, Source source) {
        int p = src.position();
        byte proto = src.get(p + Wire.PROTO);
        checkOpCode(proto);
        short thl = src.getShort(p + Wire.TEXT_HEADERS_LENGTH); // big-endian: the caller checked the order
        short bl = src.getShort(p + Wire.BODY_LENGTH);
        src.position(p + Wire.HEADER_SIZE);
        headerFill = Wire.HEADER_SIZE;
        Message m = target(src, source, (thl & 0xFFFF) + (bl & 0xFFFF));
        decodeHeader(m, src.getShort(p + Wire.CHANNEL), proto, src.get(p + Wire.STATUS),
                src.getLong(p + Wire.MESSAGE_ID), thl, bl);
        begin(m, thl & 0xFFFF, bl & 0xFFFF);
    }

    /** Collects header bytes; once the header is complete, starts the frame. Returns false while it is incomplete. */
    private boolean startFromArray(ByteBuffer src, Source source) {
        int n = Math.min(src.remaining(), Wire.HEADER_SIZE - headerFill);
        src.get(header, headerFill, n);
        headerFill += n;
        if (headerFill < Wire.HEADER_SIZE) {
            return false;
        }
        checkOpCode(header[Wire.PROTO]);
        int thl = Wire.getShort(header, Wire.TEXT_HEADERS_LENGTH) & 0xFFFF;
        int bl = Wire.getShort(header, Wire.BODY_LENGTH) & 0xFFFF;
        Message m = target(src, source, thl + bl);
        decodeHeader(m, Wire.getShort(header, Wire.CHANNEL), header[Wire.PROTO], header[Wire.STATUS],
                Wire.getLong(header, Wire.MESSAGE_ID), (short) thl, (short) bl);
        begin(m, thl, bl);
        return true;
    }

    /**
     * Chooses where a frame is decoded: a pool message when its whole payload is already here and the source has
     * one, otherwise the assembly message.
     */
    private Message target(ByteBuffer src, Source source, int payload) {
        Message m = src.remaining() >= payload ? source.take() : null;
        if (m != null) {
            return m;
        }
        if (assembly == null) {
            assembly = Message.create();
        }
        return assembly;
    }

    private static void checkOpCode(byte proto) {
        int opCode = Wire.opCode(proto);
        if (opCode > Wire.LAST_WIRE_OPCODE) {
            throw new AmpeException(AmpeStatus.INVALID_MESSAGE, "received opcode " + opCode + " never travels");
        }
    }

    private void begin(Message m, int thl, int bl) {
        textHeadersLength = thl;
        frameBodyLength = bl;
        M.lengths(m, thl, bl);
        M.resizeTextHeaderBytes(m, thl);
        M.resizeBody(m, bl);
        fill = 0;
        current = m;
    }

    /** Decodes raw wire fields into {@code m}'s header, origin forced to APPLICATION: a peer cannot forge a report. */
    private static void decodeHeader(Message m, short channel, byte proto, byte status, long id, short thl, short bl) {
        M.decode(m, channel, proto, status, id, thl, bl);
        M.origin(m, Origin.APPLICATION);
    }

    /**
     * Moves the frame assembled in {@code from} into {@code to} by exchanging their storage, then resets {@code from}:
     * the frame enters a pool message without a copy or an allocation.
     */
    private static void moveFrame(Message from, Message to) {
        M.header(to).copyFrom(M.header(from));
        M.swapStorage(to, from);
        M.reset(from);
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
            M.copyBodyIn(current, src, off, n);
            fill += n;
        }
    }
}
