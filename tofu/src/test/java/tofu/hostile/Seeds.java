package tofu.hostile;

/**
 * Seeds for the randomised hostile tests: {@code -Dtofu.hostile.seed=N} replays a run, otherwise a new seed is drawn.
 * The seed is always printed, so a failure in CI can be replayed (thread timing aside, the same seed makes the same
 * choices).
 */
final class Seeds {
    private Seeds() {
    }

    /** Returns the seed to use for {@code test} and prints it. */
    static long seed(String test) {
        String forced = System.getProperty("tofu.hostile.seed");
        long seed = forced != null ? Long.parseLong(forced) : System.nanoTime() ^ Thread.currentThread().getId();
        System.out.println("[" + test + "] seed=" + seed + "  (replay with -Dtofu.hostile.seed=" + seed + ")");
        return seed;
    }
}
