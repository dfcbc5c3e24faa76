package tofu.cli;

import java.util.concurrent.TimeUnit;

/** A point in time after which waiting stops; bounds every wait of a command so nothing can hang. Immutable. */
public final class Deadline {
    private final long endNanos;

    private Deadline(long endNanos) {
        this.endNanos = endNanos;
    }

    /** Returns a deadline {@code millis} from now. */
    public static Deadline inMillis(long millis) {
        return new Deadline(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis));
    }

    /** Returns the nanoseconds left, never negative. */
    public long remainingNanos() {
        return Math.max(0, endNanos - System.nanoTime());
    }

    /** Returns true once the deadline has passed. */
    public boolean expired() {
        return remainingNanos() == 0;
    }
}
