package tofu.hostile;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import tofu.support.Peers;

/**
 * A good client doing one round trip every {@code paceMillis} on its own thread while a test attacks the same server,
 * each round trip within a functional bound (seconds: a starved or frozen engine fails it, a slow shared machine does
 * not). The first round trip that misses its bound stops the traffic; {@link #keepUntil} and {@link #close()} report
 * it with its cause.
 */
final class PacedRoundTrips implements AutoCloseable {
    /**
     * The functional bound of one good round trip beside hostile peers. Unloaded it takes well under a millisecond;
     * five seconds leave room for a shared two-core machine and a full GC, while a frozen engine never answers.
     */
    static final long BOUND_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** A round trip every 20 ms, the good client of issue 11. */
    static final long PACE_MILLIS = 20;
    private static final int BODY_SIZE = 256;

    private final GoodClient client;
    private final AtomicLong slowestNanos = new AtomicLong();
    private final Background traffic;

    private PacedRoundTrips(GoodClient client, long paceMillis, long boundNanos, int bodySize) {
        this.client = client;
        this.traffic = Background.paced("good-round-trips", paceMillis, () -> {
            long took = client.timedRoundTrip(bodySize, boundNanos);
            slowestNanos.accumulateAndGet(took, Math::max);
        });
    }

    /** Starts round trips of small requests every {@link #PACE_MILLIS}, each within {@link #BOUND_NANOS}. */
    static PacedRoundTrips start(GoodClient client) {
        return start(client, PACE_MILLIS, BOUND_NANOS, BODY_SIZE);
    }

    /** Starts round trips of {@code bodySize}-byte requests, {@code paceMillis} apart, each within the bound. */
    static PacedRoundTrips start(GoodClient client, long paceMillis, long boundNanos, int bodySize) {
        return new PacedRoundTrips(client, paceMillis, boundNanos, bodySize);
    }

    /** Round trips completed so far (by this traffic and any other use of the client). */
    long completed() {
        return client.completed();
    }

    /** The slowest round trip so far, in milliseconds. */
    long slowestMillis() {
        return TimeUnit.NANOSECONDS.toMillis(slowestNanos.get());
    }

    /**
     * Keeps the traffic going until {@code done} holds, failing the test at once if a round trip misses its bound,
     * or after {@link Peers#WAIT_NANOS} (then with {@code what}).
     */
    void keepUntil(String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + Peers.WAIT_NANOS;
        while (!done.getAsBoolean()) {
            if (traffic.failed()) {
                close(); // rethrows the round trip's failure
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + TimeUnit.NANOSECONDS.toSeconds(Peers.WAIT_NANOS) + " s: "
                        + what + "; good round trips completed: " + completed());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        if (traffic.failed()) {
            close();
        }
    }

    /** Keeps the traffic going until {@code count} more round trips have completed. */
    void keepFor(int count) {
        long target = completed() + count;
        keepUntil(count + " more good round trips", () -> completed() >= target);
    }

    /** Stops the traffic (after the round trip in progress) and rethrows its failure, if any. */
    @Override
    public void close() {
        traffic.close();
    }
}
