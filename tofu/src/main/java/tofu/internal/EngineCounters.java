package tofu.internal;

import java.time.Duration;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import tofu.AmpeStatus;
import tofu.ChannelStats;
import tofu.EngineStats;

/**
 * The engine's running totals and the snapshot {@code Reactor.stats()} returns. Plain fields: every count and the
 * snapshot happen on the engine thread, so the message path pays a few increments and no synchronisation. The one
 * exception is the frames posting threads write themselves ({@link DirectWriter}), counted atomically on their
 * threads and added in at the snapshot.
 */
final class EngineCounters {
    private final long startNanos = System.nanoTime();
    private final long[] returnedByStatus = new long[AmpeStatus.values().length];
    private long messagesIn;
    private long messagesOut;
    private long bytesIn;
    private long bytesOut;
    private long receiveAllocations;
    private long sendQueueRefusals;
    private long frameTimeouts;
    /** Frames posting threads wrote themselves ({@link DirectWriter}): counted on their threads, hence atomic. */
    private final AtomicLong directMessages = new AtomicLong();
    private final AtomicLong directBytes = new AtomicLong();

    void received(int frameBytes) {
        messagesIn++;
        bytesIn += frameBytes;
    }

    void written(int frameBytes) {
        messagesOut++;
        bytesOut += frameBytes;
    }

    /** A posting thread wrote a whole frame itself. Any thread. */
    void writtenDirectly(int frameBytes) {
        directMessages.incrementAndGet();
        directBytes.addAndGet(frameBytes);
    }

    /** Frames posting threads wrote themselves so far. Any thread. */
    long directMessages() {
        return directMessages.get();
    }

    void returned(AmpeStatus status) {
        returnedByStatus[status.ordinal()]++;
    }

    /** A receive message allocated because the pool was empty while the receiver waited for input. */
    void receiveAllocation() {
        receiveAllocations++;
    }

    /** A post returned because its channel's send queue was full. */
    void queueRefused() {
        sendQueueRefusals++;
    }

    /** A channel ended because its peer left a frame unfinished for too long. */
    void frameTimedOut() {
        frameTimeouts++;
    }

    /**
     * Builds a consistent snapshot of the totals: {@code liveGroups} groups not torn down, {@code channels} the figures
     * of their numbered channels (sorted here), {@code unnumbered} their accepted connections without a number yet.
     */
    EngineStats snapshot(int liveGroups, List<ChannelStats> channels, int unnumbered, MessagePool pool,
            Admission admission) {
        Map<AmpeStatus, Long> returned = new EnumMap<>(AmpeStatus.class);
        for (AmpeStatus s : AmpeStatus.values()) {
            if (returnedByStatus[s.ordinal()] > 0) {
                returned.put(s, returnedByStatus[s.ordinal()]);
            }
        }
        int listeners = 0;
        for (ChannelStats cs : channels) {
            if (cs.kind() == ChannelStats.Kind.LISTENER) {
                listeners++;
            }
        }
        channels.sort(Comparator.comparingInt(ChannelStats::channelNumber));
        return new EngineStats(Duration.ofNanos(System.nanoTime() - startNanos), messagesIn,
                messagesOut + directMessages.get(), bytesIn, bytesOut + directBytes.get(), returned, pool.size(), pool.misses(), liveGroups, listeners, channels.size() - listeners,
                unnumbered, channels, new EngineStats.LimitStats(receiveAllocations, pool.engineAllocated(),
                        sendQueueRefusals, frameTimeouts), admission.snapshot());
    }
}
