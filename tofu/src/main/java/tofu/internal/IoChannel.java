package tofu.internal;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.Message;
import tofu.OpCode;

/**
 * A connected (or connecting) stream: a client channel opened by a HelloRequest, or a connection accepted by a
 * listener. Confined to the engine thread.
 *
 * <p><b>Sending.</b> Posted messages wait in the channel's {@link SendQueue}, which also applies the bye rules; the
 * channel flushes it once per batch of posts and again whenever a full socket becomes writable.
 *
 * <p><b>Receiving.</b> Bytes read into the loop's shared buffer are decoded at once into pool messages and delivered.
 * When the pool runs dry mid-read the rest is stashed, reading stops (the kernel buffers fill and TCP/UDS flow control
 * slows the peer) and the loop resumes the channel when a message is put back.
 *
 * <p><b>Accepted connections</b> are unannounced until their first frame, which must be a HelloRequest: only then do
 * they get a channel number and does the application hear of them; before that they end silently.
 */
final class IoChannel extends Channel {
    private static final MessageAccess M = MessageAccess.get();
    private static final int MAX_READS_PER_EVENT = 4;
    private static final ByteBuffer NO_BYTES = ByteBuffer.allocate(0);

    private enum State { RESOLVING, CONNECTING, OPEN, CLOSED }

    private final boolean tcp;
    private final boolean accepted;
    private SocketChannel socket;
    private State state;
    private boolean announced;

    private final SendQueue sendQueue;
    private boolean byeFrameReceived;
    private boolean dirty;
    private boolean writeBlocked;

    private final FrameDecoder decoder = new FrameDecoder();
    private final FrameDecoder.Source source = this::takeForDecode;
    private ByteBuffer stash;
    private boolean starving;
    private boolean inStarvingList;
    /** When an accepted connection that has not said hello is dropped (System.nanoTime); engine thread. */
    long handshakeDeadline;
    /** The connect limit while connecting, the idle limit once open. */
    private final ChannelDeadline deadline;

    /** Running average of received frame sizes, to size reads to what the pool can take. */
    private int averageFrame = 256;
    private long messagesIn;
    private long bytesIn;

    private IoChannel(EventLoop loop, GroupImpl group, boolean tcp, State state) {
        super(loop, group);
        this.tcp = tcp;
        this.accepted = state == State.OPEN;
        this.state = state;
        this.sendQueue = new SendQueue(loop);
        this.deadline = new ChannelDeadline(loop.deadlines, this, loop.engine.options);
    }

    /** A client channel: its HelloRequest is the first queued frame; the socket comes with {@link #connect}. */
    static IoChannel client(EventLoop loop, ChannelSlot slot, Message hello, boolean tcp, String address) {
        IoChannel ch = new IoChannel(loop, slot.group, tcp, State.RESOLVING);
        ch.address = address;
        ch.attach(slot);
        ch.announced = true;
        ch.reportId = M.header(hello).messageId();
        ch.sendQueue.add(hello);
        ch.deadline.connecting();
        return ch;
    }

    /** An accepted connection, unannounced until its HelloRequest arrives. */
    static void accepted(EventLoop loop, GroupImpl group, SocketChannel socket, boolean tcp, String listenerAddress)
            throws IOException {
        IoChannel ch = new IoChannel(loop, group, tcp, State.OPEN);
        ch.address = listenerAddress;
        ch.socket = socket;
        try {
            socket.configureBlocking(false);
            SocketTuning.dataSocket(socket, loop.engine.options, tcp);
            ch.key = socket.register(loop.selector, SelectionKey.OP_READ, ch);
        } catch (IOException e) {
            ch.abort();
            throw e;
        }
        loop.awaitHandshake(ch);
        Jfr.accepted(loop.engine.id(), listenerAddress);
    }

    /** True while an accepted connection has not sent its HelloRequest. */
    boolean awaitsHello() {
        return state == State.OPEN && !announced;
    }

    /** Starts connecting to a resolved address. */
    void connect(SocketAddress address, ProtocolFamily family) {
        assert loop.inEngineThread();
        if (state != State.RESOLVING) {
            return; // aborted while resolving
        }
        try {
            socket = SocketChannel.open(family);
            socket.configureBlocking(false);
            SocketTuning.dataSocket(socket, loop.engine.options, family != StandardProtocolFamily.UNIX);
            key = socket.register(loop.selector, 0, this);
            if (socket.connect(address)) {
                opened();
            } else {
                state = State.CONNECTING;
                key.interestOps(SelectionKey.OP_CONNECT);
            }
        } catch (IOException | UnresolvedAddressException | UnsupportedAddressTypeException e) {
            teardown(AmpeStatus.CONNECT_FAILED, false);
        }
    }

    /** Fails a channel whose address could not be used (unknown host, missing UDS path, ...). */
    void connectFailed(AmpeStatus status) {
        teardown(status, false);
    }

