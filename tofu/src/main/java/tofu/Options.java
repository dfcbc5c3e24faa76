package tofu;

/**
 * Engine options: the size of the message pool.
 *
 * <p>The compact constructor normalises: 0 initial means 16, 0 max means 64, then a max below the initial count
 * becomes the initial count, so {@code new Options(0, 0).equals(Options.DEFAULT)}. Immutable and thread-safe.
 *
 * @param initialPoolMsgs messages pre-allocated in the pool when the engine starts, 0..65535 (0 = default 16)
 * @param maxPoolMsgs     most idle messages the pool keeps, 0..65535 (0 = default 64); messages put beyond it are
 *                        left to the garbage collector
 */
public record Options(int initialPoolMsgs, int maxPoolMsgs) {
    /** Default initial pool size. */
    public static final int DEFAULT_INITIAL_POOL_MSGS = 16;
    /** Default maximum pool size. */
    public static final int DEFAULT_MAX_POOL_MSGS = 64;
    /** The default options: {@code (16, 64)}. */
    public static final Options DEFAULT = new Options(DEFAULT_INITIAL_POOL_MSGS, DEFAULT_MAX_POOL_MSGS);

    /**
     * Normalises the pool sizes.
     *
     * @throws IllegalArgumentException if a size is negative or above 65535
     */
    public Options {
        check("initialPoolMsgs", initialPoolMsgs);
        check("maxPoolMsgs", maxPoolMsgs);
        if (initialPoolMsgs == 0) {
            initialPoolMsgs = DEFAULT_INITIAL_POOL_MSGS;
        }
        if (maxPoolMsgs == 0) {
            maxPoolMsgs = DEFAULT_MAX_POOL_MSGS;
        }
        if (maxPoolMsgs < initialPoolMsgs) {
            maxPoolMsgs = initialPoolMsgs;
        }
    }

    private static void check(String name, int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(name + " must be 0..65535, was " + value);
        }
    }
}
