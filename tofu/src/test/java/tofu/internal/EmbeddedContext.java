package tofu.internal;

import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;
import tofu.AmpeStatus;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;

/**
 * A {@link ChannelContext} without a loop, a selector or a socket, in the spirit of Netty's {@code EmbeddedChannel}:
 * a test builds an {@link IoChannel} on a {@link PipeTransport}, feeds it bytes and posts, and reads here what the
 * channel delivered, returned and signalled, in order, and how it used the pool. Single-threaded: the test's thread
 * plays the engine thread.
 */
final class EmbeddedContext implements ChannelContext {
    private static final MessageAccess M = MessageAccess.get();

    /** Everything the channel handed to its group, in order: frames, returned messages, signals. */
    final List<Message> delivered = new ArrayList<>();
    final List<Flush> dirty = new ArrayList<>();
    final List<PoolWaiter> starving = new ArrayList<>();
    final List<FrameWatch> watched = new ArrayList<>();
    /** Channels whose handshake limit started. */
    final List<HandshakeWaiter> awaitingHello = new ArrayList<>();
    /** Channels whose transport held bytes to read without readiness. */
    final List<PendingReader> pendingReads = new ArrayList<>();
    final Options options;
    final Limits limits;
    final EngineCounters counters = new EngineCounters();
    final ChannelNumbers numbers = new ChannelNumbers();
    final DeadlineClock deadlines = new DeadlineClock();
    final Admission admission = new Admission(0);
    private final ByteBuffer readBuffer = ByteBuffer.allocate(256 * 1024);
    private final ByteBuffer writeBuffer = ByteBuffer.allocate(256 * 1024);
    private final FrameEncoder encoder = new FrameEncoder();
    private final GatheredWrite gatheredWrite = new GatheredWrite(writeBuffer);
    /** Pool messages free to decode into; the test drains and refills it. */
    int poolFree;
    /** Pool messages taken for decoding and not back yet. */
    int poolTaken;
    /** Where written messages go back ({@link #returnWritten}): a real pool, so a test can see them arrive. */
    final MessagePool pool = new MessagePool(0, Integer.MAX_VALUE);
    /** Written messages queued for the pool and not given back yet. */
    final MessageRing written = new MessageRing();
    /** Written messages given back to {@link #pool} so far. */
    int writtenBack;
    /** Tail buffers taken and not given back: one per write-blocked channel at most, none for an idle one. */
    int tailsTaken;
    private final TailBuffers tails = new TailBuffers();
    int writeBlockedChannels;

    EmbeddedContext(Options options, int poolFree) {
        this.options = options;
        this.limits = new Limits(options);
        this.poolFree = poolFree;
    }

    /** The delivered messages that are engine reports with {@code status} (returned messages and signals). */
    List<Message> reports(AmpeStatus status) {
        List<Message> out = new ArrayList<>();
        for (Message m : delivered) {
            if (m.isFromEngine() && m.bhdr().status() == status) {
                out.add(m);
            }
        }
        return out;
    }

    /** True if {@code m} is a CHANNEL_CLOSED signal. */
    static boolean isClosedSignal(Message m) {
        return m.isFromEngine() && m.bhdr().opCode() == OpCode.SIGNAL && m.bhdr().status() == AmpeStatus.CHANNEL_CLOSED;
    }

    @Override
    public boolean inEngineThread() {
        return true;
    }

    @Override
    public int engineId() {
        return 0;
    }

    @Override
    public Options options() {
        return options;
    }

    @Override
    public Limits limits() {
        return limits;
    }

    @Override
    public EngineCounters counters() {
        return counters;
    }

    @Override
    public void deliver(GroupImpl group, Message m) {
        M.posted(m, false);
        delivered.add(m);
    }

    @Override
    public void report(GroupImpl group, Message m, AmpeStatus status, String why) {
        if (why != null) {
            M.textHeaders(m).append("~reason", why);
        }
        M.markEngineReport(m, status);
        deliver(group, m);
    }

    @Override
    public void closedSignal(GroupImpl group, int channelNumber, long messageId, AmpeStatus reason, String detail) {
        Message s = Message.create();
        s.bhdr().opCode(OpCode.SIGNAL).channelNumber(channelNumber).messageId(messageId);
        s.thdrs().append("~reason", detail == null ? reason.name() : reason.name() + ": " + detail);
        M.markEngineReport(s, AmpeStatus.CHANNEL_CLOSED);
        deliver(group, s);
    }

