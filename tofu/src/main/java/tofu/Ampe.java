package tofu;

/**
 * The engine as applications use it: a factory of {@link ChannelGroup}s and the owner of the message pool.
 * Obtained from {@link Reactor#ampe()}.
 *
 * <p>Thread-safe: every method may be called from any thread.
 * @since 0.1.0
 */
public interface Ampe {

    /**
     * Creates a channel group of this engine.
     *
     * @return the new group
     * @throws AmpeException with SHUTDOWN_STARTED once the engine is closed
     */
    ChannelGroup create();

    /**
     * Destroys a group, synchronously: closes all its channels abortively (no notifications, no Bye frames), wakes a
     * thread blocked in its {@link ChannelGroup#waitReceive(long)} with {@code AmpeException(SHUTDOWN_STARTED)},
     * returns its queued messages to the pool, and returns. "Queued" means every message the group holds, wherever
     * it is: not yet received, taken by its receiver in a batch but not handed out yet (however far the receiver got,
     * and whatever thread calls this), or posted before this call and not yet sent. When it returns, the group's TCP
     * listeners refuse connections and its UDS listener files are gone. Destroying a group twice, or after the engine
     * closed, is a no-op. Callable from any thread, the group's receiver included; it waits without pinning a
     * virtual thread.
     *
     * @param group the group to destroy
     * @throws IllegalArgumentException if the group belongs to another engine
     */
    void destroy(ChannelGroup group);

    /**
     * Takes a message in the fresh state from the pool; the caller owns it.
     *
     * @param strategy what to do when the pool is empty
     * @return a message, or null with {@link AllocationStrategy#POOL_ONLY} when the pool is empty
     * @throws AmpeException with SHUTDOWN_STARTED once the engine is closed
     */
    Message get(AllocationStrategy strategy);

    /**
     * Gives a message back to the pool: it is reset and kept unless the pool already holds its maximum. Null is a
     * no-op; after the engine closed the message is simply dropped. The caller must not touch the message afterwards.
     *
     * @param msg the message to return to the pool
     * @throws IllegalStateException if the message is currently posted (the caller still owns nothing)
     */
    void put(Message msg);
}
