package tofu.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Ends channels whose peer leaves a frame unfinished for longer than {@code Options.frameTimeout}: partial frames
 * cost no pool message (the decoder assembles them aside), but each still holds up to one frame of memory and a
 * descriptor, and a peer that trickles one byte a second must not keep them for ever.
 *
 * <p>A channel is watched from the read that left a frame unfinished. The watch is looked at every quarter of the
 * limit (between 10 ms and 1 s): a channel that completed a frame since is re-armed, one that no longer waits for its
 * peer (frame done, or reading stopped on our side: starving, paused) leaves the list, and one that made no progress
 * for the whole limit ends with COMMUNICATION_FAILED. A limit therefore ends a stalled frame between 1 and 1.25 times
 * the limit after its last completed frame. Engine thread only (asserted).
 */
final class FrameClock {
    private final EngineThread thread;
    private final long timeoutNanos;
    private final long checkNanos;
    private final List<ChannelContext.FrameWatch> watched = new ArrayList<>();
    private long nextCheck;

    FrameClock(EngineThread thread, Duration timeout) {
        this.thread = thread;
        this.timeoutNanos = timeout.toNanos();
        this.checkNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(10),
                Math.min(TimeUnit.SECONDS.toNanos(1), timeoutNanos / 4));
    }

    /** Starts watching a channel that has a frame in progress (no-op when watched already or the limit is off). */
    void watch(ChannelContext.FrameWatch channel) {
        assert thread.isCurrent();
        if (timeoutNanos <= 0 || channel.frameWatched) {
            return;
        }
        long now = System.nanoTime();
        if (watched.isEmpty()) {
            nextCheck = now + checkNanos;
        }
        channel.frameWatched = true;
        channel.frameSince = now;
        channel.frameMark = channel.messagesIn();
        watched.add(channel);
    }

    /** Ends overdue channels and returns how long the selector may sleep, at most {@code idleMillis}. */
    long expire(long idleMillis) {
        assert thread.isCurrent();
        if (watched.isEmpty()) {
            return idleMillis;
        }
        long now = System.nanoTime();
        if (now - nextCheck < 0) {
            return Math.min(idleMillis, TimeUnit.NANOSECONDS.toMillis(nextCheck - now) + 1);
        }
        nextCheck = now + checkNanos;
        for (int i = watched.size() - 1; i >= 0; i--) {
            ChannelContext.FrameWatch channel = watched.get(i);
            if (!channel.stalledMidFrame()) {
                unwatch(i, channel);
            } else if (channel.messagesIn() != channel.frameMark) {
                channel.frameMark = channel.messagesIn();
                channel.frameSince = now;
            } else if (now - channel.frameSince >= timeoutNanos) {
                unwatch(i, channel);
                channel.frameTimedOut("frame incomplete for " + TimeUnit.NANOSECONDS.toMillis(now - channel.frameSince)
                        + " ms (Options.frameTimeout " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms)");
            }
        }
        return watched.isEmpty() ? idleMillis : Math.min(idleMillis, TimeUnit.NANOSECONDS.toMillis(checkNanos) + 1);
    }

    private void unwatch(int index, ChannelContext.FrameWatch channel) {
        channel.frameWatched = false;
        int last = watched.size() - 1;
        watched.set(index, watched.get(last));
        watched.remove(last);
    }
}
