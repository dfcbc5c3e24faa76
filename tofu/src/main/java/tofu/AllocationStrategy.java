package tofu;

/**
 * How {@link Ampe#get(AllocationStrategy)} behaves when the message pool is empty. Immutable and thread-safe.
 * @since 0.1.0
 */
public enum AllocationStrategy {
    /** Take a message from the pool, or return {@code null} when it is empty: the sender is throttled by the pool. */
    POOL_ONLY,
    /** Take a message from the pool, or allocate a new one when it is empty: never {@code null}. */
    ALWAYS
}
