package tofu.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import tofu.AmpeStatus;
import tofu.Message;
import tofu.Options;

/**
 * The {@link ChannelContext} of a running engine: each call goes to the one loop helper that owns the matter
 * ({@link Deliveries}, {@link PoolExchange}, {@link Starvation}, {@link FrameClock}, ...). Created by the
 * {@link EventLoop}; confined to its thread.
 */
final class LoopContext implements ChannelContext {
    private final LoopParts loop;

    LoopContext(LoopParts loop) {
        this.loop = loop;
    }

    @Override
    public boolean inEngineThread() {
        return loop.inEngineThread();
    }

    @Override
    public int engineId() {
        return loop.engineId;
    }

    @Override
    public Options options() {
        return loop.options;
    }

    @Override
    public Limits limits() {
        return loop.limits;
    }

    @Override
    public EngineCounters counters() {
        return loop.counters;
    }

    @Override
    public void deliver(GroupImpl group, Message m) {
        loop.deliveries.deliver(group, m);
    }

    @Override
    public void report(GroupImpl group, Message m, AmpeStatus status, String why) {
        if (why != null) {
            loop.deliveries.explain(m, why);
        }
        loop.deliveries.report(group, m, status);
    }

    @Override
    public void closedSignal(GroupImpl group, int channelNumber, long messageId, AmpeStatus reason, String detail) {
        loop.deliveries.closedSignal(group, channelNumber, messageId, reason, detail);
    }

    @Override
    public void poolEmpty(GroupImpl group, int channelNumber) {
        loop.deliveries.reportPoolEmpty(group, channelNumber);
    }

    @Override
    public Message takeForDecode(GroupImpl group, boolean peerDoesNotRead) {
        return loop.poolExchange.takeForDecode(group, peerDoesNotRead);
    }

    @Override
    public boolean lendForDelivery() {
        return loop.poolExchange.lendForDelivery();
    }

    @Override
    public void deliverEncoded(GroupImpl group, ByteBuffer src, int at, int length, int channelNumber) {
        loop.deliveries.deliverEncoded(group, src, at, length, channelNumber);
    }

    @Override
    public int readLimit(GroupImpl group, int averageFrame, int withoutMessage, boolean peerDoesNotRead) {
        return loop.poolExchange.readLimit(group, averageFrame, withoutMessage, peerDoesNotRead);
    }

    @Override
    public void recycleWritten(Message m) {
        loop.poolExchange.recycleWritten(m);
    }

    @Override
    public void returnWritten() {
        loop.giveBackWritten();
    }

    @Override
    public void recycle(Message m) {
        loop.recycle(m);
    }

    @Override
    public FrameChunks frameChunks() {
        return loop.frameChunks;
    }

    @Override
    public void lentWritten() {
        loop.poolExchange.lentWritten();
    }

    @Override
    public Message rebuild(byte[] src, int offset, int length, boolean lent) {
        return loop.poolExchange.rebuild(src, offset, length, lent);
    }

    @Override
    public void writeBlocked(boolean blocked) {
        loop.poolExchange.writeBlocked(blocked);
    }

    @Override
    public void markDirty(Flush channel) {
        loop.markDirty(channel);
    }

    @Override
    public void starving(PoolWaiter reader) {
        loop.starvation.add(reader);
    }

    @Override
    public void watchFrame(FrameWatch reader) {
        loop.frameClock.watch(reader);
    }

    @Override
    public void awaitHello(HandshakeWaiter channel) {
        loop.awaitHandshake(channel);
    }

    @Override
    public void pendingRead(PendingReader channel) {
        loop.pendingReads.add(channel);
    }

    @Override
    public Admission admission() {
        return loop.admission;
    }

    @Override
    public DeadlineClock deadlines() {
        return loop.deadlines;
    }

    @Override
    public SelectionKey register(SelectableChannel socket, int ops, ReadyHandler handler) throws IOException {
        return socket.register(loop.selector, ops, handler);
    }

    @Override
    public void flushCancelledKeys() {
        loop.flushCancelledKeys();
    }

    @Override
    public ChannelNumbers numbers() {
        return loop.numbers;
    }

    @Override
    public ByteBuffer readBuffer() {
        return loop.readBuffer;
    }

    @Override
    public ByteBuffer writeBuffer() {
        return loop.writeBuffer;
    }

    @Override
    public GatheredWrite gatheredWrite() {
        return loop.gatheredWrite;
    }

    @Override
    public FrameEncoder encoder() {
        return loop.encoder;
    }

    @Override
    public ByteBuffer takeTail(int bytes) {
        return loop.tails.take(bytes);
    }

    @Override
    public void giveBackTail(ByteBuffer tail) {
        loop.tails.giveBack(tail);
    }
}
