package tofu.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The channels that stopped reading because the pool had no message for them: resumed when messages come back, and
 * reported to their group with POOL_EMPTY only if the starvation outlasts a short grace period.
 *
 * <p>Why a grace period: a receiver that puts every message back at once still empties a small pool for a moment
 * whenever a burst outruns it, and the episode ends as soon as its batch comes back (microseconds to a few
 * milliseconds). Signalling those taught users to ignore POOL_EMPTY. A starvation still going on after
 * {@value #GRACE_MILLIS} ms means messages are being held (or the pool is too small for the load), which is what the
 * signal is for; the group's once-a-second limit still applies on top. Engine thread only (asserted).
 */
final class Starvation {
    static final long GRACE_MILLIS = 50;
    private static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);

    private final EngineThread thread;
    private final List<ChannelContext.PoolWaiter> starving = new ArrayList<>();

    Starvation(EngineThread thread) {
        this.thread = thread;
    }

    /** Lists a channel that waits for pool messages (once per starvation; the channel keeps the mark). */
    void add(ChannelContext.PoolWaiter channel) {
        assert thread.isCurrent();
        starving.add(channel);
    }

    boolean isEmpty() {
        return starving.isEmpty();
    }

    int size() {
        return starving.size();
    }

    /** Retries every starving channel after the pool got messages back; drops those that read again. */
    void resume() {
        assert thread.isCurrent();
        for (int i = 0; i < starving.size(); ) {
            if (starving.get(i).resume()) {
                removeAt(i);
            } else {
                i++;
            }
        }
    }

    /**
     * Reports POOL_EMPTY for starvations older than the grace period and returns how long the selector may sleep, at
     * most {@code idleMillis}, until the next one is due.
     */
    long report(long idleMillis) {
        assert thread.isCurrent();
        if (starving.isEmpty()) {
            return idleMillis;
        }
        long now = System.nanoTime();
        long sleep = idleMillis;
        for (int i = 0; i < starving.size(); i++) {
            ChannelContext.PoolWaiter channel = starving.get(i);
            if (channel.starvationReported() || !channel.starving()) {
                continue;
            }
            long waited = now - channel.starvingSince();
            if (waited >= GRACE_NANOS) {
                channel.reportPoolEmpty();
            } else {
                sleep = Math.min(sleep, TimeUnit.NANOSECONDS.toMillis(GRACE_NANOS - waited) + 1);
            }
        }
        return sleep;
    }

    private void removeAt(int i) {
        int last = starving.size() - 1;
        starving.set(i, starving.get(last));
        starving.remove(last);
    }
}