    private void opened() {
        state = State.OPEN;
        deadline.opened();
        Jfr.connected(loop.engine.id(), slot.number, address);
        updateInterest();
        flush();
    }

    @Override
    void onReady(int readyOps) {
        assert loop.inEngineThread();
        if (state == State.CONNECTING && (readyOps & SelectionKey.OP_CONNECT) != 0) {
            finishConnect();
            return;
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0 && state == State.OPEN) {
            writeBlocked(false);
            flush();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0 && state == State.OPEN) {
            read();
        }
    }

    private void finishConnect() {
        try {
            if (socket.finishConnect()) {
                opened();
            }
        } catch (IOException e) {
            teardown(AmpeStatus.CONNECT_FAILED, false);
        }
    }

    // ---- sending ----

    /** Queues a posted message (or holds it, after a bye). */
    void enqueue(Message m) {
        assert loop.inEngineThread();
        if (sendQueue.add(m) && state == State.OPEN && !writeBlocked && !dirty) {
            dirty = true;
            loop.markDirty(this);
        }
    }

    void flushIfDirty() {
        assert loop.inEngineThread();
        if (dirty) {
            dirty = false;
            if (state == State.OPEN && !writeBlocked) {
                flush();
            }
        }
    }

    private void flush() {
        boolean drained;
        try {
            drained = sendQueue.writeTo(socket);
        } catch (IOException e) {
            teardown(failureReason(e, AmpeStatus.SEND_FAILED), false);
            return;
        }
        writeBlocked(!drained);
        updateInterest();
    }

    /** Tracks whether the socket refused bytes; {@link PoolExchange} counts such channels for its deadlock rule. */
    private void writeBlocked(boolean blocked) {
        if (writeBlocked != blocked) {
            writeBlocked = blocked;
            loop.poolExchange.writeBlocked(blocked);
        }
    }

    // ---- receiving ----

    private void read() {
        ByteBuffer in = loop.readBuffer;
        for (int i = 0; i < MAX_READS_PER_EVENT; i++) {
            in.clear();
            int limit = loop.poolExchange.readLimit(group, averageFrame, decoder.bytesWithoutMessage());
            in.limit(limit);
            int n;
            try {
                n = socket.read(in);
            } catch (IOException e) {
                end(failureReason(e, AmpeStatus.RECV_FAILED), false);
                return;
            }
            if (n < 0) {
                end(byeExchanged() ? AmpeStatus.CHANNEL_CLOSED : AmpeStatus.PEER_DISCONNECTED, true);
                return;
            }
            if (n == 0) {
                return;
            }
            deadline.received();
            in.flip();
            if (!consume(in) || n < limit) {
                return;
            }
        }
    }

    /** Decodes and delivers what {@code src} holds; returns false if the channel stopped reading. */
    private boolean consume(ByteBuffer src) {
        while (true) {
            Message m;
            try {
                m = decoder.next(src, source);
            } catch (AmpeException e) {
                Jfr.protocolViolation(loop.engine.id(), slot == null ? 0 : slot.number, e.getMessage());
                end(AmpeStatus.INVALID_MESSAGE, false);
                return false;
            }
            if (m == null) {
                if (src.hasRemaining() || decoder.awaitsMessage()) {
                    starve(src);
                    return false;
                }
                return true;
            }
            int frame = FrameEncoder.frameLength(m);
            messagesIn++;
            bytesIn += frame;
            averageFrame += (frame - averageFrame) >> 3;
            loop.counters.received(frame);
            if (!onFrame(m)) {
                return false;
            }
        }
    }

    private Message takeForDecode() {
        return loop.poolExchange.takeForDecode(group);
    }

    /** Handles one received frame; returns false if the channel ended. */
    private boolean onFrame(Message m) {
        BinaryHeader h = M.header(m);
        OpCode op = h.opCode();
        if (!announced && !announce(m, op)) {
            loop.engine.recycle(m);
            abort();
            return false;
        }
        h.channelNumber(slot.number);
        if (op == OpCode.BYE_REQUEST) {
            byeFrameReceived = true;
        } else if (op == OpCode.BYE_RESPONSE) {
            byeFrameReceived = true;
            loop.deliveries.deliver(group, m);
            teardown(AmpeStatus.CHANNEL_CLOSED, true);
            return false;
        }
        loop.deliveries.deliver(group, m);
        return true;
    }

    /** The first frame of an accepted connection: it must be a HelloRequest, and a number must be free. */
    private boolean announce(Message first, OpCode op) {
        if (op != OpCode.HELLO_REQUEST) {
            return false;
        }
        ChannelSlot s = loop.numbers.allocate(group, ChannelSlot.Kind.IO);
        if (s == null) {
            return false;
        }
        attach(s);
        announced = true;
        reportId = M.header(first).messageId();
        deadline.opened();
        Jfr.handshakeDone(loop.engine.id(), s.number, address);
        return true;
    }

