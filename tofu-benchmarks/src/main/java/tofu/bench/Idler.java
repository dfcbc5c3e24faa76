package tofu.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * What a sender does when its stack pushes back (tofu's pool is empty, a socket is full): yield a few times, then
 * sleep briefly. On a small machine spinning would steal the very core the I/O thread needs to drain the backlog.
 */
final class Idler {
    private static final int YIELDS = 64;
    private static final long PARK_NANOS = 20_000;

    private int misses;

    /** Waits a little; call once per failed attempt. */
    void idle() {
        if (misses++ < YIELDS) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(PARK_NANOS);
        }
    }

    /** Call after a successful attempt. */
    void reset() {
        misses = 0;
    }
}
