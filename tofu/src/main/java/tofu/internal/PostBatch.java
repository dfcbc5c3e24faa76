package tofu.internal;

import tofu.Message;

/**
 * The posts the engine took from the {@link PostQueue} in one swap, in posting order: each message (or, for a post
 * its thread encoded, the frame's place in the log) beside the {@link PostTarget} its {@code post} resolved, in
 * parallel arrays that change hands with the queue's.
 *
 * <p>Why arrays and not a chain linked through the messages: reading a chain is one dependent cache miss per message
 * (each message's link is only known once the message before it arrived from the posting core), while slots of an
 * array are independent loads that the processor overlaps; and a reference stored into an array slot dirties one
 * card for 128 neighbours, where a link stored into an old pooled message dirties a card of its own for G1 to refine.
 *
 * <p>Read it with {@link #next()}, then the {@code polled…} accessors. Confined to the engine thread; owns the
 * messages it holds until {@link #next()} hands each on, and the loans of its encoded frames until they are routed.
 */
final class PostBatch {
    private Message[] messages;
    private PostTarget[] targets;
    private int[] frames;
    private byte[] log;
    /** A view of {@link #log}, changing hands with it (the queue encodes through it; none is made per swap). */
    private java.nio.ByteBuffer logView;
    private int size;
    private int next;
    /** Where the next encoded frame starts in {@link #log}. */
    private int logPosition;
    private Message polledMessage;
    private PostTarget polledTarget;
    private int polledFrame;
    private int polledOffset;

    PostBatch(int capacity) {
        this.messages = new Message[capacity];
        this.targets = new PostTarget[capacity];
        this.frames = new int[capacity];
        this.log = new byte[capacity * 128]; // arrays change hands with the queue's, so the first sizes hardly matter
        this.logView = java.nio.ByteBuffer.wrap(log);
    }

    /** True when every post taken has been handed on. */
    boolean isEmpty() {
        return next == size;
    }

    /**
     * Moves to the oldest post not yet handed on; false when none is left (the batch is then empty and ready for the
     * next swap, and the accessors return null and 0).
     */
    boolean next() {
        if (next == size) {
            next = 0;
            size = 0;
            logPosition = 0;
            polledMessage = null;
            polledTarget = null;
            polledFrame = 0;
            return false;
        }
        polledMessage = messages[next];
        polledTarget = targets[next];
        polledFrame = frames[next];
        messages[next] = null; // null stores: no card to refine, and the batch keeps no message alive
        targets[next] = null;
        next++;
        if (polledFrame != 0) {
            polledOffset = logPosition;
            logPosition += Math.abs(polledFrame);
        }
        return true;
    }

    /** The message of the current post; null if its thread encoded it (see {@link #polledFrame()}). */
    Message polledMessage() {
        return polledMessage;
    }

    /** The target of the current post. */
    PostTarget polledTarget() {
        return polledTarget;
    }

    /**
     * 0 for a post of a message; else the length of its encoded frame in {@link #log()} from {@link #polledOffset()},
     * positive if the pool lent a message to it, negative if not.
     */
    int polledFrame() {
        return polledFrame;
    }

    int polledOffset() {
        return polledOffset;
    }

    /** The encoded frames of the batch. */
    byte[] log() {
        return log;
    }

    /** Messages of the batch, for the queue's swap. */
    Message[] messages() {
        return messages;
    }

    PostTarget[] targets() {
        return targets;
    }

    int[] frames() {
        return frames;
    }

    java.nio.ByteBuffer logView() {
        return logView;
    }

    /**
     * Takes {@code filled} arrays holding {@code count} posts from the queue. The batch must be empty; its own arrays,
     * all nulls, are the caller's to reuse (read them with the accessors before).
     */
    void adopt(Message[] filled, PostTarget[] filledTargets, int[] filledFrames, byte[] filledLog,
            java.nio.ByteBuffer filledLogView, int count) {
        assert isEmpty();
        messages = filled;
        targets = filledTargets;
        frames = filledFrames;
        log = filledLog;
        logView = filledLogView;
        size = count;
        next = 0;
        logPosition = 0;
    }
}
