package tofu.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.Message;

/**
 * The receiving half of a connected channel ({@code IoChannel}, its {@link Owner}): reads through the channel's
 * transport into the engine's shared buffer, decodes at once into pool messages and hands each frame to the channel
 * — except a whole small data frame, which goes to the group as bytes for its receiver to decode
 * ({@link SmallFrames});
 * it also decides when the channel stops reading and why (the pool is dry, or the peer does not read what it is sent)
 * and resumes it.
 *
 * <p>A frame that arrives in pieces is assembled in the decoder's own memory ({@link FrameDecoder}), so a peer that
 * stalls mid-frame pins no pool message; {@link FrameClock} watches such frames. When the pool runs dry mid-read the
 * rest is kept aside, reading stops (the kernel buffers fill and TCP/UDS flow control slows the peer), and
 * {@link Starvation} resumes the channel when a message is put back. A channel paused for a peer that does not read
 * still reads what needs no pool message, so a violation or a close is still seen.
 *
 * <p>It is the channel's {@link ChannelContext.PoolWaiter} (the loop resumes it when pool messages come back),
 * {@link ChannelContext.FrameWatch} (the frame limit watches it) and {@link ChannelContext.PendingReader} (the loop
 * reads what the transport already holds). Why reading stops is two independent facts, kept as booleans:
 * {@code starving} (the pool is dry) and {@code heldForPeer} (a pause for a peer that does not read); either stops
 * reading ({@link #stopped()}), and a starving channel may meet a pause when it resumes. The other booleans are the
 * marks of the loop's lists ({@code inStarvingList}, {@code readListed}, {@code frameWatched}) and whether the current
 * starvation was reported: each belongs to one list, none repeats the channel's life.
 *
 * <p>Confined to the engine thread; owned by its channel.
 */
