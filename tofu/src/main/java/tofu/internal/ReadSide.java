package tofu.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.Message;

/**
 * The receiving half of an {@link IoChannel}: reads through the channel's transport into the engine's shared buffer,
 * decodes at once into pool messages and hands each frame to the channel; it also decides when the channel stops
 * reading and why (the pool is dry, or the peer does not read what it is sent) and resumes it.
 *
 * <p>A frame that arrives in pieces is assembled in the decoder's own memory ({@link FrameDecoder}), so a peer that
 * stalls mid-frame pins no pool message; {@link FrameClock} watches such frames. When the pool runs dry mid-read the
 * rest is kept aside, reading stops (the kernel buffers fill and TCP/UDS flow control slows the peer), and
 * {@link Starvation} resumes the channel when a message is put back. A channel paused for a peer that does not read
 * still reads what needs no pool message, so a violation or a close is still seen.
 *
 * <p>Confined to the engine thread; owned by its channel.
 */
final class ReadSide {
    private static final int MAX_READS_PER_EVENT = 4;
    private static final ByteBuffer NO_BYTES = ByteBuffer.allocate(0);

    private final IoChannel channel;
    private final ChannelContext ctx;
    private final FrameDecoder decoder = new FrameDecoder();
    private final FrameDecoder.Source source = this::takeForDecode;
    /** Bytes read but not decoded yet, while reading is stopped; null when none. */
    private ByteBuffer stash;
    private boolean starving;
    private boolean inStarvingList;
    /** A paused channel completed a frame it may not hand on yet; reading waits for the pause to end. */
    private boolean heldForPeer;
    /** When the current starvation began (System.nanoTime), and whether POOL_EMPTY was considered for it. */
    long starvingSince;
    boolean starvationReported;
    /** Frame watch of {@link FrameClock}: watched now, since when, and messagesIn at that moment. */
    boolean frameWatched;
    long frameSince;
    long frameMark;
    /** Running average of received frame sizes, to size reads to what the pool can take. */
    private int averageFrame = 256;
    private long messagesIn;
    private long bytesIn;

    ReadSide(IoChannel channel, ChannelContext ctx) {
        this.channel = channel;
        this.ctx = ctx;
    }

    /** Reads what the transport has, up to a few buffers, sized to what the pool can take. */
    void read(ByteTransport transport) {
        ByteBuffer in = ctx.readBuffer();
        for (int i = 0; i < MAX_READS_PER_EVENT; i++) {
            in.clear();
            boolean paused = channel.writer().pausedForPeer();
            int limit = paused ? Math.max(1, decoder.bytesWithoutMessage())
                    : ctx.readLimit(channel.group, averageFrame, decoder.bytesWithoutMessage(),
                            channel.writer().peerDoesNotRead());
            in.limit(limit);
            int n;
            try {
                n = transport.read(in);
            } catch (IOException e) {
                channel.readFailed(e);
                return;
            }
            if (n < 0) {
                channel.peerClosed();
                return;
            }
            if (n == 0) {
                return;
            }
            channel.received();
            in.flip();
            boolean more = consume(in);
            if (decoder.awaitsBytes() && channel.isOpen()) {
                ctx.watchFrame(this);
            }
            if (!more || n < limit) {
                return;
            }
        }
    }

    /** Decodes and hands on what {@code src} holds; returns false if reading stopped or the channel ended. */
    private boolean consume(ByteBuffer src) {
        while (true) {
            Message m;
            try {
                m = decoder.next(src, source);
            } catch (AmpeException e) {
                channel.protocolViolation(e.getMessage());
                return false;
            }
            if (m == null) {
                if (!src.hasRemaining() && !decoder.awaitsMessage()) {
                    return true;
                }
                if (channel.writer().pausedForPeer()) {
                    holdForPeer(src);
                } else {
                    starve(src);
                }
                return false;
            }
            int frame = FrameEncoder.frameLength(m);
            messagesIn++;
            bytesIn += frame;
            averageFrame += (frame - averageFrame) >> 3;
            ctx.counters().received(frame);
            if (!channel.onFrame(m)) {
                return false;
            }
        }
    }

