package tofu.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import tofu.AmpeStatus;
import tofu.Message;
import tofu.Options;

/**
 * Everything a channel may touch of its engine, and nothing more: deliveries to applications, the pool, the loop's
 * scheduling (flush, starvation, clocks), its selector, channel numbers, and the shared I/O buffers. Channels never see
 * the {@link EventLoop} itself, so what they depend on is written here, and a test can run a channel against a context
 * of its own, without a selector or a socket ({@code EmbeddedContext} in the tests).
 *
 * <p>What the loop schedules is named by the small types nested here ({@link Flush}, {@link PoolWaiter},
 * {@link FrameWatch}, {@link HandshakeWaiter}, {@link PendingReader}, {@link ReadyHandler}), which the channel classes
 * implement: the contract names no channel class, and the loop's clocks and lists hold these types, not channels.
 *
 * <p>Every method runs on the engine thread only, except {@link #inEngineThread()}; so do the nested types' methods.
 */
interface ChannelContext {
    /** Something the loop flushes once the current batch of posts is handled ({@link #markDirty}). */
    interface Flush {
        /** Writes what the batch queued, if a post asked for a flush and the socket takes bytes. */
        void flushIfDirty();
    }

    /** Something that waits for pool messages ({@link #starving}): resumed when some come back. */
    interface PoolWaiter {
        /** Retries after the pool got messages back; true when it no longer waits for the pool. */
        boolean resume();

        /** True while it waits for pool messages. */
        boolean starving();

        /** When its current starvation began ({@link System#nanoTime()}). */
        long starvingSince();

        /** True once POOL_EMPTY was considered for its current starvation. */
        boolean starvationReported();

        /** Reports POOL_EMPTY for a starvation that outlasted the grace period (the group's rate limit applies). */
        void reportPoolEmpty();
    }

    /**
     * Something whose peer may leave a frame unfinished, watched by the frame limit ({@link #watchFrame}). The fields
     * are the watch's own bookkeeping, kept here so that watching allocates nothing.
     */
    abstract class FrameWatch {
        /** In the watch list now. */
        boolean frameWatched;
        /** Since when no frame was completed ({@link System#nanoTime()}). */
        long frameSince;
        /** {@link #messagesIn()} at that moment. */
        long frameMark;

        /** Frames completed so far. */
        abstract long messagesIn();

        /** True while a frame is unfinished and nothing on our side keeps us from reading the rest. */
        abstract boolean stalledMidFrame();

        /** The frame stayed unfinished beyond the limit: the channel ends. */
        abstract void frameTimedOut(String detail);
    }

    /** A channel whose handshake (TLS, then an accepted connection's HelloRequest) runs under the handshake limit. */
    interface HandshakeWaiter {
        /** True while the limit applies. */
        boolean awaitsHandshake();

        /** When the limit runs out ({@link System#nanoTime()}), as the clock set it. */
        long handshakeDeadline();

        /** Set by the clock when it starts. */
        void handshakeDeadline(long nanoTime);

        /** The limit ran out. */
        void handshakeExpired(Duration limit);
    }

    /** A channel whose transport holds bytes already read from the socket ({@link #pendingRead}). */
    interface PendingReader {
        /** True while in the loop's list (each channel is listed at most once). */
        boolean readListed();

        /** Set by the list. */
        void readListed(boolean listed);

        /** Reads what the transport holds. */
        void readPending();

        /** Ends the channel after an unexpected internal failure while reading. */
        void fail(AmpeStatus reason);
    }

    /** What a selection key is attached to: the selector's readiness is handed to it ({@link #register}). */
    interface ReadyHandler {
        /** Handles the ready operations ({@code SelectionKey.OP_*}) the selector reported. */
        void onReady(int readyOps);
    }

    /** True on the engine thread: channels assert it at the entry of their engine-only methods. */
    boolean inEngineThread();

    /** The engine's id, for JFR events and log lines. */
    int engineId();

    /** The engine's options. */
    Options options();

    /** The per-channel limits derived from the options. */
    Limits limits();

    /** The engine's running totals. */
    EngineCounters counters();

    // ---- to the applications ----

    /** Hands a message to its group at the end of this loop round. */
    void deliver(GroupImpl group, Message m);

    /**
     * Hands the whole data frame of {@code length} bytes at {@code src[at]} to its group as bytes, at the end of this
     * loop round, for the receiving thread to decode into the message lent to it ({@link #lendForDelivery}); the
     * frame's channel number becomes {@code channelNumber}. {@code src}'s position does not move.
     */
    void deliverEncoded(GroupImpl group, ByteBuffer src, int at, int length, int channelNumber);

