package tofu.internal;

/**
 * Which thread is the engine's: the check behind {@code assert thread.isCurrent()} at the top of every engine-only
 * entry point of the loop and its helpers. The engine thread names itself ({@link #enter()}) when it starts running
 * the loop; a unit test calls it to play the engine thread.
 *
 * <p>No volatile needed: the field only ever holds null or the engine thread, so another thread can read a stale
 * value but never itself, and the check answers it correctly either way.
 */
final class EngineThread {
    private Thread thread;

    /** Makes the calling thread the engine thread. Called once, by that thread. */
    void enter() {
        thread = Thread.currentThread();
    }

    /** True on the engine thread. */
    boolean isCurrent() {
        return Thread.currentThread() == thread;
    }
}
