package tofu.internal;

import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import tofu.Message;
import tofu.Options;

/**
 * The parts of one engine thread, built once from the options: the selector and the shared I/O buffers, the helpers
 * that each own one matter (deliveries, the pool exchange, clocks, admission, counters) and the channels waiting to
 * be flushed. {@link EventLoop} drives them round by round; {@link LoopContext} shows a channel the few it may touch.
 * Keeping them here, below both, is what lets the loop and the channels' view of it not name each other.
 *
 * <p>Confined to the engine thread ({@link #thread}), like every part; built by the thread that creates the engine,
 * before the engine thread starts.
 */
final class LoopParts {
    /** Bytes one read or one write moves at most; also the size of the shared buffers. */
    static final int IO_BUFFER_SIZE = 256 * 1024;

    /** The engine thread, which names itself when it starts running the loop. */
    final EngineThread thread;
    final int engineId;
    final Options options;
    final Selector selector;
    final MessagePool pool;
    final ChannelNumbers numbers;
    final ByteBuffer readBuffer = ByteBuffer.allocateDirect(IO_BUFFER_SIZE);
    final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(IO_BUFFER_SIZE);
    final FrameEncoder encoder = new FrameEncoder();
    /** Batches of frames whose large direct bodies are sent from where they are. */
    final GatheredWrite gatheredWrite = new GatheredWrite(writeBuffer);
    /** Buffers for the bytes a write-blocked channel's socket did not take. */
    final TailBuffers tails = new TailBuffers();
    /** Spare chunks for frames queued as bytes ({@link QueuedFrames}). */
    final FrameChunks frameChunks = new FrameChunks();
    final EngineCounters counters = new EngineCounters();
    /** Per-channel limits derived from the options. */
    final Limits limits;
    /** The one way back to the pool. */
    final Recycler recycler;
    /** Everything handed to applications, in batches per group and loop iteration. */
    final Deliveries deliveries;
    /** Channels waiting for pool messages. */
    final Starvation starvation;
    /** Receive messages taken and written ones given back, in batches. */
    final PoolExchange poolExchange;
    /** Channels whose peer left a frame unfinished. */
    final FrameClock frameClock;
    /** Accepted connections that have not said hello yet. */
    final HandshakeClock handshakes;
    /** Connect and idle limits of IO channels ({@link ChannelDeadline}). */
    final DeadlineClock deadlines = new DeadlineClock();
    /** The cap on accepted connections and what became of them before they said hello. */
    final Admission admission;
    /** How channels secure their bytes: plain, or TLS when the options have a context. */
    final Transports transports;
    /** Channels whose transport holds bytes already read from the socket: served without readiness. */
    final PendingReads pendingReads;
    /** The selector side: waiting, and serving what is ready. */
    final ReadyChannels readiness;
    /** Posting threads' writes to idle channels; used by the front end, counted here. */
    final DirectWriter direct;
    /** Channels that queued data during the current batch of posts. */
    private final List<ChannelContext.Flush> dirty = new ArrayList<>();
    /** Told when giving written messages back ended a starvation episode of the pool. */
    private final Inbox inbox;

    LoopParts(EngineThread thread, int engineId, Options options, MessagePool pool, ChannelNumbers numbers,
            Selector selector, Inbox inbox) {
        this.thread = thread;
        this.engineId = engineId;
        this.options = options;
        this.pool = pool;
        this.numbers = numbers;
        this.selector = selector;
        this.inbox = inbox;
        this.limits = new Limits(options);
        this.starvation = new Starvation(thread);
        this.pendingReads = new PendingReads(thread);
        this.recycler = new Recycler(pool, inbox::poolRefilled);
        this.deliveries = new Deliveries(thread, counters, recycler);
        this.poolExchange = new PoolExchange(thread, counters, starvation, pool, IO_BUFFER_SIZE,
                limits.maxEngineAllocated);
        this.frameClock = new FrameClock(thread, options.frameTimeout());
        this.handshakes = new HandshakeClock(thread, options.handshakeTimeout());
        this.admission = new Admission(options.maxConnections());
        this.transports = new Transports(options);
        this.readiness = new ReadyChannels(thread, engineId, selector, inbox, pendingReads);
        this.direct = new DirectWriter(inbox, recycler, counters);
    }

    /**
     * True on this engine's thread. Methods confined to it start with an assertion of it: tests run with assertions
     * on, so a call from an application thread fails there instead of racing in production.
     */
    boolean inEngineThread() {
        return thread.isCurrent();
    }

    /** Gives a message back to the pool; resumes starving channels if that ends a starvation episode. */
    void recycle(Message m) {
        assert thread.isCurrent();
        recycler.recycle(m);
    }

    /**
     * Gives the written messages back to the pool now, with one CAS (before the write that sends their bytes); resumes
     * starving channels next round if that ended a starvation episode.
     */
    void giveBackWritten() {
        assert thread.isCurrent();
        if (poolExchange.giveBackWritten()) {
            inbox.poolRefilled();
        }
    }

    /** Asks for the channel to be flushed once the current batch of posts is handled. */
    void markDirty(ChannelContext.Flush channel) {
        assert thread.isCurrent();
        dirty.add(channel);
    }

    /** Flushes the channels marked dirty since the last call. */
    void flushDirty() {
        assert thread.isCurrent();
        for (int i = 0; i < dirty.size(); i++) {
            dirty.get(i).flushIfDirty();
        }
        dirty.clear();
    }

    /** Starts the handshake clock of an accepted connection (when a limit is configured). */
    void awaitHandshake(ChannelContext.HandshakeWaiter channel) {
        assert thread.isCurrent();
        handshakes.start(channel);
    }

    /** Closes the sockets of cancelled keys now ({@link ReadyChannels#flushCancelledKeys}). */
    void flushCancelledKeys() {
        readiness.flushCancelledKeys();
    }
}