final class ReadSide extends ChannelContext.FrameWatch
        implements ChannelContext.PoolWaiter, ChannelContext.PendingReader {
    private static final int MAX_READS_PER_EVENT = 4;
    private static final ByteBuffer NO_BYTES = ByteBuffer.allocate(0);

    /** What the receiving half tells its channel. Engine thread only. */
    interface Owner {
        /** Handles one received frame; returns false if the channel ended. */
        boolean onFrame(Message m);

        /** A read failed. */
        void readFailed(IOException e);

        /** The peer ended its stream. */
        void peerClosed();

        /** The peer broke the protocol. */
        void protocolViolation(String detail);

        /** The peer left a frame unfinished beyond the frame limit. */
        void frameTimedOut(String detail);

        /** Reports POOL_EMPTY for this channel to its group (announced, open channels only). */
        void poolEmpty();

        /** The channel's number, 0 while it has none. */
        int number();

        /** Asks the selector for what the channel needs now (reading stopped or resumed). */
        void updateInterest();

        /** Ends the channel after an unexpected internal failure. */
        void fail(AmpeStatus reason);
    }

    private final Owner channel;
    private final ChannelContext ctx;
    private final GroupImpl group;
    private final Connection connection;
    private final WriteSide writer;
    private final ChannelDeadline deadline;
    private final FrameDecoder decoder = new FrameDecoder();
    private final FrameDecoder.Source source = this::takeForDecode;
    /** Bytes read but not decoded yet, while reading is stopped; null when none. */
    private ByteBuffer stash;
    private boolean starving;
    private boolean inStarvingList;
    /** A paused channel completed a frame it may not hand on yet; reading waits for the pause to end. */
    private boolean heldForPeer;
    /** When the current starvation began (System.nanoTime), and whether POOL_EMPTY was considered for it. */
    private long starvingSince;
    private boolean starvationReported;
    /** Running average of received frame sizes, to size reads to what the pool can take. */
    private int averageFrame = 256;
    private long messagesIn;
    private long bytesIn;
    /** Listed in the loop's {@link PendingReads}. */
    private boolean readListed;

    /**
     * The receiving half of {@code channel} over {@code connection}, whose sending half is {@code writer} and whose
     * limits {@code deadline}.
     */
    ReadSide(Owner channel, ChannelContext ctx, GroupImpl group, Connection connection, WriteSide writer,
            ChannelDeadline deadline) {
        this.channel = channel;
        this.ctx = ctx;
        this.group = group;
        this.connection = connection;
        this.writer = writer;
        this.deadline = deadline;
    }

    /** The selector reports the socket readable: reads, unless reading stopped (readiness from before it stopped). */
    void readable() {
        assert ctx.inEngineThread();
        if (connection.isOpen() && !stopped()) {
            read(connection.transport());
            if (connection.isOpen()) {
                // A read can change what the transport itself needs (TLS: bytes to write after reading, bytes held
                // back): recompute the interest set, which also lists a transport that holds bytes.
                channel.updateInterest();
            }
        }
    }

    /** Reads what the transport already holds (see {@link PendingReads}), unless reading has stopped meanwhile. */
    @Override
    public void readPending() {
        assert ctx.inEngineThread();
        if (connection.isOpen() && !stopped()) {
            read(connection.transport());
            channel.updateInterest(); // lists the channel again when its transport still holds bytes
        }
    }

    @Override
    public boolean readListed() {
        return readListed;
    }

    @Override
    public void readListed(boolean listed) {
        readListed = listed;
    }

    @Override
    public void fail(AmpeStatus reason) {
        channel.fail(reason);
    }

    /** Reads what the transport has, up to a few buffers, sized to what the pool can take. */
    private void read(ByteTransport transport) {
        ByteBuffer in = ctx.readBuffer();
        for (int i = 0; i < MAX_READS_PER_EVENT; i++) {
            in.clear();
            boolean paused = writer.pausedForPeer();
            int limit = paused ? Math.max(1, decoder.bytesWithoutMessage())
                    : ctx.readLimit(group, averageFrame, decoder.bytesWithoutMessage(), writer.peerDoesNotRead());
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
            deadline.received();
            in.flip();
            boolean more = consume(in);
            if (decoder.awaitsBytes() && connection.isOpen()) {
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
            int asBytes = deliverAsBytes(src);
            if (asBytes > 0) {
                received(asBytes);
                continue;
            }
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
                if (writer.pausedForPeer()) {
                    holdForPeer(src);
                } else {
                    starve(src);
                }
                return false;
            }
            received(FrameEncoder.frameLength(m));
            if (!channel.onFrame(m)) {
                return false;
            }
        }
    }

    /**
     * Hands the next frame of {@code src} to the group as bytes when it is a whole small data frame of an announced
     * channel and the pool lends a message to it: the receiving thread decodes it into a message it has in cache
     * ({@link SmallFrames}, {@link ReceiveQueue}). A data frame changes no channel state, so the message path would
     * only have set its channel number and delivered it. Everything else — a frame in pieces, handshakes, byes, a
     * pause for the peer, a dry pool — takes the message path.
     *
     * @return the frame's length if it was handed on, else 0 ({@code src} untouched)
     */
    private int deliverAsBytes(ByteBuffer src) {
        int p = src.position();
        if (SmallFrames.DELIVERY_LIMIT == 0 || decoder.hasPartialFrame() || src.limit() - p < Wire.HEADER_SIZE
                || src.order() != ByteOrder.BIG_ENDIAN
                || !SmallFrames.isData(Wire.opCode(src.get(p + Wire.PROTO)))) {
            return 0;
        }
        int length = Wire.HEADER_SIZE + (src.getShort(p + Wire.TEXT_HEADERS_LENGTH) & 0xFFFF)
                + (src.getShort(p + Wire.BODY_LENGTH) & 0xFFFF);
        int number = channel.number();
        if (length > SmallFrames.DELIVERY_LIMIT || src.limit() - p < length || number == 0
                || writer.pausedForPeer() || !ctx.lendForDelivery()) {
            return 0;
        }
        ctx.deliverEncoded(group, src, p, length, number);
        src.position(p + length);
        return length;
    }

    /** Counts a received frame of {@code frame} bytes. */
    private void received(int frame) {
        messagesIn++;
        bytesIn += frame;
        averageFrame += (frame - averageFrame) >> 3;
        ctx.counters().received(frame);
    }

    private Message takeForDecode() {
        if (writer.pausedForPeer()) {
            return null; // its queue holds its share already
        }
        return ctx.takeForDecode(group, writer.peerDoesNotRead());
    }

    /** Keeps what could not be handed on while paused; reading stops until the peer reads again. */
    private void holdForPeer(ByteBuffer src) {
        keep(src);
        heldForPeer = true;
        channel.updateInterest();
    }

    /** Hands on what a pause held once the peer reads again (its socket drained); no-op when nothing is held. */
    void endPauseIfOver() {
        assert ctx.inEngineThread();
        if (!heldForPeer || writer.pausedForPeer()) {
            return;
        }
        heldForPeer = false;
        deadline.readsResumed();
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
    @Override
    public boolean starving() {
        return starving;
    }

    @Override
    public long starvingSince() {
        return starvingSince;
    }

    @Override
    public boolean starvationReported() {
        return starvationReported;
    }

    /** True while this side does not read (pool dry, or paused for a peer that does not read). */
    boolean stopped() {
        return starving || heldForPeer;
    }

    /** Reports POOL_EMPTY for a starvation that outlasted the grace period (the group's rate limit applies). */
    @Override
    public void reportPoolEmpty() {
        assert ctx.inEngineThread();
        starvationReported = true;
        channel.poolEmpty();
    }

    /** Retries after the pool got messages back; returns true when the channel no longer waits for the pool. */
    @Override
    public boolean resume() {
        assert ctx.inEngineThread();
        if (!connection.isOpen()) {
            inStarvingList = false;
            return true;
        }
        starving = false;
        deadline.readsResumed();
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
    @Override
    boolean stalledMidFrame() {
        assert ctx.inEngineThread();
        return connection.isOpen() && !stopped() && decoder.awaitsBytes();
    }

    /** Ends the channel: its peer left a frame unfinished beyond the frame limit. */
    @Override
    void frameTimedOut(String detail) {
        assert ctx.inEngineThread();
        channel.frameTimedOut(detail);
    }

    /** How this side reads now, for the channel's figures. */
    tofu.ChannelStats.ReadState readState() {
        if (starving) {
            return tofu.ChannelStats.ReadState.STARVING;
        }
        return writer.pausedForPeer() ? tofu.ChannelStats.ReadState.PAUSED : tofu.ChannelStats.ReadState.READING;
    }

    /** Gives back a pool message held by a partly decoded frame and forgets what was kept aside. */
    void release() {
        Message partial = decoder.release();
        if (partial != null) {
            ctx.recycle(partial);
        }
        stash = null;
    }

    @Override
    long messagesIn() {
        return messagesIn;
    }

    long bytesIn() {
        return bytesIn;
    }
}
