package tofu.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Drops accepted connections that do not send their HelloRequest within the handshake limit
 * ({@code Options.handshakeTimeout}). The limit is one constant, so connections wait in a FIFO that is also deadline
 * order. Dropping is silent: the application never knew those connections. Engine thread only.
 */
final class HandshakeClock {
    private static final System.Logger LOG = System.getLogger("tofu");

    private final ArrayDeque<IoChannel> waiting = new ArrayDeque<>();
    private final long timeoutNanos;
    private final int engineId;

    HandshakeClock(Duration timeout, int engineId) {
        this.timeoutNanos = timeout.toNanos();
        this.engineId = engineId;
    }

    /** Starts the clock of an accepted connection (no-op when the limit is off). */
    void start(IoChannel channel) {
        if (timeoutNanos > 0) {
            channel.handshakeDeadline = System.nanoTime() + timeoutNanos;
            waiting.add(channel);
        }
    }

    /**
     * Drops the connections whose HelloRequest is overdue and returns how long the selector may sleep, at most
     * {@code idleMillis}, until the next deadline.
     */
    long expire(long idleMillis) {
        long now = System.nanoTime();
        IoChannel head;
        while ((head = waiting.peek()) != null) {
            if (!head.awaitsHello()) {
                waiting.poll();
            } else if (head.handshakeDeadline - now <= 0) {
                waiting.poll();
                LOG.log(Level.DEBUG, "dropping an accepted connection that sent no HelloRequest in time");
                Jfr.handshakeTimeout(engineId, head.address);
                head.abort();
            } else {
                return Math.min(idleMillis, TimeUnit.NANOSECONDS.toMillis(head.handshakeDeadline - now) + 1);
            }
        }
        return idleMillis;
    }
}
