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
 * listener. Confined to the engine thread.
 *
 * <p><b>Sending.</b> Posted messages wait in the channel's {@link SendQueue}, which also applies the bye rules; the
 * channel flushes it once per batch of posts and again whenever a full socket becomes writable.
 *
 * <p><b>Receiving.</b> Bytes read into the loop's shared buffer are decoded at once into pool messages and delivered.
 * A frame that arrives in pieces is assembled in the decoder's own memory, so a peer that stalls mid-frame pins no
 * pool message; {@link FrameClock} ends a channel whose peer stalls mid-frame beyond {@code Options.frameTimeout}.
 * When the pool runs dry mid-read the rest is stashed, reading stops (the kernel buffers fill and TCP/UDS flow control
 * slows the peer) and the loop resumes the channel when a message is put back.
 *
 * <p><b>A peer that does not read</b> (an accepted connection whose socket refuses bytes while at least
 * {@code Limits.pauseDepth} messages wait to be written) gets no pool message until its socket takes bytes again:
 * what it sends would only be answered into a queue that cannot drain. Such a paused channel still reads what needs
 * no pool message (the rest of a frame, the next header), so a protocol violation or a close is still seen; a frame
 * it completes waits in the decoder and reading stops until the pause ends. Only accepted channels pause: a client of
 * this engine keeps reading, so two tofu peers can never both stop reading each other.
 *
 * <p><b>Accepted connections</b> are unannounced until their first frame, which must be a HelloRequest: only then do
 * they get a channel number and does the application hear of them; before that they end silently.
 */
final class IoChannel extends Channel {
    private static final MessageAccess M = MessageAccess.get();
    private static final int MAX_READS_PER_EVENT = 4;
    private static final ByteBuffer NO_BYTES = ByteBuffer.allocate(0);
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

    private final SendQueue sendQueue;
    private boolean byeFrameReceived;
    private boolean dirty;
    private boolean writeBlocked;

    private final FrameDecoder decoder = new FrameDecoder();
    private final FrameDecoder.Source source = this::takeForDecode;
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
    /** When an accepted connection that has not said hello, or a client mid-TLS-handshake, is dropped. */
    long handshakeDeadline;
    /** Listed in {@link PendingReads}; engine thread. */
    boolean readListed;
    /** A client's first HelloResponse got its {@code ~peer}; later ones are the peer's business. */
    private boolean peerStamped;

    /** Running average of received frame sizes, to size reads to what the pool can take. */
    private int averageFrame = 256;
    private long messagesIn;
    private long bytesIn;

    private IoChannel(EventLoop loop, GroupImpl group, boolean tcp, boolean accepted, TransportMaker maker) {
        super(loop, group);
        this.tcp = tcp;
        this.accepted = accepted;
        this.maker = maker;
        this.state = accepted ? State.HANDSHAKING : State.RESOLVING;
        this.sendQueue = new SendQueue(loop);
    }

    /** Moves to the next stage of the channel's life; an illegal move fails the tests (assertions are on there). */
    private void to(State next) {
        assert state.mayBecome(next) : "channel " + this + ": " + state + " -> " + next;
        state = next;
        if (next == State.CLOSED && accepted) {
            loop.admission.release();
        }
    }

    /** A client channel: its HelloRequest is the first queued frame; the socket comes with {@link #connect}. */
    static IoChannel client(EventLoop loop, ChannelSlot slot, Message hello, boolean tcp, String address,
            TransportMaker maker) {
        IoChannel ch = new IoChannel(loop, slot.group, tcp, false, maker);
        ch.address = address;
        ch.attach(slot);
        ch.announced = true;
        ch.reportId = M.header(hello).messageId();
        ch.sendQueue.add(hello);
        return ch;
    }

    /**
     * An accepted connection, unannounced until its HelloRequest arrives; the listener has admitted it
     * ({@link Admission}), and its channel gives the place back when it ends.
     */
    static void accepted(EventLoop loop, GroupImpl group, SocketChannel socket, boolean tcp, String listenerAddress,
            TransportMaker maker) throws IOException {
        IoChannel ch = new IoChannel(loop, group, tcp, true, maker);
        ch.address = listenerAddress;
        try {
            ch.transport = maker.make(socket);
            socket.configureBlocking(false);
            SocketTuning.dataSocket(socket, loop.engine.options, tcp);
            ch.key = socket.register(loop.selector, 0, ch);
        } catch (IOException | RuntimeException e) {
            if (ch.transport == null) {
                new PlainTransport(socket, tcp).close(false);
            }
            ch.abort();
            throw e instanceof IOException ? (IOException) e : new IOException(e);
        }
        loop.awaitHandshake(ch);
        Jfr.accepted(loop.engine.id(), listenerAddress);
        ch.progressHandshake();
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
        assert loop.inEngineThread();
        if (accepted) {
            loop.admission.handshakeTimedOut();
            Jfr.handshakeTimeout(loop.engine.id(), address);
            abort();
        } else {
            teardown(AmpeStatus.CONNECT_FAILED, false, "tls: the handshake did not finish within "
                    + limit.toMillis() + " ms (Options.handshakeTimeout)");
        }
    }

