package tofu.internal;

/**
 * The life of a channel group, one way only. {@link #LIVE} until {@code destroy} (or the engine's close) marks it
 * {@link #DESTROYED} on the caller's thread, after which posts and receives are refused; {@link #TORN_DOWN} once the
 * engine thread has silenced its channels and closed its receive queue, after which nothing reaches the group. An
 * engine that ends on its own (its thread failed) tears down live groups directly.
 *
 * <p>{@link GroupImpl} holds the state and makes the transitions; {@link #mayBecome} is what they assert.
 */
enum GroupLife {
    LIVE, DESTROYED, TORN_DOWN;

    /** True if a group in this state may move to {@code next}: only forward. */
    boolean mayBecome(GroupLife next) {
        return next.compareTo(this) > 0;
    }
}
