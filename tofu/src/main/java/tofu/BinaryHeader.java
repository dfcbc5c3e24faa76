package tofu;

import java.nio.BufferOverflowException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Objects;
import tofu.internal.Wire;

/**
 * The fixed 16-byte part of every message: channel number, opcode, flags, status and message id.
 *
 * <pre>
 *  0       2     3      4                        12      14      16
 *  +-------+-----+------+------------------------+-------+-------+
 *  |channel|proto|status|      message id        |  thl  |  bl   |   all big-endian
 *  +-------+-----+------+------------------------+-------+-------+
 *  proto: bits 0-3 opcode, bit 4 origin, bit 5 more, bits 6-7 reserved (0)
 * </pre>
 *
 * <p>Mutable and not thread-safe: it belongs to its {@link Message} (and so to the message's current owner), or to
 * whoever created it standalone. Setters return {@code this}. The text-header and body lengths are only known for a
 * header decoded by {@link #readFrom(ByteBuffer)}; a header built in memory reports 0 for both.
 * @since 0.1.0
 */
public final class BinaryHeader {
    /** Size of the binary header on the wire, in bytes. */
    public static final int SIZE = Wire.HEADER_SIZE;
    /** Highest channel number a header can hold (reserved for the engine itself). */
    public static final int MAX_CHANNEL_NUMBER = 0xFFFF;

    private int channelNumber;
    // Opcode, origin and status are kept as primitives, not enum references: a reference store into a long-lived
    // object costs the G1 collector a card to refine when it points to another region (an enum constant usually
    // does), and the engine rewrites these fields for every message it decodes.
    /** {@link OpCode#code()}. */
    private byte opCode = (byte) OpCode.REQUEST.code();
    private boolean engineOrigin;
    private boolean more;
    /** {@link AmpeStatus#raw()}. */
    private byte status = (byte) AmpeStatus.SUCCESS.raw();
    private long messageId;
    private int textHeadersLength;
    private int bodyLength;

    /** Creates a header in the fresh state: REQUEST, channel 0, id 0, origin APPLICATION, more off, SUCCESS. */
    public BinaryHeader() {
    }

    /**
     * Returns the channel number, 0..65535.
     *
     * @return the channel number
     */
    public int channelNumber() {
        return channelNumber;
    }

    /**
     * Sets the channel number.
     *
     * @param n the channel number
     * @return this header
     * @throws IllegalArgumentException if {@code n} is outside 0..65535
     */
    public BinaryHeader channelNumber(int n) {
        if (n < 0 || n > MAX_CHANNEL_NUMBER) {
            throw new IllegalArgumentException("channel number must be 0..65535, was " + n);
        }
        this.channelNumber = n;
        return this;
    }

    /**
     * Returns the opcode.
     *
     * @return the opcode
     */
    public OpCode opCode() {
        return OpCode.fromCode(opCode);
    }

    /**
     * Sets the opcode.
     *
     * @param op the opcode
     * @return this header
     */
    public BinaryHeader opCode(OpCode op) {
        this.opCode = (byte) Objects.requireNonNull(op, "op").code();
        return this;
    }

    /**
     * Returns who produced the message: {@link Origin#ENGINE} marks an engine report.
     *
     * @return the origin
     */
    public Origin origin() {
        return engineOrigin ? Origin.ENGINE : Origin.APPLICATION;
    }

    /**
     * Returns the {@code more} flag: true when more parts of the same logical message follow.
     *
     * @return the {@code more} flag
     */
    public boolean more() {
        return more;
    }

    /**
     * Sets the {@code more} flag; only regular opcodes (REQUEST, RESPONSE, SIGNAL) may be posted with it.
     *
     * @param more the {@code more} flag
     * @return this header
     */
    public BinaryHeader more(boolean more) {
        this.more = more;
        return this;
    }

    /**
     * Returns the status; SUCCESS for ordinary traffic, the reason for engine reports.
     *
     * @return the status
     */
    public AmpeStatus status() {
        return AmpeStatus.fromRaw(status);
    }

    /**
     * Returns the message id, an unsigned 64-bit value (print it with {@link Long#toUnsignedString(long)}).
     *
     * @return the message id
     */
    public long messageId() {
        return messageId;
    }

    /**
     * Sets the message id (unsigned 64-bit); 0 asks {@code post} to assign the next process-wide id.
     *
     * @param id the message id
     * @return this header
     */
    public BinaryHeader messageId(long id) {
        this.messageId = id;
        return this;
    }

    /**
     * Returns the text-header block length as read by {@link #readFrom(ByteBuffer)}; 0 for a header built in memory.
     *
     * @return the text headers length in bytes
     */
    public int textHeadersLength() {
        return textHeadersLength;
    }

    /**
     * Returns the body length as read by {@link #readFrom(ByteBuffer)}; 0 for a header built in memory.
     *
     * @return the body length in bytes
     */
    public int bodyLength() {
        return bodyLength;
    }

