package tofu.internal;

import tofu.AmpeStatus;
import tofu.Message;

/**
 * How a connected channel ({@code IoChannel}, its {@link Owner}) ends, once: {@link #teardown} with the contract's
 * notifications (every unsent message returned, queued first and then held, with the reason; then exactly one
 * CHANNEL_CLOSED signal, last), or {@link #abort()}, silent (the messages go back to the pool, nobody is told). Both
 * close the same way first ({@link #close}); the second end of a channel does nothing.
 *
 * <p>Confined to the engine thread; owned by its channel.
 */
final class ChannelEnd {
    /** The channel being ended. Engine thread only. */
    interface Owner {
        /** True once the channel has a number: only then does anyone hear of its end. */
        boolean announced();

        /** Sends the closing signal and releases the number: the last step of an announced teardown. */
        void finishTeardown(AmpeStatus reason, String detail);

        /** Releases the number without telling anyone. */
        void releaseSilently();
    }

    private final Owner channel;
    private final ChannelContext ctx;
    private final GroupImpl group;
    private final Connection connection;
    private final ChannelDeadline deadline;
    private final WriteSide writer;
    private final ReadSide reader;

    ChannelEnd(Owner channel, ChannelContext ctx, GroupImpl group, Connection connection, ChannelDeadline deadline,
            WriteSide writer, ReadSide reader) {
        this.channel = channel;
        this.ctx = ctx;
        this.group = group;
        this.connection = connection;
        this.deadline = deadline;
        this.writer = writer;
        this.reader = reader;
    }

    /** Ends the channel: silently while unannounced, with notifications afterwards. */
    void end(AmpeStatus reason, boolean graceful, String detail) {
        if (channel.announced()) {
            teardown(reason, graceful, detail);
        } else {
            abort();
        }
    }

    /**
     * Ends the channel with the contract's notifications; {@code detail}, if any, says why in words: each returned
     * message carries it as {@code ~reason}, and it follows the status name in the CHANNEL_CLOSED signal's.
     * {@code graceful} closes with FIN rather than RST.
     */
    void teardown(AmpeStatus reason, boolean graceful, String detail) {
        assert ctx.inEngineThread();
        MessageList unsent = close(graceful);
        if (unsent == null) {
            return;
        }
        for (Message m; (m = unsent.poll()) != null; ) {
            ctx.report(group, m, reason, detail);
        }
        channel.finishTeardown(reason, detail);
    }

    /** Ends the channel silently: messages go back to the pool, nobody is told. */
    void abort() {
        assert ctx.inEngineThread();
        MessageList unsent = close(false);
        if (unsent == null) {
            return;
        }
        for (Message m; (m = unsent.poll()) != null; ) {
            ctx.recycle(m);
        }
        channel.releaseSilently();
    }

    /**
     * The close both ends share, in this order: the life ends (an accepted connection's admission place is given
     * back), no limit runs, nothing counts as blocked, no posting thread writes any more (one that is writing is
     * waited out: a non-blocking system call), the socket closes, the read side lets go of its pool message.
     * Returns every unsent message, queued then held, or null if the channel had ended already.
     */
    private MessageList close(boolean graceful) {
        if (!connection.markClosed()) {
            return null;
        }
        deadline.stop();
        writer.writeBlocked(false);
        // No posting thread writes from here on; a frame one could not finish is the first unsent message.
        Message handed = writer.owner.close();
        connection.closeSocket(graceful);
        reader.release();
        MessageList unsent = new MessageList();
        if (handed != null) {
            unsent.add(handed);
        }
        writer.queue.drainUnsent(unsent);
        return unsent;
    }
}
