package tofu.internal;

import tofu.OpCode;
import tofu.Options;

/**
 * The per-channel limits an engine derives from its {@link Options}, in one place so that the resource model in
 * docs/RELIABILITY.md has one source. Immutable.
 */
final class Limits {
    /** {@link #pauseDepth} never goes below this: a lone in-flight answer must not pause a channel. */
    private static final int MIN_PAUSE_DEPTH = 4;

    /**
     * An accepted channel whose socket refuses bytes stops being read once this many messages wait to be written
     * behind it: a quarter of the initial pool (at least 4), so that one peer that does not read can hold at most a
     * fair share of the pool in its queue.
     */
    final int pauseDepth;
    /** {@code Options.maxQueuedPerChannel}: posts beyond it are returned; 0 for no limit. */
    final int maxQueuedPerChannel;
    /** The most messages the engine allocates beyond its pool under the deadlock rule and that are not back yet. */
    final int maxEngineAllocated;

    Limits(Options options) {
        this.pauseDepth = Math.max(MIN_PAUSE_DEPTH, options.initialPoolMsgs() / 4);
        this.maxQueuedPerChannel = options.maxQueuedPerChannel();
        this.maxEngineAllocated = options.maxPoolMsgs();
    }

    /** True when a post must be returned instead of queued: the limit is set and reached (byes always pass). */
    boolean refusesQueueing(int queued, OpCode op) {
        return maxQueuedPerChannel > 0 && queued >= maxQueuedPerChannel && op != OpCode.BYE_REQUEST
                && op != OpCode.BYE_RESPONSE;
    }
}
