package tofu.internal;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
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
 * listener. It owns the channel's life ({@link State}), its transport and its end; its sending half is
 * {@link WriteSide} (with {@link SendQueue}'s bye rules), its receiving half {@link ReadSide} (decoding, starvation,
 * the pause for a peer that does not read). Confined to the engine thread.
 *
 * <p><b>Accepted connections</b> are unannounced until their first frame, which must be a HelloRequest: only then do
 * they get a channel number and does the application hear of them; before that they end silently.
 */
final class IoChannel extends Channel {
    private static final MessageAccess M = MessageAccess.get();
    /** Text header naming the peer as its transport verified it (docs/PROTOCOL.md, peer identity). */
    static final String PEER_HEADER = "~peer";

    /**
     * A channel's life: a client resolves, connects, handshakes (a transport that needs one), opens; an accepted
     * connection starts at HANDSHAKING. Every path ends in CLOSED, once. {@link #to(State)} checks the transitions.
     */
    private enum State {
        RESOLVING, CONNECTING, HANDSHAKING, OPEN, CLOSED;

        boolean mayBecome(State next) {
            switch (this) {
                case RESOLVING: return next == CONNECTING || next == HANDSHAKING || next == CLOSED;
                case CONNECTING: return next == HANDSHAKING || next == CLOSED;
                case HANDSHAKING: return next == OPEN || next == CLOSED;
                case OPEN: return next == CLOSED;
                default: return false;
            }
        }
    }

    private final boolean tcp;
    private final boolean accepted;
    /** Makes the transport once the socket exists: plain, or TLS for {@code tls|} addresses and listeners. */
    private final TransportMaker maker;
    private ByteTransport transport;
    private State state;
    private boolean announced;

    private final WriteSide writer;
    private final SendQueue sendQueue;
    private boolean byeFrameReceived;

    private final ReadSide reader;
    /** When an accepted connection that has not said hello, or a client mid-TLS-handshake, is dropped. */
    long handshakeDeadline;
    /** Listed in {@link PendingReads}; engine thread. */
    boolean readListed;
    /** A client's first HelloResponse got its {@code ~peer}; later ones are the peer's business. */
    private boolean peerStamped;
    /** The connect limit while a client connects, the idle limit once the channel is open. */
    private final ChannelDeadline deadline;

    private IoChannel(ChannelContext ctx, GroupImpl group, boolean tcp, boolean accepted, TransportMaker maker) {
        super(ctx, group);
        this.tcp = tcp;
        this.accepted = accepted;
        this.maker = maker;
        this.state = accepted ? State.HANDSHAKING : State.RESOLVING;
        this.writer = new WriteSide(this, ctx, accepted);
        this.sendQueue = writer.queue;
        this.reader = new ReadSide(this, ctx);
        this.deadline = new ChannelDeadline(ctx.deadlines(), this, ctx.options());
    }

    /** Moves to the next stage of the channel's life; an illegal move fails the tests (assertions are on there). */
    private void to(State next) {
        assert state.mayBecome(next) : "channel " + this + ": " + state + " -> " + next;
        state = next;
        if (next == State.CLOSED && accepted) {
            ctx.admission().release();
        }
    }

    /** A client channel: its HelloRequest is the first queued frame; the socket comes with {@link #connect}. */
    static IoChannel client(ChannelContext ctx, ChannelSlot slot, Message hello, boolean tcp, String address,
            TransportMaker maker) {
        IoChannel ch = new IoChannel(ctx, slot.group, tcp, false, maker);
        ch.address = address;
        ch.attach(slot);
        ch.announced = true;
        ch.reportId = M.header(hello).messageId();
        ch.sendQueue.add(hello);
        ch.deadline.connecting();
        return ch;
    }

    /**
     * An accepted connection, unannounced until its HelloRequest arrives; the listener has admitted it
     * ({@link Admission}), and its channel gives the place back when it ends.
     */
    static void accepted(ChannelContext ctx, GroupImpl group, SocketChannel socket, boolean tcp, String listenerAddress,
            TransportMaker maker) throws IOException {
        IoChannel ch = new IoChannel(ctx, group, tcp, true, maker);
        ch.address = listenerAddress;
        try {
            ch.transport = maker.make(socket);
            socket.configureBlocking(false);
            SocketTuning.dataSocket(socket, ctx.options(), tcp);
            ch.key = ctx.register(socket, 0, ch);
        } catch (IOException | RuntimeException e) {
            if (ch.transport == null) {
                new PlainTransport(socket, tcp).close(false);
            }
            ch.abort();
            throw e instanceof IOException ? (IOException) e : new IOException(e);
        }
        ctx.awaitHello(ch);
        Jfr.accepted(ctx.engineId(), listenerAddress);
        ch.progressHandshake();
    }

