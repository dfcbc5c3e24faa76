package tofu.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import tofu.AmpeStatus;
import tofu.Message;
import tofu.Options;

/**
 * Everything a channel may touch of its engine, and nothing more: deliveries to applications, the pool, the loop's
 * scheduling (flush, starvation, clocks), its selector, channel numbers, and the shared I/O buffers. Channels never see
 * the {@link EventLoop} itself, so what they depend on is written here, and a test can run a channel against a context
 * of its own, without a selector or a socket ({@code EmbeddedContext} in the tests).
 *
 * <p>Every method runs on the engine thread only, except {@link #inEngineThread()}.
 */
interface ChannelContext {
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

    /** Returns an application's message as an engine report with {@code status}; {@code why}, if any, as ~reason. */
    void report(GroupImpl group, Message m, AmpeStatus status, String why);

    /** Delivers a channel's last message, the CHANNEL_CLOSED signal; {@code detail} may be null. */
    void closedSignal(GroupImpl group, int channelNumber, long messageId, AmpeStatus reason, String detail);

    /** Reports POOL_EMPTY to a group (rate-limited per group). */
    void poolEmpty(GroupImpl group, int channelNumber);

    // ---- the pool ----

    /** A message to decode a received frame into, or null when the channel must wait for the pool. */
    Message takeForDecode(GroupImpl group, boolean peerDoesNotRead);

    /** How many bytes one read may take now (see {@link PoolExchange#readLimit}). */
    int readLimit(GroupImpl group, int averageFrame, int withoutMessage, boolean peerDoesNotRead);

    /** Gives a fully written message back to the pool, with the others of this round. */
    void recycleWritten(Message m);

    /** Gives a message back to the pool now. */
    void recycle(Message m);

    /** Counts a channel whose socket just refused bytes ({@code true}) or took everything again. */
    void writeBlocked(boolean blocked);

    // ---- the loop's scheduling ----

    /** Asks for the channel to be flushed once the current batch of posts is handled. */
    void markDirty(IoChannel channel);

    /** The channel waits for pool messages; it is resumed when some come back. */
    void starving(ReadSide reader);

    /** The channel's peer left a frame unfinished: the frame limit watches it. */
    void watchFrame(ReadSide reader);

    /** An accepted connection's HelloRequest is now awaited under the handshake limit. */
    void awaitHello(IoChannel channel);

    /** The channel's transport holds bytes already read from the socket: read them without waiting for readiness. */
    void pendingRead(IoChannel channel);

    /** The cap on accepted connections, and what became of them before they said hello. */
    Admission admission();

    /** The clock of connect and idle limits. */
    DeadlineClock deadlines();

    /** Registers a socket with the engine's selector. */
    SelectionKey register(SelectableChannel socket, int ops, Channel channel) throws IOException;

    /** Makes the operating system close the sockets of cancelled keys now (between selections only). */
    void flushCancelledKeys();

    // ---- numbers and buffers ----

    /** The engine's channel numbers. */
    ChannelNumbers numbers();

    /** The shared read buffer (one channel reads at a time). */
    ByteBuffer readBuffer();

    /** The shared write buffer (one channel writes at a time). */
    ByteBuffer writeBuffer();

    /** The shared frame encoder. */
    FrameEncoder encoder();
}
