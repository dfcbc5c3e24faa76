package tofu.internal;

import java.time.Duration;
import tofu.AmpeStatus;
import tofu.Options;

/**
 * The one time limit a connected channel ({@code IoChannel}) has at any moment, on the loop's {@link DeadlineClock}:
 *
 * <ul>
 *   <li>while a client channel resolves and connects, the connect limit ({@link Options#connectTimeout()}): when it
 *       passes, the channel fails with CONNECT_FAILED;</li>
 *   <li>once the channel is open (connected, or an accepted connection that said hello), the idle limit
 *       ({@link Options#idleTimeout()}), counted from the last byte received: when it passes, the channel ends with
 *       PEER_DISCONNECTED.</li>
 * </ul>
 *
 * <p>Reads only note the time ({@link #received()}); the alarm is moved when it rings, so a busy channel costs one heap
 * operation per idle period rather than one per read. A channel that is not reading because its group's pool is dry
 * (or because it pauses for a peer that does not read) is held back by this side, not by a silent peer: the idle
 * limit waits while it is paused and counts again from the moment it resumes ({@link #readsResumed()}). A limit of
 * zero sets no alarm.
 * Confined to the engine thread.
 */
final class ChannelDeadline extends DeadlineClock.Alarm {
    /** The channel a limit ends, as the deadline sees it. Engine thread only. */
    interface Owner {
        /** A limit passed: the channel ends with {@code reason}; {@code words} say which limit. */
        void timedOut(AmpeStatus reason, String words);

        /** True while this side does not read (pool dry, or paused for a peer that does not read): our silence. */
        boolean readsPaused();
    }

    private final DeadlineClock clock;
    private final Owner channel;
    private final Duration connectTimeout;
    private final Duration idleTimeout;
    private final long idleNanos;
    private boolean connecting;
    private long lastReceived;

    ChannelDeadline(DeadlineClock clock, Owner channel, Options options) {
        this.clock = clock;
        this.channel = channel;
        this.connectTimeout = options.connectTimeout();
        this.idleTimeout = options.idleTimeout();
        this.idleNanos = idleTimeout.toNanos();
    }

    /** A client channel starts resolving or connecting: the connect limit runs from now. */
    void connecting() {
        if (!connectTimeout.isZero()) {
            connecting = true;
            clock.set(this, System.nanoTime() + connectTimeout.toNanos());
        }
    }

    /** The channel is open: the connect limit is over, the idle limit runs from now. */
    void opened() {
        connecting = false;
        clock.cancel(this);
        if (idleNanos > 0) {
            lastReceived = System.nanoTime();
            clock.set(this, lastReceived + idleNanos);
        }
    }

    /** Bytes arrived from the peer. */
    void received() {
        if (idleNanos > 0) {
            lastReceived = System.nanoTime();
        }
    }

    /**
     * The channel tries to read again after waiting for the pool: the silence it may blame on its peer starts now
     * (what arrived meanwhile is still in the socket).
     */
    void readsResumed() {
        received();
    }

    /** The channel ended: no limit any more. */
    void stop() {
        clock.cancel(this);
    }

    @Override
    void ring(long now) {
        if (connecting) {
            connecting = false;
            channel.timedOut(AmpeStatus.CONNECT_FAILED, "connect timed out after " + text(connectTimeout));
            return;
        }
        long due = lastReceived + idleNanos;
        if (due - now > 0) {
            clock.set(this, due);
        } else if (channel.readsPaused()) {
            clock.set(this, now + idleNanos);
        } else {
            channel.timedOut(AmpeStatus.PEER_DISCONNECTED, "idle timeout: nothing received for " + text(idleTimeout));
        }
    }

    /** A duration as people write it: {@code 30 s}, {@code 1500 ms}. */
    static String text(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
