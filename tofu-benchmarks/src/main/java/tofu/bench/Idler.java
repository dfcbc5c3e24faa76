package tofu.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * What a sender does when its stack pushes back (tofu's window or pool is full, a socket is full): yield a few times,
 * then sleep briefly. On a small machine spinning would steal the very core the I/O threads need to drain the
 * backlog. {@code -Dtofu.bench.idleYields=N} and {@code -Dtofu.bench.idleParkNanos=N} change the policy for
 * experiments (a park of 20 µs lasts about 70 µs on Linux: the default timer slack of a thread is 50 µs).
 *
 * <p>One per thread; counts its yields and parks for the diagnostics.
 */
final class Idler {
    private static final int YIELDS = Integer.getInteger("tofu.bench.idleYields", 64);
    private static final long PARK_NANOS = Long.getLong("tofu.bench.idleParkNanos", 20_000);

    private int misses;
    private long parks;

    /** Waits a little; call once per failed attempt. */
    void idle() {
        if (misses++ < YIELDS) {
            Thread.yield();
        } else {
            parks++;
            LockSupport.parkNanos(PARK_NANOS);
        }
    }

    /** Call after a successful attempt. */
    void reset() {
        misses = 0;
    }

    /** Parks so far; owner thread. */
    long parks() {
        return parks;
    }
}
