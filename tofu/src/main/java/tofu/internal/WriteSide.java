package tofu.internal;

import java.io.IOException;
import tofu.AmpeStatus;
import tofu.Message;

/**
 * The sending half of an {@link IoChannel}: takes the posts for the channel (returning those beyond
 * {@code Options.maxQueuedPerChannel}), asks the loop for one flush per batch of posts, writes through the channel's
 * transport, and tracks whether the socket refuses bytes — which, for an accepted channel with a deep queue, pauses its
 * reading ({@link #pausedForPeer()}). The queue and its bye rules are {@link SendQueue}'s.
 *
 * <p>Confined to the engine thread; owned by its channel.
 */
final class WriteSide {
    private static final MessageAccess M = MessageAccess.get();

    private final IoChannel channel;
    private final ChannelContext ctx;
    private final boolean accepted;
    final SendQueue queue;
    private boolean dirty;
    private boolean writeBlocked;

    WriteSide(IoChannel channel, ChannelContext ctx, boolean accepted) {
        this.channel = channel;
        this.ctx = ctx;
        this.accepted = accepted;
        this.queue = new SendQueue(ctx);
    }

    /** Queues a posted message (or holds it, after a bye); asks for a flush once the batch of posts is handled. */
    void enqueue(Message m) {
        if (ctx.limits().refusesQueueing(queue.depth(), M.header(m).opCode())) {
            String why = "send queue full: " + queue.depth() + " messages wait on channel " + channel.number()
                    + " (Options.maxQueuedPerChannel)";
            ctx.counters().queueRefused();
            ctx.report(channel.group, m, AmpeStatus.SEND_FAILED, why);
            return;
        }
        if (queue.add(m) && channel.isOpen() && !writeBlocked && !dirty) {
            dirty = true;
            ctx.markDirty(channel);
        }
    }

    /** The loop's flush of this batch: writes if a post asked for it and the socket takes bytes. */
    void flushIfDirty(ByteTransport transport) {
        if (dirty) {
            dirty = false;
            if (channel.isOpen() && !writeBlocked) {
                flush(transport);
            }
        }
    }

    /** Writes what is queued; a write failure ends the channel. */
    void flush(ByteTransport transport) {
        boolean drained;
        try {
            drained = queue.writeTo(transport);
        } catch (IOException e) {
            channel.writeFailed(e);
            return;
        }
        writeBlocked(!drained);
        channel.updateInterest();
        channel.reader().endPauseIfOver();
    }

    /** Tracks whether the socket refused bytes; {@link PoolExchange} counts such channels for its deadlock rule. */
    void writeBlocked(boolean blocked) {
        if (writeBlocked != blocked) {
            writeBlocked = blocked;
            ctx.writeBlocked(blocked);
        }
    }

    boolean writeBlocked() {
        return writeBlocked;
    }

    /** An accepted channel whose socket refuses bytes: its peer does not read (no deadlock-rule message for it). */
    boolean peerDoesNotRead() {
        return accepted && writeBlocked;
    }

    /**
     * True while this accepted channel's peer does not read: its socket refuses bytes and at least the pause depth of
     * messages wait behind it. Reading it again would only grow a queue that cannot drain.
     */
    boolean pausedForPeer() {
        return peerDoesNotRead() && queue.depth() >= ctx.limits().pauseDepth;
    }
}