    /** Starts connecting to a resolved address. */
    void connect(SocketAddress address, ProtocolFamily family) {
        assert loop.inEngineThread();
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
            SocketTuning.dataSocket(socket, loop.engine.options, family != StandardProtocolFamily.UNIX);
            key = socket.register(loop.selector, 0, this);
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
            loop.awaitHandshake(this); // a TLS handshake under way: the handshake limit bounds it
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
            loop.admission.tlsHandshakeDone();
        }
        to(State.OPEN);
        if (!accepted) {
            Jfr.connected(loop.engine.id(), slot.number, address);
        }
        updateInterest();
        flush();
    }

    /** A client's failed transport handshake returns its posts with CONNECT_FAILED; an accepted one ends silently. */
    private void handshakeFailed(IOException e) {
        if (accepted) {
            loop.admission.tlsHandshakeFailed();
            Jfr.tlsHandshakeFailed(loop.engine.id(), address, e.getMessage());
            abort();
        } else {
            teardown(AmpeStatus.CONNECT_FAILED, false, e.getMessage());
        }
    }

    @Override
    void onReady(int readyOps) {
        assert loop.inEngineThread();
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
            writeBlocked(false);
            flush();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0 && state == State.OPEN) {
            read();
        }
    }

    /** Reads what the transport already holds (see {@link PendingReads}), unless reading has stopped meanwhile. */
    void readPending() {
        assert loop.inEngineThread();
        if (state == State.OPEN && !starving && !heldForPeer) {
            read();
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

    // ---- sending ----

    /** Queues a posted message (or holds it, after a bye). */
    void enqueue(Message m) {
        assert loop.inEngineThread();
        if (loop.limits.refusesQueueing(sendQueue.depth(), M.header(m).opCode())) {
            refuseQueueFull(m);
            return;
        }
        if (sendQueue.add(m) && state == State.OPEN && !writeBlocked && !dirty) {
            dirty = true;
            loop.markDirty(this);
        }
    }

    /** Returns a post beyond {@code Options.maxQueuedPerChannel}: SEND_FAILED, the channel stays open. */
    private void refuseQueueFull(Message m) {
        String why = "send queue full: " + sendQueue.depth() + " messages wait on channel "
                + (slot == null ? 0 : slot.number) + " (Options.maxQueuedPerChannel)";
        loop.deliveries.explain(m, why);
        loop.counters.queueRefused();
        loop.deliveries.report(group, m, AmpeStatus.SEND_FAILED);
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
            drained = sendQueue.writeTo(transport);
        } catch (IOException e) {
            teardown(failureReason(e, AmpeStatus.SEND_FAILED), false);
            return;
        }
        writeBlocked(!drained);
        if (heldForPeer && !pausedForPeer()) {
            endPause();
        } else {
            updateInterest();
        }
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
        readSome();
        if (state == State.OPEN) {
            updateInterest(); // lists the channel again when its transport still holds bytes
        }
    }

    private void readSome() {
        ByteBuffer in = loop.readBuffer;
        for (int i = 0; i < MAX_READS_PER_EVENT; i++) {
            in.clear();
            int limit = pausedForPeer() ? Math.max(1, decoder.bytesWithoutMessage())
                    : loop.poolExchange.readLimit(group, averageFrame, decoder.bytesWithoutMessage(),
                            accepted && writeBlocked);
            in.limit(limit);
            int n;
            try {
                n = transport.read(in);
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
            in.flip();
            boolean more = consume(in);
            if (decoder.awaitsBytes() && state == State.OPEN) {
                loop.frameClock.watch(this);
            }
            if (!more || n < limit) {
                return;
            }
        }
    }

    /** True while the peer leaves a frame unfinished and nothing on our side keeps us from reading the rest. */
    boolean stalledMidFrame() {
        return state == State.OPEN && !starving && !heldForPeer && decoder.awaitsBytes();
    }

    /** Frames received so far; the frame clock sees progress through it. */
    long messagesIn() {
        return messagesIn;
    }

    /** Ends a channel whose peer left a frame unfinished beyond the frame limit. */
    void frameTimedOut(String detail) {
        assert loop.inEngineThread();
        Jfr.protocolViolation(loop.engine.id(), slot == null ? 0 : slot.number, detail);
        loop.counters.frameTimedOut();
        if (announced) {
            teardown(AmpeStatus.COMMUNICATION_FAILED, false, detail);
        } else {
            abort();
        }
    }

    /**
     * True while this accepted channel's peer does not read: its socket refuses bytes and at least the pause depth of
     * messages wait behind it. Reading it again would only grow a queue that cannot drain.
     */
    private boolean pausedForPeer() {
        return accepted && writeBlocked && sendQueue.depth() >= loop.limits.pauseDepth;
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
                if (!src.hasRemaining() && !decoder.awaitsMessage()) {
                    return true;
                }
                if (pausedForPeer()) {
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
            loop.counters.received(frame);
            if (!onFrame(m)) {
                return false;
            }
        }
    }

    private Message takeForDecode() {
        if (pausedForPeer()) {
            return null; // its queue holds its share already
        }
        return loop.poolExchange.takeForDecode(group, accepted && writeBlocked);
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
        if (op == OpCode.HELLO_RESPONSE && !accepted && !peerStamped) {
            peerStamped = true;
            stampPeer(m);
        }
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
        stampPeer(first);
        Jfr.handshakeDone(loop.engine.id(), s.number, address);
        return true;
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

    /** Keeps what could not be handed on while paused; reading stops until the peer reads again. */
    private void holdForPeer(ByteBuffer src) {
        keep(src);
        heldForPeer = true;
        updateInterest();
    }

    /** Hands on what a pause held once the peer reads again (its socket drained). */
    private void endPause() {
        heldForPeer = false;
        if (consume(stash != null ? stash : NO_BYTES) && !starving && !heldForPeer) {
            stash = null;
        }
        updateInterest();
    }

    private void keep(ByteBuffer src) {
        if (src != stash) {
            stash = src.hasRemaining() ? ByteBuffer.allocate(src.remaining()).put(src).flip() : null;
        }
    }

    private void starve(ByteBuffer src) {
        keep(src);
        if (!starving) {
            Jfr.starvationBegin(loop.engine.id(), slot == null ? 0 : slot.number);
            starvingSince = System.nanoTime();
            starvationReported = false;
        }
        starving = true;
        updateInterest();
        if (!inStarvingList) {
            inStarvingList = true;
            loop.starvation.add(this);
        }
    }

    /** True while this channel waits for pool messages. */
    boolean starving() {
        return starving;
    }

    /** Reports POOL_EMPTY for a starvation that outlasted the grace period (the group's rate limit applies). */
    void reportPoolEmpty() {
        starvationReported = true;
        if (announced && state == State.OPEN) {
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

    @Override
    void teardown(AmpeStatus reason, boolean graceful) {
        teardown(reason, graceful, null);
    }

    /**
     * Ends the channel with the contract's notifications; {@code detail}, if any, says why in words: each returned
     * message carries it as {@code ~reason}, and it follows the status name in the CHANNEL_CLOSED signal's.
     */
    private void teardown(AmpeStatus reason, boolean graceful, String detail) {
        assert loop.inEngineThread();
        if (state == State.CLOSED) {
            return;
        }
        to(State.CLOSED);
        writeBlocked(false);
        closeSocket(graceful);
        recyclePartial();
        MessageList unsent = new MessageList();
        sendQueue.drainUnsent(unsent);
        Message m;
        while ((m = unsent.poll()) != null) {
            if (detail != null) {
                loop.deliveries.explain(m, detail);
            }
            loop.deliveries.report(group, m, reason);
        }
        finishTeardown(reason, detail);
    }

    @Override
    void abort() {
        assert loop.inEngineThread();
        if (state == State.CLOSED) {
            return;
        }
        to(State.CLOSED);
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
                : tofu.ChannelStats.Kind.CLIENT, address, messagesIn, sendQueue.messagesOut(), bytesIn,
                sendQueue.bytesOut(), sendQueue.depth(), readState());
    }

    private tofu.ChannelStats.ReadState readState() {
        if (starving) {
            return tofu.ChannelStats.ReadState.STARVING;
        }
        return pausedForPeer() ? tofu.ChannelStats.ReadState.PAUSED : tofu.ChannelStats.ReadState.READING;
    }

    private void updateInterest() {
        if (key == null || !key.isValid()) {
            return;
        }
        int ops = 0;
        if (state == State.OPEN) {
            if (!starving && !heldForPeer) {
                ops |= SelectionKey.OP_READ;
                if (transport.readPending()) {
                    loop.pendingReads.add(this);
                }
            }
            if (writeBlocked) {
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
