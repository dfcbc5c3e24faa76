package tofu.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import tofu.AmpeStatus;
import tofu.Message;
import tofu.OpCode;

/**
 * Routes posted messages on the engine thread, a batch at a time, by the {@link PostTarget} each was posted with: an
 * opening request to the {@link ChannelOpener}, a post to an existing channel onto its send queue, a BYE_SIGNAL to the
 * channel's teardown, a post whose channel closed back to its group, one whose group is gone back to the pool. The
 * connects and listens of a batch start once it is routed, so that posts behind an opening request queue on the new
 * channel first. A post its thread encoded ({@link PostQueue}) is routed the same way as bytes: onto its channel's send
 * queue, or, if the channel closed meanwhile, rebuilt into a message that comes back to the group.
 *
 * <p>Confined to the engine thread. Owns the messages of the batch it is routing until each is routed.
 */
final class PostRouter {
    private static final System.Logger LOG = System.getLogger("tofu");
    private static final MessageAccess M = MessageAccess.get();
    /** Posts handled in one round before the loop flushes and serves readiness: bounds the delay of everything else. */
    private static final int MAX_POSTS_PER_ROUND = 4096;

    private final EngineThread thread;
    private final int engineId;
    private final PostQueue posts;
    private final ChannelOpener opener;
    private final Deliveries deliveries;
    private final Recycler recycler;
    private final PoolExchange pool;
    private final PostBatch batch = new PostBatch(PostQueue.INITIAL_CAPACITY);
    /** Starts of the channels opened by the current batch. */
    private final List<Runnable> opened = new ArrayList<>();

    PostRouter(EngineThread thread, int engineId, PostQueue posts, ChannelOpener opener, Deliveries deliveries,
            Recycler recycler, PoolExchange pool) {
        this.pool = pool;
        this.thread = thread;
        this.engineId = engineId;
        this.posts = posts;
        this.opener = opener;
        this.deliveries = deliveries;
        this.recycler = recycler;
    }

    /** Routes what was posted, in batches while more arrives (up to a bound), then starts the channels they opened. */
    void drain() {
        assert thread.isCurrent();
        if (posts.isEmpty()) {
            return;
        }
        int handled = 0;
        posts.routing(true); // before the drain: a post is always in the queue, in the batch, or routed
        try {
            do {
                posts.drainTo(batch);
                while (batch.next()) {
                    handled++;
                    try {
                        Message m = batch.polledMessage();
                        if (m != null) {
                            route(m, batch.polledTarget());
                        } else {
                            routeEncoded((ChannelSlot) batch.polledTarget()); // only channel posts are encoded
                        }
                    } catch (RuntimeException e) {
                        // A bug must cost one message, never the engine: log it once, with context, and go on.
                        LOG.log(Level.ERROR, "tofu engine " + engineId + ": failed to handle a posted message", e);
                    }
                }
                // Posts that arrived meanwhile join this round, so the flush that follows writes more per call.
            } while (handled < MAX_POSTS_PER_ROUND && !posts.isEmpty());
        } finally {
            posts.routing(false);
        }
        startOpened();
    }

    /** Gives back the rest of a batch that an unexpected error cut short (the loop is ending). */
    void dropBatch() {
        assert thread.isCurrent();
        while (batch.next()) {
            Message m = batch.polledMessage();
            if (m != null) {
                recycler.recycle(m);
            } else if (batch.polledFrame() > 0) {
                pool.lentWritten(); // dropped like the message it stands for
            }
        }
    }

    /** Routes a post its thread encoded: the same outcomes as {@link #route}, with bytes instead of a message. */
    private void routeEncoded(ChannelSlot slot) {
        int frame = batch.polledFrame();
        boolean lent = frame > 0;
        int length = Math.abs(frame);
        if (slot.group.isTornDown()) {
            if (lent) {
                pool.lentWritten();
            }
            return;
        }
        GroupMember channel = slot.channel;
        if (channel == null) {
            // The channel closed before this post was processed: the message comes back, with no further signal.
            deliveries.report(slot.group, pool.rebuild(batch.log(), batch.polledOffset(), length, lent),
                    AmpeStatus.CHANNEL_CLOSED);
        } else {
            ((IoChannel) channel).enqueueEncoded(batch.log(), batch.polledOffset(), length, lent);
        }
    }

    private void route(Message m, PostTarget target) {
        if (target instanceof OpenRequest) {
            Runnable start = opener.open((OpenRequest) target, m);
            if (start != null) {
                opened.add(start);
            }
            return;
        }
        ChannelSlot slot = (ChannelSlot) target; // the only other kind of PostTarget
        if (slot.group.isTornDown()) {
            recycler.recycle(m);
            return;
        }
        GroupMember channel = slot.channel;
        if (channel == null) {
            // The channel closed before this post was processed: the message comes back, with no further signal.
            deliveries.report(slot.group, m, AmpeStatus.CHANNEL_CLOSED);
        } else if (M.header(m).opCode() == OpCode.BYE_SIGNAL) {
            deliveries.report(slot.group, m, AmpeStatus.CHANNEL_CLOSED);
            channel.teardown(AmpeStatus.CHANNEL_CLOSED, false);
        } else {
            ((IoChannel) channel).enqueue(m); // the validator lets only BYE_SIGNAL reach a listener
        }
    }

    private void startOpened() {
        for (int i = 0; i < opened.size(); i++) {
            try {
                opened.get(i).run();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "tofu engine " + engineId + ": failed to open a channel", e);
            }
        }
        opened.clear();
    }
}