    /** Returns an application's message as an engine report with {@code status}; {@code why}, if any, as ~reason. */
    void report(GroupImpl group, Message m, AmpeStatus status, String why);

    /** Delivers a channel's last message, the CHANNEL_CLOSED signal; {@code detail} may be null. */
    void closedSignal(GroupImpl group, int channelNumber, long messageId, AmpeStatus reason, String detail);

    /** Reports POOL_EMPTY to a group (rate-limited per group). */
    void poolEmpty(GroupImpl group, int channelNumber);

    // ---- the pool ----

    /** A message to decode a received frame into, or null when the channel must wait for the pool. */
    Message takeForDecode(GroupImpl group, boolean peerDoesNotRead);

    /**
     * Takes the pool's loan of one message for a received frame to be delivered as bytes; false when the pool has no
     * idle message (the frame then takes the message path).
     */
    boolean lendForDelivery();

    /** How many bytes one read may take now (see {@link PoolExchange#readLimit}). */
    int readLimit(GroupImpl group, int averageFrame, int withoutMessage, boolean peerDoesNotRead);

    /**
     * Queues a written message (its whole frame handed to the socket or to the engine's write buffer) for return to
     * the pool with the others of its batch ({@link #returnWritten}).
     */
    void recycleWritten(Message m);

    /**
     * Gives the written messages queued by {@link #recycleWritten} back to the pool now, with one CAS: a channel calls
     * it before the write that sends their bytes, since that write may wake the peer's reader, its receiver and the
     * sender waiting for those very messages before this thread runs again.
     */
    void returnWritten();

    /** Gives a message back to the pool now. */
    void recycle(Message m);

    /**
     * Counts the pool's loan to a frame its posting thread encoded as ended (the frame was written, or is lost with
     * its connection); it ends with the next {@link #returnWritten}.
     */
    void lentWritten();

    /**
     * Turns an encoded frame that comes back unsent into a message: the one the pool lent to it if {@code lent}.
     */
    Message rebuild(byte[] src, int offset, int length, boolean lent);

    /** Counts a channel whose socket just refused bytes ({@code true}) or took everything again. */
    void writeBlocked(boolean blocked);

    // ---- the loop's scheduling ----

    /** Asks for the channel to be flushed once the current batch of posts is handled. */
    void markDirty(Flush channel);

    /** The channel waits for pool messages; it is resumed when some come back. */
    void starving(PoolWaiter reader);

    /** The channel's peer left a frame unfinished: the frame limit watches it. */
    void watchFrame(FrameWatch reader);

    /** The channel's handshake (TLS, an accepted connection's HelloRequest) now runs under the handshake limit. */
    void awaitHello(HandshakeWaiter channel);

    /** The channel's transport holds bytes already read from the socket: read them without waiting for readiness. */
    void pendingRead(PendingReader channel);

    /** The cap on accepted connections, and what became of them before they said hello. */
    Admission admission();

    /** The clock of connect and idle limits. */
    DeadlineClock deadlines();

    /** Registers a socket with the engine's selector; its readiness goes to {@code handler}. */
    SelectionKey register(SelectableChannel socket, int ops, ReadyHandler handler) throws IOException;

    /** Makes the operating system close the sockets of cancelled keys now (between selections only). */
    void flushCancelledKeys();

    // ---- numbers and buffers ----

    /** The engine's channel numbers. */
    ChannelNumbers numbers();

    /** The shared read buffer (one channel reads at a time). */
    ByteBuffer readBuffer();

    /** The engine's spare chunks for frames queued as bytes. */
    FrameChunks frameChunks();

    /** The shared write buffer (one channel writes at a time). */
    ByteBuffer writeBuffer();

    /** The shared frame encoder. */
    FrameEncoder encoder();

    /** The shared builder of gathering writes over {@link #writeBuffer()} (one channel writes at a time). */
    GatheredWrite gatheredWrite();

    /**
     * A cleared buffer with room for at least {@code bytes}, for what a write-blocked channel's socket did not take
     * ({@link TailBuffers}); the channel owns it until {@link #giveBackTail}.
     */
    ByteBuffer takeTail(int bytes);

    /** Gives back a buffer from {@link #takeTail} once its bytes are out of it. */
    void giveBackTail(ByteBuffer tail);
}
