package tofu;

import tofu.internal.MessageAccess;

/** The engine's view of a message's internals; see {@link MessageAccess}. Stateless and thread-safe. */
final class MessageAccessImpl extends MessageAccess {

    @Override
    public BinaryHeader header(Message m) {
        return m.header;
    }

    @Override
    public TextHeaders textHeaders(Message m) {
        return m.textHeaders;
    }

    @Override
    public Body body(Message m) {
        return m.body;
    }

    @Override
    public void markEngineReport(Message m, AmpeStatus status) {
        m.header.origin(Origin.ENGINE);
        m.header.status(status);
    }

    @Override
    public void markApplication(Message m, AmpeStatus status) {
        m.header.origin(Origin.APPLICATION);
        m.header.status(status);
    }

    @Override
    public void decodeHeader(Message m, byte[] b) {
        m.header.decode(getShort(b, 0), b[2], b[3], getLong(b, 4), getShort(b, 12), getShort(b, 14));
        // A peer cannot forge an engine report.
        m.header.origin(Origin.APPLICATION);
    }

    @Override
    public void decodeHeader(Message m, short channel, byte proto, byte status, long id, short thl, short bl) {
        m.header.decode(channel, proto, status, id, thl, bl);
        m.header.origin(Origin.APPLICATION);
    }

    @Override
    public int encodeHeader(Message m, byte[] b) {
        BinaryHeader h = m.header;
        int thl = m.textHeaders.bytes.length();
        int bl = m.body.bytes.length();
        putShort(b, 0, h.channelNumber());
        // A sender always writes origin 0, status 0, reserved bits 0.
        b[2] = (byte) (h.opCode().code() | (h.more() ? 0x20 : 0));
        b[3] = 0;
        long id = h.messageId();
        for (int i = 0; i < 8; i++) {
            b[4 + i] = (byte) (id >>> (56 - 8 * i));
        }
        putShort(b, 12, thl);
        putShort(b, 14, bl);
        return BinaryHeader.SIZE + thl + bl;
    }

    @Override
    public byte[] textHeaderBytes(Message m) {
        return m.textHeaders.bytes.array();
    }

    @Override
    public byte[] bodyBytes(Message m) {
        return m.body.bytes.array();
    }

    @Override
    public byte[] resizeTextHeaders(Message m, int length) {
        m.header.lengths(length, m.header.bodyLength());
        return m.textHeaders.bytes.resize(length);
    }

    @Override
    public byte[] resizeBody(Message m, int length) {
        m.header.lengths(m.header.textHeadersLength(), length);
        return m.body.bytes.resize(length);
    }

    @Override
    public boolean isPosted(Message m) {
        return m.posted;
    }

    @Override
    public void posted(Message m, boolean posted) {
        m.posted = posted;
    }

    @Override
    public Message next(Message m) {
        return m.next;
    }

    @Override
    public void next(Message m, Message next) {
        m.next = next;
    }

    @Override
    public Object attachment(Message m) {
        return m.attachment;
    }

    @Override
    public void attachment(Message m, Object attachment) {
        m.attachment = attachment;
    }

    @Override
    public void moveFrame(Message from, Message to) {
        to.header.copyFrom(from.header);
        to.textHeaders.bytes.swap(from.textHeaders.bytes);
        to.body.bytes.swap(from.body.bytes);
        from.resetUnchecked();
    }

    @Override
    public boolean takeEngineAllocated(Message m) {
        boolean was = m.engineAllocated;
        if (was) {
            m.engineAllocated = false;
        }
        return was;
    }

    @Override
    public void markEngineAllocated(Message m) {
        m.engineAllocated = true;
    }

    @Override
    public void reset(Message m) {
        m.resetUnchecked();
    }

    private static short getShort(byte[] b, int off) {
        return (short) (((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF));
    }

    private static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    private static void putShort(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }
}
