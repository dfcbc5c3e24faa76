package tofu.cli.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tofu.TextHeader;

/**
 * One tofu frame exactly as it travels, every bit kept: the 16-byte binary header's raw fields, the text-header block
 * and the body. Unlike {@link tofu.BinaryHeader} it accepts every opcode (0..15) and keeps the origin bit, the
 * reserved bits and the status byte as sent, because the tools that use it ({@code tap}, {@code check}) must show and
 * judge what a peer really wrote, malformed frames included.
 *
 * <p>The layout (see docs/WIRE.md): channel u16, proto u8 (bits 0-3 opcode, 4 origin, 5 more, 6-7 reserved),
 * status u8, message id u64, text-header length u16, body length u16, then the two blocks; big-endian. Immutable;
 * the arrays are not copied, so callers must not change them after handing them over.
 */
public final class WireFrame {
    /** Size of the binary header. */
    public static final int HEADER_SIZE = 16;
    /** Largest text-header block or body: the length fields are 16 bits wide. */
    public static final int MAX_BLOCK = 0xFFFF;
    /** Largest frame: 16 + 65535 + 65535 bytes. */
    public static final int MAX_FRAME = HEADER_SIZE + 2 * MAX_BLOCK;

    /** Opcode names by code; codes 10..15 have none. */
    private static final String[] NAMES = {"REQUEST", "RESPONSE", "SIGNAL", "HELLO_REQUEST", "HELLO_RESPONSE",
        "BYE_REQUEST", "BYE_RESPONSE", "BYE_SIGNAL", "WELCOME_REQUEST", "WELCOME_RESPONSE"};
    /** Proto bits. */
    public static final int OPCODE_MASK = 0x0F;
    /** The origin bit: set only by an engine reporting to its own application, never on the wire. */
    public static final int ORIGIN_BIT = 0x10;
    /** The more bit. */
    public static final int MORE_BIT = 0x20;
    /** The two reserved bits. */
    public static final int RESERVED_MASK = 0xC0;

    private final int channel;
    private final int proto;
    private final int status;
    private final long messageId;
    private final byte[] headers;
    private final byte[] body;

    /**
     * @param channel   the sender's channel number, 0..65535
     * @param proto     the whole proto byte, 0..255
     * @param status    the status byte, 0..255
     * @param messageId the message id (unsigned 64 bits)
     * @param headers   the text-header block, at most 65535 bytes
     * @param body      the body, at most 65535 bytes
     * @throws IllegalArgumentException if a field is out of range
     */
    public WireFrame(int channel, int proto, int status, long messageId, byte[] headers, byte[] body) {
        if (channel < 0 || channel > 0xFFFF || proto < 0 || proto > 0xFF || status < 0 || status > 0xFF
                || headers.length > MAX_BLOCK || body.length > MAX_BLOCK) {
            throw new IllegalArgumentException("field out of range: channel " + channel + ", proto " + proto
                    + ", status " + status + ", headers " + headers.length + " B, body " + body.length + " B");
        }
        this.channel = channel;
        this.proto = proto;
        this.status = status;
        this.messageId = messageId;
        this.headers = headers;
        this.body = body;
    }

    /** A frame as a well-behaved sender writes it: origin, status and reserved bits 0, no headers, no body. */
    public static WireFrame of(int opcode, int channel, long messageId) {
        return new WireFrame(channel, opcode & OPCODE_MASK, 0, messageId, new byte[0], new byte[0]);
    }

    /** Returns a copy with the text-header block built from {@code name:value} pairs, each line ending in CR LF. */
    public WireFrame withHeaders(String... nameValuePairs) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i + 1 < nameValuePairs.length; i += 2) {
            sb.append(nameValuePairs[i]).append(':').append(nameValuePairs[i + 1]).append("\r\n");
        }
        return withHeaderBlock(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Returns a copy with this exact text-header block. */
    public WireFrame withHeaderBlock(byte[] block) {
        return new WireFrame(channel, proto, status, messageId, block, body);
    }

    /** Returns a copy with this body. */
    public WireFrame withBody(byte[] newBody) {
        return new WireFrame(channel, proto, status, messageId, headers, newBody);
    }

    /** Returns a copy with the more bit set or cleared. */
    public WireFrame withMore(boolean more) {
        return withProto(more ? proto | MORE_BIT : proto & ~MORE_BIT);
    }

    /** Returns a copy with this whole proto byte. */
    public WireFrame withProto(int newProto) {
        return new WireFrame(channel, newProto, status, messageId, headers, body);
    }

    /** Returns the sender's channel number. */
    public int channel() {
        return channel;
    }

    /** Returns the whole proto byte. */
    public int proto() {
        return proto;
    }

    /** Returns the opcode bits, 0..15. */
    public int opcode() {
        return proto & OPCODE_MASK;
    }

    /** Returns the opcode's name, or {@code OPCODE_12} for a code that does not exist. */
    public String opcodeName() {
        return opcodeName(opcode());
    }

    /** Returns the name of opcode {@code code}, or {@code OPCODE_<code>} for 10..15. */
    public static String opcodeName(int code) {
        return code < NAMES.length ? NAMES[code] : "OPCODE_" + code;
    }

    /** Returns true for opcodes that may travel between peers (0..7). */
    public boolean travels() {
        return opcode() <= 7;
    }

    /** Returns the more bit. */
    public boolean more() {
        return (proto & MORE_BIT) != 0;
    }

    /** Returns the origin bit (a sender must write 0). */
    public boolean originBit() {
        return (proto & ORIGIN_BIT) != 0;
    }

    /** Returns the reserved bits, in place (0x00, 0x40, 0x80 or 0xC0). */
    public int reservedBits() {
        return proto & RESERVED_MASK;
    }

    /** Returns the status byte (a sender must write 0). */
    public int status() {
        return status;
    }

    /** Returns the message id, unsigned. */
    public long messageId() {
        return messageId;
    }

    /** Returns the message id in decimal, unsigned. */
    public String messageIdText() {
        return Long.toUnsignedString(messageId);
    }

    /** Returns the text-header block as received (not a copy). */
    public byte[] headerBlock() {
        return headers;
    }

    /** Returns the text headers the block holds, read by the receiving rules. */
    public List<TextHeader> headers() {
        return HeaderBlock.parse(headers);
    }

    /** Returns the body (not a copy). */
    public byte[] body() {
        return body;
    }

    /** Returns the number of bytes the frame occupies on the wire. */
    public int wireLength() {
        return HEADER_SIZE + headers.length + body.length;
    }

    /** Returns the frame's bytes, as they travel. */
    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(wireLength()); // big-endian, the wire order
        b.putShort((short) channel).put((byte) proto).put((byte) status).putLong(messageId)
                .putShort((short) headers.length).putShort((short) body.length).put(headers).put(body);
        return b.array();
    }

    /** Returns the first 16 bytes as they travel: what most checks show as evidence. */
    public byte[] binaryHeader() {
        byte[] all = new byte[HEADER_SIZE];
        System.arraycopy(encode(), 0, all, 0, HEADER_SIZE);
        return all;
    }

    @Override
    public String toString() {
        return opcodeName() + " ch " + channel + " id " + messageIdText() + (more() ? " more" : "") + " thl "
                + headers.length + " bl " + body.length;
    }
}
