package tofu;

import tofu.internal.MessageAccess;
import tofu.internal.PostTarget;

/**
 * The engine's view of a message's internals; see {@link MessageAccess}, whose install from {@link Message} makes the
 * one documented cycle between {@code tofu} and {@code tofu.internal}. Raw access only: no wire format here.
 * Stateless and thread-safe.
 */
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
    public void decodeHeader(Message m, short channel, byte proto, byte status, long id, short thl, short bl) {
        m.header.decode(channel, proto, status, id, thl, bl);
        m.header.origin(Origin.APPLICATION); // a peer cannot forge an engine report
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
    public PostTarget target(Message m) {
        return m.target;
    }

    @Override
    public void target(Message m, PostTarget target) {
        m.target = target;
    }

    @Override
    public void replaceHeader(Message m, String name, String value) {
        m.textHeaders.replaceFirst(name, value);
        m.header.lengths(m.textHeaders.bytes.length(), m.header.bodyLength());
    }

    @Override
    public void setOnlyHeader(Message m, String name, String value) {
        try {
            m.textHeaders.removeAll(name);
            if (value != null) {
                m.textHeaders.append(name, value);
            }
        } finally {
            m.header.lengths(m.textHeaders.bytes.length(), m.header.bodyLength());
        }
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
}