    /**
     * Copies every field of {@code other} into this header and returns this.
     *
     * @param other the header to copy
     * @return this header
     */
    public BinaryHeader copyFrom(BinaryHeader other) {
        this.channelNumber = other.channelNumber;
        this.opCode = other.opCode;
        this.engineOrigin = other.engineOrigin;
        this.more = other.more;
        this.status = other.status;
        this.messageId = other.messageId;
        this.textHeadersLength = other.textHeadersLength;
        this.bodyLength = other.bodyLength;
        return this;
    }

    /**
     * Writes the 16 wire bytes at the buffer's position and advances it: fields as they are, reserved bits 0, the two
     * lengths as given.
     *
     * @param dst the buffer to write to
     * @param textHeadersLength the text headers length to write
     * @param bodyLength the body length to write
     * @throws IllegalArgumentException if a length is outside 0..65535
     * @throws BufferOverflowException  if fewer than 16 bytes remain (nothing is written)
     */
    public void writeTo(ByteBuffer dst, int textHeadersLength, int bodyLength) {
        checkLength("text headers length", textHeadersLength);
        checkLength("body length", bodyLength);
        if (dst.remaining() < SIZE) {
            throw new BufferOverflowException();
        }
        // Byte by byte: the wire is big-endian whatever order the caller's buffer is set to.
        Wire.putShort(dst, channelNumber);
        dst.put(proto());
        dst.put(status);
        Wire.putLong(dst, messageId);
        Wire.putShort(dst, textHeadersLength);
        Wire.putShort(dst, bodyLength);
    }

    /**
     * Reads 16 wire bytes at the buffer's position into a new header and advances the position. Reserved bits are
     * ignored; a status byte outside 0..30 decodes to {@link AmpeStatus#UNKNOWN_ERROR}.
     *
     * @param src the buffer to read from
     * @return the header read
     * @throws BufferUnderflowException if fewer than 16 bytes remain
     * @throws AmpeException            with {@link AmpeStatus#INVALID_OP_CODE} for opcodes 10–15; the position is
     *                                  then left unchanged
     */
    public static BinaryHeader readFrom(ByteBuffer src) {
        if (src.remaining() < SIZE) {
            throw new BufferUnderflowException();
        }
        int p = src.position();
        BinaryHeader h = new BinaryHeader();
        h.decode(Wire.getShort(src, p + Wire.CHANNEL), src.get(p + Wire.PROTO), src.get(p + Wire.STATUS),
                Wire.getLong(src, p + Wire.MESSAGE_ID), Wire.getShort(src, p + Wire.TEXT_HEADERS_LENGTH),
                Wire.getShort(src, p + Wire.BODY_LENGTH));
        src.position(p + SIZE);
        return h;
    }

    /** Fills this header from raw wire fields; throws INVALID_OP_CODE (header unchanged) for opcodes 10–15. */
    void decode(short channel, byte proto, byte status, long id, short thl, short bl) {
        OpCode op = OpCode.fromCode(Wire.opCode(proto));
        this.channelNumber = channel & 0xFFFF;
        this.opCode = (byte) op.code();
        this.engineOrigin = (proto & Wire.ORIGIN_BIT) != 0;
        this.more = (proto & Wire.MORE_BIT) != 0;
        this.status = (byte) AmpeStatus.fromRaw(status & 0xFF).raw();
        this.messageId = id;
        this.textHeadersLength = thl & 0xFFFF;
        this.bodyLength = bl & 0xFFFF;
    }

    byte proto() {
        return Wire.proto(opCode, engineOrigin, more);
    }

    void origin(Origin origin) {
        this.engineOrigin = origin == Origin.ENGINE;
    }

    void status(AmpeStatus status) {
        this.status = (byte) status.raw();
    }

    void lengths(int textHeadersLength, int bodyLength) {
        this.textHeadersLength = textHeadersLength;
        this.bodyLength = bodyLength;
    }

    /** Returns this header to the fresh state. */
    BinaryHeader reset() {
        channelNumber = 0;
        opCode = (byte) OpCode.REQUEST.code();
        engineOrigin = false;
        more = false;
        status = (byte) AmpeStatus.SUCCESS.raw();
        messageId = 0;
        textHeadersLength = 0;
        bodyLength = 0;
        return this;
    }

    private static void checkLength(String what, int length) {
        if (length < 0 || length > 0xFFFF) {
            throw new IllegalArgumentException(what + " must be 0..65535, was " + length);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof BinaryHeader)) {
            return false;
        }
        BinaryHeader h = (BinaryHeader) o;
        return channelNumber == h.channelNumber && opCode == h.opCode && engineOrigin == h.engineOrigin
                && more == h.more
                && status == h.status && messageId == h.messageId && textHeadersLength == h.textHeadersLength
                && bodyLength == h.bodyLength;
    }

    @Override
    public int hashCode() {
        return Objects.hash(channelNumber, opCode(), origin(), more, status(), messageId, textHeadersLength,
                bodyLength);
    }

    @Override
    public String toString() {
        return opCode() + "{channel=" + channelNumber + ", id=" + Long.toUnsignedString(messageId) + ", origin="
                + origin() + ", status=" + status() + (more ? ", more" : "") + "}";
    }
}
