package tofu;

import java.nio.ByteBuffer;
import tofu.internal.MessageAccess;

/**
 * The engine's view of a message's internals; see {@link MessageAccess}, whose install from {@link Message} makes the
 * one documented cycle between {@code tofu} and {@code tofu.internal}. Raw access only: every method is one field
 * read or write, or one call to a package-private method; no wire format, no composition. Stateless and thread-safe.
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
    public void origin(Message m, Origin origin) {
        m.header.origin(origin);
    }

    @Override
    public void status(Message m, AmpeStatus status) {
        m.header.status(status);
    }

    @Override
    public void decode(Message m, short channel, byte proto, byte status, long id, short thl, short bl) {
        m.header.decode(channel, proto, status, id, thl, bl);
    }

    @Override
    public void lengths(Message m, int textHeadersLength, int bodyLength) {
        m.header.lengths(textHeadersLength, bodyLength);
    }

    @Override
    public byte[] textHeaderBytes(Message m) {
        return m.textHeaders.bytes.array();
    }

    @Override
    public void copyBodyOut(Message m, int from, int n, ByteBuffer dst) {
        m.body.bytes.copyOut(from, n, dst);
    }

    @Override
    public void copyBodyIn(Message m, ByteBuffer src, int at, int n) {
        m.body.bytes.copyIn(src, at, n);
    }

    @Override
    public ByteBuffer bodyGatherView(Message m) {
        return m.body.bytes.gatherView();
    }

    @Override
    public int bodyCapacity(Message m) {
        return m.body.bytes.capacity();
    }

    @Override
    public byte[] resizeTextHeaderBytes(Message m, int length) {
        return m.textHeaders.bytes.resize(length);
    }

    @Override
    public void resizeBody(Message m, int length) {
        m.body.bytes.resize(length);
    }

    @Override
    public void replaceFirstHeader(Message m, String name, String value) {
        m.textHeaders.replaceFirst(name, value);
    }

    @Override
    public void removeHeaders(Message m, String name) {
        m.textHeaders.removeAll(name);
    }

    @Override
    public void swapStorage(Message a, Message b) {
        a.textHeaders.bytes.swap(b.textHeaders.bytes);
        a.body.bytes.swap(b.body.bytes);
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
    public boolean engineAllocated(Message m) {
        return m.engineAllocated;
    }

    @Override
    public boolean received(Message m) {
        return m.received;
    }

    @Override
    public void received(Message m, boolean received) {
        m.received = received;
    }

    @Override
    public void engineAllocated(Message m, boolean engineAllocated) {
        m.engineAllocated = engineAllocated;
    }

    @Override
    public void reset(Message m) {
        m.resetUnchecked();
    }

    @Override
    public Message create(int bodyCapacity) {
        return Message.withBodyCapacity(bodyCapacity);
    }
}
