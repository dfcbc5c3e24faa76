package tofu.internal;

import tofu.Message;

/**
 * Gives messages back to an engine's pool and, when that ends a starvation episode, tells the loop through its
 * {@link Inbox} so that it resumes the channels waiting for pool messages. The one way back to the pool for the
 * engine's front end and its loop alike. Any thread; holds no state of its own.
 */
final class Recycler {
    private final MessagePool pool;
    private final Inbox inbox;

    Recycler(MessagePool pool, Inbox inbox) {
        this.pool = pool;
        this.inbox = inbox;
    }

    /** Gives {@code m} back to the pool. */
    void recycle(Message m) {
        if (pool.put(m)) {
            inbox.poolRefilled();
        }
    }

    /** Gives every message of {@code list} back to the pool, emptying it. */
    void recycleAll(MessageList list) {
        Message m;
        while ((m = list.poll()) != null) {
            recycle(m);
        }
    }
}
