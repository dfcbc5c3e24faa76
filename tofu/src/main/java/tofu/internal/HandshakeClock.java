package tofu.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Ends the handshakes that outlast the handshake limit ({@code Options.handshakeTimeout}): accepted connections that
 * do not finish their TLS handshake and send their HelloRequest in time (dropped silently: the application never knew
 * them), and clients whose TLS handshake does not finish in time (their posts come back with CONNECT_FAILED). The
 * limit is one constant, so channels wait in a FIFO that is also deadline order. Engine thread only (asserted).
 */
final class HandshakeClock {
    private static final System.Logger LOG = System.getLogger("tofu");

    private final EngineThread thread;
    private final ArrayDeque<ChannelContext.HandshakeWaiter> waiting = new ArrayDeque<>();
    private final long timeoutNanos;
    private final Duration limit;

    HandshakeClock(EngineThread thread, Duration timeout) {
        this.thread = thread;
        this.timeoutNanos = timeout.toNanos();
        this.limit = timeout;
    }

    /** Starts the clock of an accepted connection (no-op when the limit is off). */
    void start(ChannelContext.HandshakeWaiter channel) {
        assert thread.isCurrent();
        if (timeoutNanos > 0) {
            channel.handshakeDeadline(System.nanoTime() + timeoutNanos);
            waiting.add(channel);
        }
    }

    /**
     * Drops the connections whose HelloRequest is overdue and returns how long the selector may sleep, at most
     * {@code idleMillis}, until the next deadline.
     */
    long expire(long idleMillis) {
        assert thread.isCurrent();
        long now = System.nanoTime();
        ChannelContext.HandshakeWaiter head;
        while ((head = waiting.peek()) != null) {
            if (!head.awaitsHandshake()) {
                waiting.poll();
            } else if (head.handshakeDeadline() - now <= 0) {
                waiting.poll();
                LOG.log(Level.DEBUG, "handshake limit reached on {0}", head);
                head.handshakeExpired(limit);
            } else {
                return Math.min(idleMillis, TimeUnit.NANOSECONDS.toMillis(head.handshakeDeadline() - now) + 1);
            }
        }
        return idleMillis;
    }
}
