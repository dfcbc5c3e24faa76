package tofu.micrometer;

import java.time.Duration;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.EngineStats;
import tofu.Reactor;

/**
 * The engine snapshots behind the meters: {@link Reactor#stats()} is a command to the engine thread, so a registry
 * reading twenty meters (and five per open channel) must not cost twenty commands. A snapshot younger than the
 * maximum age is reused; the first read after that takes a new one.
 *
 * <p>Thread-safe: any publishing thread may read. The lock is held while the engine takes the snapshot (bounded: the
 * engine answers within its loop round).
 */
final class Snapshots {
    private final Reactor reactor;
    private final long maxAgeNanos;
    private EngineStats last;       // guarded by this
    private long takenAt;           // guarded by this, System.nanoTime()
    private boolean closed;         // guarded by this: the engine is closed, last is final

    Snapshots(Reactor reactor, Duration maxAge) {
        this.reactor = reactor;
        this.maxAgeNanos = maxAge.toNanos();
    }

    /** What a read found: the snapshot (null if the engine closed before any), and whether it was taken just now. */
    record Taken(EngineStats stats, boolean fresh, boolean closed) {
    }

    synchronized Taken take() {
        if (closed) {
            return new Taken(last, false, true);
        }
        long now = System.nanoTime();
        if (last != null && now - takenAt < maxAgeNanos) {
            return new Taken(last, false, false);
        }
        try {
            last = reactor.stats();
            takenAt = now;
            return new Taken(last, true, false);
        } catch (AmpeException e) {
            if (e.status() != AmpeStatus.SHUTDOWN_STARTED) {
                throw e;
            }
            closed = true;      // the totals stay as last seen; the gauges go NaN
            return new Taken(last, true, true);
        }
    }
}
