package tofu.internal;

import tofu.Message;

/**
 * The posts the engine took from the {@link PostQueue} in one swap: each message beside the {@link PostTarget} its
 * {@code post} resolved, in posting order, in two parallel arrays that change hands with the queue's.
 *
 * <p>Why arrays and not a chain linked through the messages: reading a chain is one dependent cache miss per message
 * (each message's link is only known once the message before it arrived from the posting core), while slots of an
 * array are independent loads that the processor overlaps; and a reference stored into an array slot dirties one
 * card for 128 neighbours, where a link stored into an old pooled message dirties a card of its own for G1 to refine.
 *
 * <p>Confined to the engine thread; owns the messages it holds until {@link #poll()} hands each on.
 */
final class PostBatch {
    private Message[] messages;
    private PostTarget[] targets;
    private int size;
    private int next;
    /** The target of the message {@link #poll()} returned last. */
    private PostTarget polledTarget;

    PostBatch(int capacity) {
        this.messages = new Message[capacity];
        this.targets = new PostTarget[capacity];
    }

    /** True when every message taken has been handed on. */
    boolean isEmpty() {
        return next == size;
    }

    /**
     * Removes and returns the oldest message not yet handed on, its target then in {@link #polledTarget()}; null when
     * none is left (the batch is then empty and ready for the next swap).
     */
    Message poll() {
        if (next == size) {
            next = 0;
            size = 0;
            polledTarget = null;
            return null;
        }
        Message m = messages[next];
        polledTarget = targets[next];
        messages[next] = null; // null stores: no card to refine, and the batch keeps no message alive
        targets[next] = null;
        next++;
        return m;
    }

    /** The target of the message the last {@link #poll()} returned (null after it returned null). */
    PostTarget polledTarget() {
        return polledTarget;
    }

    /** Messages of the batch, for the queue's swap. */
    Message[] messages() {
        return messages;
    }

    PostTarget[] targets() {
        return targets;
    }

    /**
     * Takes {@code filled} arrays holding {@code count} posts from the queue. The batch must be empty; its own arrays,
     * all nulls, are the caller's to reuse (read them with {@link #messages()} and {@link #targets()} before).
     */
    void adopt(Message[] filled, PostTarget[] filledTargets, int count) {
        assert isEmpty();
        messages = filled;
        targets = filledTargets;
        size = count;
        next = 0;
    }
}
