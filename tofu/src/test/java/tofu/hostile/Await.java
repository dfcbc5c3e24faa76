package tofu.hostile;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import tofu.support.Peers;

/**
 * Bounded waiting for conditions that have no event to wait on (engine figures, thread lists, descriptor counts). It
 * polls every few milliseconds and fails the test with the last observed value when the bound passes; nothing here
 * is a sleep standing in for synchronisation.
 */
final class Await {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private Await() {
    }

    /** Waits up to {@link Peers#WAIT_NANOS} for {@code condition}; fails with {@code what} and {@code observed}. */
    static void until(String what, BooleanSupplier condition, Supplier<?> observed) {
        long deadline = System.nanoTime() + Peers.WAIT_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + TimeUnit.NANOSECONDS.toSeconds(Peers.WAIT_NANOS) + " s: "
                        + what + "; last seen: " + observed.get());
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}
