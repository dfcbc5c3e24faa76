package tofu.support;

import java.nio.ByteBuffer;
import java.util.List;
import tofu.BinaryHeader;
import tofu.Message;
import tofu.TextHeader;

/**
 * An immutable copy of everything a message carries, for "the message is unchanged" assertions: equal snapshots mean
 * equal binary headers (every field), equal text headers (in order) and equal bodies.
 *
 * @param header  a copy of the binary header
 * @param headers the text headers in order
 * @param body    the body bytes (a read-only buffer compares by content)
 */
public record MessageSnapshot(BinaryHeader header, List<TextHeader> headers, ByteBuffer body) {

    /** Copies {@code m}; the snapshot does not change when {@code m} does. */
    public static MessageSnapshot of(Message m) {
        return new MessageSnapshot(new BinaryHeader().copyFrom(m.bhdr()), List.copyOf(m.thdrs().toList()),
                ByteBuffer.wrap(m.body().toByteArray()).asReadOnlyBuffer());
    }

    /** This snapshot with the binary header replaced (e.g. to describe the expected state after a change). */
    public MessageSnapshot withHeader(BinaryHeader h) {
        return new MessageSnapshot(new BinaryHeader().copyFrom(h), headers, body);
    }
}
