package tofu.internal;

import java.util.ArrayList;
import java.util.List;
import tofu.BinaryHeader;
import tofu.ChannelGroup;
import tofu.Message;

/**
 * A {@link GroupImpl.Owner} without an engine, for unit tests of the engine thread's helpers: groups made with it
 * exist, receive and can be destroyed, and what they give back to "the pool" is listed here. Posting through such a
 * group is not supported (the tests drive the helpers directly). Single-threaded.
 */
final class TestOwner implements GroupImpl.Owner {
    /** Messages the groups' receive queues handed back. */
    final List<Message> recycled = new ArrayList<>();

    /** A new group of this owner. */
    GroupImpl group() {
        return new GroupImpl(this);
    }

    @Override
    public BinaryHeader post(GroupImpl group, Message msg, BinaryHeader into) {
        throw new UnsupportedOperationException("no engine behind this group");
    }

    @Override
    public void destroy(ChannelGroup group) {
        ((GroupImpl) group).markDestroyed();
    }

    @Override
    public void recycle(Message msg) {
        recycled.add(msg);
    }

    /** Loans of frames delivered as bytes that the groups' queues dropped when closed. */
    int loansReleased;

    /** Decodes into a new message: this owner has no pool to lend from. */
    @Override
    public Message decodeLent(java.nio.ByteBuffer frame) {
        Message m = Message.create();
        FrameDecoder.decodeWhole(frame, m);
        return m;
    }

    @Override
    public void releaseLoans(int n) {
        loansReleased += n;
    }
}