    private void starve(ByteBuffer src) {
        if (src != stash) {
            stash = src.hasRemaining() ? ByteBuffer.allocate(src.remaining()).put(src).flip() : null;
        }
        if (!starving) {
            Jfr.starvationBegin(loop.engine.id(), slot == null ? 0 : slot.number);
        }
        starving = true;
        updateInterest();
        if (!inStarvingList) {
            inStarvingList = true;
            loop.addStarving(this);
        }
        if (announced) {
            loop.deliveries.reportPoolEmpty(group, slot.number);
        }
    }

    /** Retries after the pool got messages back; returns true when the channel no longer waits for the pool. */
    boolean resume() {
        assert loop.inEngineThread();
        if (state != State.OPEN) {
            inStarvingList = false;
            return true;
        }
        starving = false;
        deadline.readsResumed();
        boolean done = consume(stash != null ? stash : NO_BYTES);
        if (starving) {
            return false;
        }
        stash = null;
        inStarvingList = false;
        Jfr.starvationEnd(loop.engine.id(), slot == null ? 0 : slot.number);
        if (done) {
            updateInterest();
        }
        return true;
    }

    // ---- ending ----

    /**
     * The reason for an I/O failure. A peer that drops the connection after the bye was exchanged is closing, not
     * vanishing: a Zig initiator ends every bye with a reset, and its responder must still report CHANNEL_CLOSED.
     */
    private AmpeStatus failureReason(IOException e, AmpeStatus fallback) {
        AmpeStatus status = IoErrors.classify(e, fallback);
        if (status == AmpeStatus.PEER_DISCONNECTED && byeExchanged()) {
            return AmpeStatus.CHANNEL_CLOSED;
        }
        return status;
    }

    /** True once a bye frame came from the peer or our ByeResponse went out: a close from now on is graceful. */
    private boolean byeExchanged() {
        return byeFrameReceived || sendQueue.byeResponseSent();
    }

    /** Ends the channel: silently while unannounced, with notifications afterwards. */
    private void end(AmpeStatus reason, boolean graceful) {
        if (announced) {
            teardown(reason, graceful);
        } else {
            abort();
        }
    }

    /**
     * A time limit passed ({@link ChannelDeadline}): the channel ends with {@code reason}, and {@code words} say which
     * limit in the {@code ~reason} headers of what comes back.
     */
    void timedOut(AmpeStatus reason, String words) {
        assert loop.inEngineThread();
        teardown(reason, false, words);
    }

    /** True while the channel does not read because its group's pool is dry: its silence is ours, not the peer's. */
    boolean readsPaused() {
        return starving;
    }

    @Override
    void teardown(AmpeStatus reason, boolean graceful) {
        teardown(reason, graceful, null);
    }

    /** Ends the channel with notifications; {@code words}, if not null, say why in the {@code ~reason} headers. */
    private void teardown(AmpeStatus reason, boolean graceful, String words) {
        assert loop.inEngineThread();
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        deadline.stop();
        writeBlocked(false);
        closeSocket(graceful);
        recyclePartial();
        MessageList unsent = new MessageList();
        sendQueue.drainUnsent(unsent);
        Message m;
        while ((m = unsent.poll()) != null) {
            loop.deliveries.report(group, m, reason, words);
        }
        finishTeardown(reason, words);
    }

    @Override
    void abort() {
        assert loop.inEngineThread();
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        deadline.stop();
        writeBlocked(false);
        closeSocket(false);
        recyclePartial();
        MessageList unsent = new MessageList();
        sendQueue.drainUnsent(unsent);
        loop.recycleAll(unsent);
        releaseSilently();
    }

    private void recyclePartial() {
        Message partial = decoder.release();
        if (partial != null) {
            loop.engine.recycle(partial);
        }
        stash = null;
    }

    private void closeSocket(boolean graceful) {
        if (key != null) {
            key.cancel();
        }
        if (socket == null) {
            return;
        }
        try {
            if (!graceful && tcp && socket.isConnected()) {
                socket.setOption(StandardSocketOptions.SO_LINGER, 0); // abort: RST, nothing more is sent
            }
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort: a plain close still ends the connection
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to do with a socket that failed to close
        }
    }

    @Override
    tofu.ChannelStats stats() {
        if (slot == null) {
            return null;
        }
        return new tofu.ChannelStats(slot.number, accepted ? tofu.ChannelStats.Kind.ACCEPTED
                : tofu.ChannelStats.Kind.CLIENT, address, messagesIn, sendQueue.messagesOut(), bytesIn,
                sendQueue.bytesOut(), sendQueue.depth());
    }

    private void updateInterest() {
        if (key == null || !key.isValid()) {
            return;
        }
        int ops = 0;
        if (state == State.OPEN) {
            if (!starving) {
                ops |= SelectionKey.OP_READ;
            }
            if (writeBlocked) {
                ops |= SelectionKey.OP_WRITE;
            }
        } else if (state == State.CONNECTING) {
            ops = SelectionKey.OP_CONNECT;
        }
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }
}
