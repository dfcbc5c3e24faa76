package tofu.internal;

import java.nio.ByteBuffer;
import tofu.Message;

/**
 * Gives messages back to an engine's pool and, when that ends a starvation episode, tells the loop (its
 * {@link Inbox#poolRefilled()}) so that it resumes the channels waiting for pool messages. The one way back to the
 * pool for the engine's front end and its loop alike. Any thread; holds no state of its own.
 */
final class Recycler {
    private final MessagePool pool;
    /** Run when a put ended a starvation episode of the pool (rare: not per message). */
    private final Runnable poolRefilled;

    Recycler(MessagePool pool, Runnable poolRefilled) {
        this.pool = pool;
        this.poolRefilled = poolRefilled;
    }

    /** Gives {@code m} back to the pool. */
    void recycle(Message m) {
        if (pool.put(m)) {
            poolRefilled.run();
        }
    }

    /** Gives every message {@code outbox} holds back to the pool, and ends the loans of its frames, emptying it. */
    void recycleAll(Outbox outbox) {
        releaseLoans(outbox.moveTo(this::recycle));
    }

    /** Ends the loans of {@code n} frames that will not be decoded (see {@link MessagePool#lend}). */
    void releaseLoans(int n) {
        if (n > 0 && pool.release(n)) {
            poolRefilled.run();
        }
    }

    /**
     * Decodes a frame delivered as bytes into the message the pool lent to it (the idle message on top of the
     * pool), on the thread that receives it.
     */
    Message decodeLent(ByteBuffer frame) {
        Message m = pool.reclaim(true);
        FrameDecoder.decodeWhole(frame, m);
        return m;
    }

    /** Gives every message of {@code list} back to the pool, emptying it. */
    void recycleAll(MessageList list) {
        Message m;
        while ((m = list.poll()) != null) {
            recycle(m);
        }
    }
}