    /**
     * A channel over a transport the caller made, already connected: no selector, no socket. With a {@code hello} it
     * is a client channel that sends it first; without, an accepted connection awaiting its HelloRequest. For tests
     * that drive a channel by hand (the {@code EmbeddedContext} of the test sources).
     */
    static IoChannel embedded(ChannelContext ctx, GroupImpl group, ByteTransport transport, ChannelSlot slot,
            Message hello) {
        TransportMaker given = socket -> transport;
        IoChannel ch = hello == null ? new IoChannel(ctx, group, true, true, given)
                : client(ctx, slot, hello, true, "", given);
        ch.transport = transport;
        if (hello == null) {
            ctx.admission().admit(); // as a listener does before it makes an accepted channel
            ch.progressHandshake();
        } else {
            ch.to(State.CONNECTING);
            ch.connected();
        }
        return ch;
    }

    /** True while an accepted connection has not sent its HelloRequest (its transport handshake included). */
    boolean awaitsHello() {
        return (state == State.OPEN || state == State.HANDSHAKING) && !announced;
    }

    /**
     * True while the handshake limit applies: an accepted connection until its HelloRequest, a client until its
     * transport's (TLS) handshake is done.
     */
    boolean awaitsHandshake() {
        return accepted ? awaitsHello() : state == State.HANDSHAKING;
    }

    /** The handshake limit ran out: an accepted connection ends silently, a client gets its posts back. */
    void handshakeExpired(java.time.Duration limit) {
        assert ctx.inEngineThread();
        if (accepted) {
            ctx.admission().handshakeTimedOut();
            Jfr.handshakeTimeout(ctx.engineId(), address);
            abort();
        } else {
            teardown(AmpeStatus.CONNECT_FAILED, false, "tls: the handshake did not finish within "
                    + limit.toMillis() + " ms (Options.handshakeTimeout)");
        }
    }