    private Message takeForDecode() {
        if (channel.writer().pausedForPeer()) {
            return null; // its queue holds its share already
        }
        return ctx.takeForDecode(channel.group, channel.writer().peerDoesNotRead());
    }

    /** Keeps what could not be handed on while paused; reading stops until the peer reads again. */
    private void holdForPeer(ByteBuffer src) {
        keep(src);
        heldForPeer = true;
        channel.updateInterest();
    }

    /** Hands on what a pause held once the peer reads again (its socket drained); no-op when nothing is held. */
    void endPauseIfOver() {
        if (!heldForPeer || channel.writer().pausedForPeer()) {
            return;
        }
        heldForPeer = false;
        channel.readsResumed();
        if (consume(stash != null ? stash : NO_BYTES) && !starving && !heldForPeer) {
            stash = null;
        }
        channel.updateInterest();
    }

    /**
     * Keeps the bytes of {@code src} not decoded yet, behind any kept before (reading stops while bytes are kept, so
     * that is a safeguard: a byte dropped here would misalign every frame after it).
     */
    private void keep(ByteBuffer src) {
        if (src == stash) {
            return;
        }
        int before = stash == null ? 0 : stash.remaining();
        if (before + src.remaining() == 0) {
            stash = null;
            return;
        }
        ByteBuffer kept = ByteBuffer.allocate(before + src.remaining());
        if (before > 0) {
            kept.put(stash);
        }
        stash = kept.put(src).flip();
    }

    private void starve(ByteBuffer src) {
        keep(src);
        if (!starving) {
            Jfr.starvationBegin(ctx.engineId(), channel.number());
            starvingSince = System.nanoTime();
            starvationReported = false;
        }
        starving = true;
        channel.updateInterest();
        if (!inStarvingList) {
            inStarvingList = true;
            ctx.starving(this);
        }
    }

    /** True while this channel waits for pool messages. */
    boolean starving() {
        return starving;
    }

    /** True while this side does not read (pool dry, or paused for a peer that does not read). */
    boolean stopped() {
        return starving || heldForPeer;
    }

    /** Reports POOL_EMPTY for a starvation that outlasted the grace period (the group's rate limit applies). */
    void reportPoolEmpty() {
        starvationReported = true;
        channel.poolEmpty();
    }

    /** Retries after the pool got messages back; returns true when the channel no longer waits for the pool. */
    boolean resume() {
        assert ctx.inEngineThread();
        if (!channel.isOpen()) {
            inStarvingList = false;
            return true;
        }
        starving = false;
        channel.readsResumed();
        boolean done = consume(stash != null ? stash : NO_BYTES);
        if (starving) {
            return false;
        }
        if (done) {
            stash = null; // everything kept aside was decoded; otherwise a pause now holds the rest
        }
        inStarvingList = false;
        Jfr.starvationEnd(ctx.engineId(), channel.number());
        if (done) {
            channel.updateInterest();
        }
        return true;
    }

    /** True while the peer leaves a frame unfinished and nothing on our side keeps us from reading the rest. */
    boolean stalledMidFrame() {
        return channel.isOpen() && !stopped() && decoder.awaitsBytes();
    }

    /** Ends the channel: its peer left a frame unfinished beyond the frame limit. */
    void frameTimedOut(String detail) {
        channel.frameTimedOut(detail);
    }

    /** Gives back a pool message held by a partly decoded frame and forgets what was kept aside. */
    void release() {
        Message partial = decoder.release();
        if (partial != null) {
            ctx.recycle(partial);
        }
        stash = null;
    }

    long messagesIn() {
        return messagesIn;
    }

    long bytesIn() {
        return bytesIn;
    }
}
