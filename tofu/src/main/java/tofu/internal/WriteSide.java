package tofu.internal;

import java.io.IOException;
import tofu.AmpeStatus;
import tofu.Message;
import tofu.OpCode;

/**
 * The sending half of a connected channel ({@code IoChannel}, its {@link Owner}): takes the posts for the channel
 * (returning those beyond {@code Options.maxQueuedPerChannel}), asks the loop for one flush per batch of posts, writes
 * through the channel's transport, and tracks whether the socket refuses bytes — which, for an accepted channel
 * with a deep queue, pauses its reading ({@link #pausedForPeer()}). The queue and its bye rules are
 * {@link SendQueue}'s. It is what the loop flushes ({@link ChannelContext.Flush}).
 *
 * <p>Two independent facts are booleans: {@code dirty} (a flush is asked for this batch of posts) and
 * {@code writeBlocked} (the socket refused bytes at the last write).
 *
 * <p>Confined to the engine thread; owned by its channel.
 */
final class WriteSide implements ChannelContext.Flush {
    private static final MessageAccess M = MessageAccess.get();

    /** What the sending half tells its channel. Engine thread only. */
    interface Owner {
        /** The channel's number, 0 while it has none. */
        int number();

        /** A write failed: the channel ends. */
        void writeFailed(IOException e);

        /** A write went through (in full or not): the interest set and a pause for the peer may change. */
        void written();
    }

    private final Owner channel;
    private final ChannelContext ctx;
    private final GroupImpl group;
    private final Connection connection;
    private final boolean accepted;
    final SendQueue queue;
    /** Whether the engine or a posting thread may write the socket now ({@link DirectWriter}). */
    final WriteOwner owner = new WriteOwner(this::resume);
    private boolean dirty;
    private boolean writeBlocked;

    /** The sending half of {@code channel} over {@code connection}. */
    WriteSide(Owner channel, ChannelContext ctx, GroupImpl group, Connection connection, boolean accepted) {
        this.channel = channel;
        this.ctx = ctx;
        this.group = group;
        this.connection = connection;
        this.accepted = accepted;
        this.queue = new SendQueue(ctx);
    }

    /** Queues a posted message (or holds it, after a bye); asks for a flush once the batch of posts is handled. */
    void enqueue(Message m) {
        assert ctx.inEngineThread();
        if (ctx.limits().refusesQueueing(queue.depth(), M.header(m).opCode())) {
            refuse(m);
            return;
        }
        owner.claim(); // an idle channel is the engine's again; a posting thread that writes it will hand it back
        if (queue.add(m) && connection.isOpen() && !writeBlocked && !dirty) {
            dirty = true;
            ctx.markDirty(this);
        }
    }

    /**
     * Queues a posted frame its thread encoded ({@link PostQueue}): as {@link #enqueue}, the frame being rebuilt into
     * a message when it comes back (queue full).
     */
    void enqueueEncoded(byte[] log, int offset, int length, boolean lent) {
        assert ctx.inEngineThread();
        OpCode op = OpCode.fromCode(Wire.opCode(log[offset + Wire.PROTO]));
        if (ctx.limits().refusesQueueing(queue.depth(), op)) {
            refuse(ctx.rebuild(log, offset, length, lent));
            return;
        }
        owner.claim();
        if (queue.addEncoded(op, log, offset, length, lent) && connection.isOpen() && !writeBlocked && !dirty) {
            dirty = true;
            ctx.markDirty(this);
        }
    }

    /** Returns a post beyond {@code Options.maxQueuedPerChannel} with SEND_FAILED. */
    private void refuse(Message m) {
        String why = "send queue full: " + queue.depth() + " messages wait on channel " + channel.number()
                + " (Options.maxQueuedPerChannel)";
        ctx.counters().queueRefused();
        ctx.report(group, m, AmpeStatus.SEND_FAILED, why);
    }

    /** The loop's flush of this batch: writes if a post asked for it and the socket takes bytes. */
    @Override
    public void flushIfDirty() {
        assert ctx.inEngineThread();
        if (dirty) {
            dirty = false;
            if (connection.isOpen() && !writeBlocked) {
                flush();
            }
        }
    }

    /**
     * Writes what is queued; a write failure ends the channel. While a posting thread owns the socket the engine does
     * not write: that thread hands the channel back with {@link Command.Resume}, and {@link #resume()} flushes.
     */
    void flush() {
        assert ctx.inEngineThread();
        if (!owner.engineOwns()) {
            return;
        }
        boolean drained;
        try {
            drained = queue.writeTo(connection.transport());
        } catch (IOException e) {
            channel.writeFailed(e);
            return;
        }
        writeBlocked(!drained);
        channel.written();
        if (drained && queue.depth() == 0 && queue.bye() == ByeExchange.NONE && connection.isOpen()) {
            owner.offerIdle();
        }
    }

    /** The channel is open: posting threads may write it directly when it is idle, if its transport allows. */
    void opened() {
        assert ctx.inEngineThread();
        ByteTransport t = connection.transport();
        if (t.writableFromAnyThread()) {
            owner.transport(t);
        }
        flush();
    }

    /** A bye frame arrived: the rules of what may still be sent change, so no posting thread writes any more. */
    void peerBye() {
        assert ctx.inEngineThread();
        queue.peerBye();
        owner.claim();
    }

    /**
     * A posting thread gave the channel back ({@link Command.Resume}): the frame it could not finish goes first —
     * or, if its write failed, ends the channel first among the returned messages — then what was queued meanwhile.
     */
    private void resume() {
        assert ctx.inEngineThread();
        Message rest = owner.resume();
        if (!connection.isOpen()) {
            return; // ended meanwhile: the end took the handed frame (WriteOwner.close)
        }
        if (rest != null) {
            IOException failure = owner.handedFailure();
            if (failure != null) {
                queue.returnFirst(rest);
                channel.writeFailed(failure);
                return;
            }
            queue.resumeTail(rest, owner.handedWritten());
        }
        flush();
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