    /** Starts connecting to a resolved address. */
    void connect(SocketAddress address, ProtocolFamily family) {
        assert ctx.inEngineThread();
        if (state != State.RESOLVING) {
            return; // aborted while resolving
        }
        try {
            SocketChannel socket = SocketChannel.open(family);
            try {
                transport = maker.make(socket);
            } catch (RuntimeException e) {
                socket.close();
                throw new IOException(e);
            }
            socket.configureBlocking(false);
            SocketTuning.dataSocket(socket, ctx.options(), family != StandardProtocolFamily.UNIX);
            key = ctx.register(socket, 0, this);
            if (socket.connect(address)) {
                connected();
            } else {
                to(State.CONNECTING);
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

    /** The socket is connected: the transport's handshake (if any) comes next, the HelloRequest after it. */
    private void connected() {
        to(State.HANDSHAKING);
        progressHandshake();
        if (state == State.HANDSHAKING) {
            ctx.awaitHello(this); // a TLS handshake under way: the handshake limit bounds it
        }
    }

    /** Advances the transport's handshake; opens the channel once it is done. */
    private void progressHandshake() {
        boolean done;
        try {
            done = transport.handshake();
        } catch (IOException e) {
            handshakeFailed(e);
            return;
        }
        if (!done) {
            updateInterest();
            return;
        }
        if (transport instanceof TlsTransport) {
            ctx.admission().tlsHandshakeDone();
        }
        to(State.OPEN);
        if (!accepted) {
            deadline.opened();
            Jfr.connected(ctx.engineId(), slot.number, address);
        }
        updateInterest();
        flush();
    }

    /** A client's failed transport handshake returns its posts with CONNECT_FAILED; an accepted one ends silently. */
    private void handshakeFailed(IOException e) {
        if (accepted) {
            ctx.admission().tlsHandshakeFailed();
            Jfr.tlsHandshakeFailed(ctx.engineId(), address, e.getMessage());
            abort();
        } else {
            teardown(AmpeStatus.CONNECT_FAILED, false, e.getMessage());
        }
    }

    @Override
    void onReady(int readyOps) {
        assert ctx.inEngineThread();
        if (state == State.CONNECTING && (readyOps & SelectionKey.OP_CONNECT) != 0) {
            finishConnect();
            return;
        }
        if (state == State.HANDSHAKING) {
            progressHandshake();
            if (state != State.OPEN) {
                return;
            }
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0 && state == State.OPEN) {
            writer.writeBlocked(false);
            flush();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0 && state == State.OPEN && !reader.stopped()) {
            reader.read(transport); // a stopped reader ignores readiness reported before it stopped
            if (state == State.OPEN) {
                // A read can change what the transport itself needs (TLS: bytes to write after reading, bytes held
                // back): recompute the interest set, which also lists a transport that holds bytes. Measured as
                // needed: with only the listing, a client's failed TLS handshake lost the post behind its hello.
                updateInterest();
            }
        }
    }

    /** Reads what the transport already holds (see {@link PendingReads}), unless reading has stopped meanwhile. */
    void readPending() {
        assert ctx.inEngineThread();
        if (state == State.OPEN && !reader.stopped()) {
            reader.read(transport);
            updateInterest(); // lists the channel again when its transport still holds bytes
        }
    }

    private void finishConnect() {
        try {
            if (transport.socket().finishConnect()) {
                connected();
            }
        } catch (IOException e) {
            teardown(AmpeStatus.CONNECT_FAILED, false);
        }
    }

    // ---- sending (the rest is in WriteSide) ----

    /** Queues a posted message (or holds it, after a bye). */
    void enqueue(Message m) {
        assert ctx.inEngineThread();
        writer.enqueue(m);
    }

    /** The loop's flush once a batch of posts is handled. */
    void flushIfDirty() {
        assert ctx.inEngineThread();
        writer.flushIfDirty(transport);
    }

    private void flush() {
        writer.flush(transport);
    }

    /** A write failed: the I/O reason, or CHANNEL_CLOSED once the bye was exchanged. */
    void writeFailed(IOException e) {
        teardown(failureReason(e, AmpeStatus.SEND_FAILED), false);
    }

    // ---- receiving (the rest is in ReadSide) ----

    /** A read failed: the I/O reason, or CHANNEL_CLOSED once the bye was exchanged. */
    void readFailed(IOException e) {
        end(failureReason(e, AmpeStatus.RECV_FAILED), false);
    }

    /** The peer ended its stream: graceful once the bye was exchanged, PEER_DISCONNECTED before. */
    void peerClosed() {
        end(byeExchanged() ? AmpeStatus.CHANNEL_CLOSED : AmpeStatus.PEER_DISCONNECTED, true);
    }

    /** Bytes arrived from the peer (the idle limit counts from here). */
    void received() {
        deadline.received();
    }

    /** Reading starts again after this side stopped it: the idle limit counts from now. */
    void readsResumed() {
        deadline.readsResumed();
    }

    /** The peer broke the protocol: the channel ends with INVALID_MESSAGE (silently while unannounced). */
    void protocolViolation(String detail) {
        Jfr.protocolViolation(ctx.engineId(), number(), detail);
        end(AmpeStatus.INVALID_MESSAGE, false);
    }

    /** True while the channel is open (connected, handshake done, not closed). */
    boolean isOpen() {
        return state == State.OPEN;
    }

    /** This channel's number, or 0 while it has none. */
    int number() {
        return slot == null ? 0 : slot.number;
    }

    /** The sending half (whether the peer reads, whether reading pauses for it). */
    WriteSide writer() {
        return writer;
    }

    /** Reports POOL_EMPTY for this channel's starvation to its group (announced, open channels only). */
    void poolEmpty() {
        if (announced && state == State.OPEN) {
            ctx.poolEmpty(group, slot.number);
        }
    }

    /** Ends a channel whose peer left a frame unfinished beyond the frame limit. */
    void frameTimedOut(String detail) {
        assert ctx.inEngineThread();
        Jfr.protocolViolation(ctx.engineId(), number(), detail);
        ctx.counters().frameTimedOut();
        if (announced) {
            teardown(AmpeStatus.COMMUNICATION_FAILED, false, detail);
        } else {
            abort();
        }
    }

    /** Handles one received frame; returns false if the channel ended. */
    boolean onFrame(Message m) {
        BinaryHeader h = M.header(m);
        OpCode op = h.opCode();
        if (!announced && !announce(m, op)) {
            ctx.recycle(m);
            abort();
            return false;
        }
        h.channelNumber(slot.number);
        if (op == OpCode.HELLO_RESPONSE && !accepted && !peerStamped) {
            peerStamped = true;
            stampPeer(m);
        }
        if (op == OpCode.BYE_REQUEST) {
            byeFrameReceived = true;
        } else if (op == OpCode.BYE_RESPONSE) {
            byeFrameReceived = true;
            ctx.deliver(group, m);
            teardown(AmpeStatus.CHANNEL_CLOSED, true);
            return false;
        }
        ctx.deliver(group, m);
        return true;
    }

    /** The first frame of an accepted connection: it must be a HelloRequest, and a number must be free. */
    private boolean announce(Message first, OpCode op) {
        if (op != OpCode.HELLO_REQUEST) {
            return false;
        }
        ChannelSlot s = ctx.numbers().allocate(group, ChannelSlot.Kind.IO);
        if (s == null) {
            return false;
        }
        attach(s);
        announced = true;
        reportId = M.header(first).messageId();
        stampPeer(first);
        deadline.opened();
        Jfr.handshakeDone(ctx.engineId(), s.number, address);
        return true;
    }

    /**
     * A time limit passed ({@link ChannelDeadline}): the channel ends with {@code reason}, and {@code words} say which
     * limit in the {@code ~reason} headers of what comes back.
     */
    void timedOut(AmpeStatus reason, String words) {
        assert ctx.inEngineThread();
        teardown(reason, false, words);
    }

    /** True while this side does not read (pool dry, or paused for a peer that does not read): our silence. */
    boolean readsPaused() {
        return reader.stopped();
    }

    /** The receiving half (for the loop's starvation list and frame clock). */
    ReadSide reader() {
        return reader;
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

    @Override
    void teardown(AmpeStatus reason, boolean graceful) {
        teardown(reason, graceful, null);
    }

    /**
     * Ends the channel with the contract's notifications; {@code detail}, if any, says why in words: each returned
     * message carries it as {@code ~reason}, and it follows the status name in the CHANNEL_CLOSED signal's.
     */
    private void teardown(AmpeStatus reason, boolean graceful, String detail) {
        assert ctx.inEngineThread();
        if (state == State.CLOSED) {
            return;
        }
        to(State.CLOSED);
        deadline.stop();
        writer.writeBlocked(false);
        closeSocket(graceful);
        reader.release();
        MessageList unsent = new MessageList();
        sendQueue.drainUnsent(unsent);
        Message m;
        while ((m = unsent.poll()) != null) {
            ctx.report(group, m, reason, detail);
        }
        finishTeardown(reason, detail);
    }

    @Override
    void abort() {
        assert ctx.inEngineThread();
        if (state == State.CLOSED) {
            return;
        }
        to(State.CLOSED);
        deadline.stop();
        writer.writeBlocked(false);
        closeSocket(false);
        reader.release();
        MessageList unsent = new MessageList();
        sendQueue.drainUnsent(unsent);
        for (Message m; (m = unsent.poll()) != null; ) {
            ctx.recycle(m);
        }
        releaseSilently();
    }


    private void closeSocket(boolean graceful) {
        if (key != null) {
            key.cancel();
        }
        if (transport != null) {
            transport.close(graceful);
        }
    }

    @Override
    tofu.ChannelStats stats() {
        if (slot == null) {
            return null;
        }
        return new tofu.ChannelStats(slot.number, accepted ? tofu.ChannelStats.Kind.ACCEPTED
                : tofu.ChannelStats.Kind.CLIENT, address, reader.messagesIn(), sendQueue.messagesOut(), reader.bytesIn(),
                sendQueue.bytesOut(), sendQueue.depth(), readState());
    }

    private tofu.ChannelStats.ReadState readState() {
        if (reader.starving()) {
            return tofu.ChannelStats.ReadState.STARVING;
        }
        return writer.pausedForPeer() ? tofu.ChannelStats.ReadState.PAUSED : tofu.ChannelStats.ReadState.READING;
    }

    /**
     * Gives a HelloRequest (server side) or HelloResponse (client side) the engine's {@code ~peer} header: who the
     * transport verified the peer to be. A {@code ~peer} the peer wrote itself is removed first, so the header is
     * always the engine's word; plain TCP gets none.
     */
    private void stampPeer(Message m) {
        try {
            M.setOnlyHeader(m, PEER_HEADER, transport.peer());
        } catch (AmpeException e) {
            // the peer filled its header block to the limit: no room left, and its own ~peer is gone
        }
    }

    /** Asks the selector for what the channel needs now: read unless stopped, write while blocked, connect, handshake. */
    void updateInterest() {
        if (key == null || !key.isValid()) {
            return;
        }
        int ops = 0;
        if (state == State.OPEN) {
            if (!reader.stopped()) {
                ops |= SelectionKey.OP_READ;
                if (transport.readPending()) {
                    ctx.pendingRead(this);
                }
            }
            if (writer.writeBlocked()) {
                ops |= SelectionKey.OP_WRITE;
            }
            ops |= transport.ownInterest();
        } else if (state == State.CONNECTING) {
            ops = SelectionKey.OP_CONNECT;
        } else if (state == State.HANDSHAKING) {
            ops = transport.ownInterest();
        }
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }
}