    @Override
    public void poolEmpty(GroupImpl group, int channelNumber) {
        Message s = Message.create();
        s.bhdr().opCode(OpCode.SIGNAL).channelNumber(channelNumber);
        M.markEngineReport(s, AmpeStatus.POOL_EMPTY);
        deliver(group, s);
    }

    @Override
    public Message takeForDecode(GroupImpl group, boolean peerDoesNotRead) {
        if (poolFree == 0) {
            return null;
        }
        poolFree--;
        poolTaken++;
        return Message.create();
    }

    /** Lends like {@link #takeForDecode}: the frame delivered as bytes holds one free pool message. */
    @Override
    public boolean lendForDelivery() {
        if (poolFree == 0) {
            return false;
        }
        poolFree--;
        poolTaken++;
        return true;
    }

    /** Decodes the frame at once, as its receiver would, and lists it with the other deliveries. */
    @Override
    public void deliverEncoded(GroupImpl group, ByteBuffer src, int at, int length, int channelNumber) {
        Message m = Message.create();
        FrameDecoder.decodeWhole(src.duplicate().position(at).limit(at + length), m);
        M.header(m).channelNumber(channelNumber);
        deliveredAsBytes++;
        deliver(group, m);
    }

    /** Deliveries that came as bytes ({@link #deliverEncoded}). */
    int deliveredAsBytes;

    @Override
    public int readLimit(GroupImpl group, int averageFrame, int withoutMessage, boolean peerDoesNotRead) {
        return poolFree == 0 ? Math.max(1, withoutMessage) : readBuffer.capacity();
    }

    @Override
    public void recycleWritten(Message m) {
        written.add(m);
    }

    @Override
    public void returnWritten() {
        writtenBack += written.size();
        pool.putAll(written);
        pool.release(lentWritten);
        lentEnded += lentWritten;
        lentWritten = 0;
    }

    /** Loans of encoded frames counted as ended and not given back yet; and those given back to {@link #pool}. */
    int lentWritten;
    int lentEnded;

    /** Chunks for frames queued as bytes; a test can see them come back. */
    final FrameChunks frameChunks = new FrameChunks();

    @Override
    public FrameChunks frameChunks() {
        return frameChunks;
    }

    @Override
    public void lentWritten() {
        lentWritten++;
    }

    @Override
    public Message rebuild(byte[] src, int offset, int length, boolean lent) {
        Message m = pool.reclaim(lent);
        FrameDecoder.decodeWhole(ByteBuffer.wrap(src, offset, length), m);
        return m;
    }

    @Override
    public void recycle(Message m) {
        poolTaken--;
        poolFree++;
    }

    @Override
    public void writeBlocked(boolean blocked) {
        writeBlockedChannels += blocked ? 1 : -1;
    }

    @Override
    public void markDirty(Flush channel) {
        dirty.add(channel);
    }

    /** Flushes the channels marked dirty, as the loop does once a batch of posts is handled. */
    void flushDirty() {
        for (Flush c : dirty) {
            c.flushIfDirty();
        }
        dirty.clear();
    }

    @Override
    public void starving(PoolWaiter reader) {
        starving.add(reader);
    }

    @Override
    public void watchFrame(FrameWatch reader) {
        watched.add(reader);
    }

    @Override
    public void awaitHello(HandshakeWaiter channel) {
        awaitingHello.add(channel);
    }

    @Override
    public void pendingRead(PendingReader channel) {
        pendingReads.add(channel);
    }

    @Override
    public Admission admission() {
        return admission;
    }

    @Override
    public DeadlineClock deadlines() {
        return deadlines;
    }

    @Override
    public SelectionKey register(SelectableChannel socket, int ops, ReadyHandler handler) {
        throw new UnsupportedOperationException("no selector here");
    }

    @Override
    public void flushCancelledKeys() {
        // no selector here
    }

    @Override
    public ChannelNumbers numbers() {
        return numbers;
    }

    @Override
    public ByteBuffer readBuffer() {
        return readBuffer;
    }

    @Override
    public ByteBuffer writeBuffer() {
        return writeBuffer;
    }

    @Override
    public FrameEncoder encoder() {
        return encoder;
    }

    @Override
    public GatheredWrite gatheredWrite() {
        return gatheredWrite;
    }

    @Override
    public ByteBuffer takeTail(int bytes) {
        tailsTaken++;
        return tails.take(bytes);
    }

    @Override
    public void giveBackTail(ByteBuffer tail) {
        tailsTaken--;
        tails.giveBack(tail);
    }
}
