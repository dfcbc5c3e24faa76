package tofu.internal;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.ChannelStats;
import tofu.Message;
import tofu.OpCode;

/**
 * A connected (or connecting) stream: a client channel opened by a HelloRequest, or a connection accepted by a
 * listener. It decides what happens to the channel; its parts do the work: {@link Connection} (socket, transport,
 * handshake and its limit, the channel's life), {@link WriteSide} (with {@link SendQueue} and its
 * {@link ByeExchange}), {@link ReadSide} (decoding, starvation, the pause for a peer that does not read),
 * {@link ChannelDeadline} (connect and idle limits), {@link Introduction} (the hello: number, {@code ~peer}). The
 * parts never name this class: each calls back through its own small {@code Owner} interface. Confined to the engine
 * thread.
 *
 * <p><b>Accepted connections</b> are unannounced until their first frame, which must be a HelloRequest: only then do
 * they get a channel number (a slot) and does the application hear of them; before that they end silently. Whether a
 * channel is announced is whether it has a slot, so no flag repeats it; {@code accepted} is fixed at birth.
 *
 * <p><b>Ending</b> is {@link ChannelEnd}'s: {@link #teardown} returns every unsent message, then one CHANNEL_CLOSED
 * signal; {@link #abort()} recycles them silently; either happens once.
 */
final class IoChannel extends Channel implements ReadSide.Owner, WriteSide.Owner, Connection.Owner,
        ChannelDeadline.Owner, ChannelEnd.Owner {
    private static final MessageAccess M = MessageAccess.get();

    private final boolean accepted;
    private final Connection connection;
    private final WriteSide writer;
    private final SendQueue sendQueue;
    private final ReadSide reader;
    /** The connect limit while a client connects, the idle limit once the channel is open. */
    private final ChannelDeadline deadline;
    private final Introduction introduction;
    private final ChannelEnd ending;

    private IoChannel(ChannelContext ctx, GroupImpl group, boolean accepted, TransportMaker maker) {
        super(ctx, group);
        this.accepted = accepted;
        this.connection = new Connection(ctx, this, accepted, maker);
        this.writer = new WriteSide(this, ctx, group, connection, accepted);
        this.sendQueue = writer.queue;
        this.deadline = new ChannelDeadline(ctx.deadlines(), this, ctx.options());
        this.reader = new ReadSide(this, ctx, group, connection, writer, deadline);
        this.introduction = new Introduction(ctx, group, accepted);
        this.ending = new ChannelEnd(this, ctx, group, connection, deadline, writer, reader);
    }

    /** A client channel: its HelloRequest is the first queued frame; the socket comes with {@link #connect}. */
    static IoChannel client(ChannelContext ctx, ChannelSlot slot, Message hello, String address, TransportMaker maker) {
        IoChannel ch = new IoChannel(ctx, slot.group, false, maker);
        ch.address = address;
        ch.attach(slot);
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
        IoChannel ch = new IoChannel(ctx, group, true, maker);
        ch.address = listenerAddress;
        try {
            ch.connection.accept(socket, tcp, ch);
        } catch (IOException | RuntimeException e) {
            ch.abort();
            throw e instanceof IOException ? (IOException) e : new IOException(e);
        }
        ctx.awaitHello(ch.connection);
        Jfr.accepted(ctx.engineId(), listenerAddress);
        ch.connection.handshake();
    }

    /**
     * A channel over a transport the caller made, already connected: no selector, no socket. With a {@code hello} it
     * is a client channel that sends it first; without, an accepted connection awaiting its HelloRequest. For tests
     * that drive a channel by hand (the {@code EmbeddedContext} of the test sources).
     */
    static IoChannel embedded(ChannelContext ctx, GroupImpl group, ByteTransport transport, ChannelSlot slot,
            Message hello) {
        TransportMaker given = socket -> transport;
        IoChannel ch = hello == null ? new IoChannel(ctx, group, true, given) : client(ctx, slot, hello, "", given);
        if (hello == null) {
            ctx.admission().admit(); // as a listener does before it makes an accepted channel
        }
        ch.connection.embed(transport);
        return ch;
    }

    /** Starts connecting to a resolved address. */
    void connect(SocketAddress address, ProtocolFamily family) {
        connection.connect(address, family, this);
    }

    /** Fails a channel whose address could not be used (unknown host, missing UDS path, ...). */
    void connectFailed(AmpeStatus status) {
        assert ctx.inEngineThread();
        teardown(status, false);
    }

    @Override
    public void openFailed(String detail) {
        assert ctx.inEngineThread();
        ending.teardown(AmpeStatus.CONNECT_FAILED, false, detail);
    }

    @Override
    public void dropped() {
        assert ctx.inEngineThread();
        abort();
    }

    @Override
    public void opened() {
        assert ctx.inEngineThread();
        if (!accepted) {
            deadline.opened();
            Jfr.connected(ctx.engineId(), slot.number, address);
        }
        updateInterest();
        writer.opened();
    }

    @Override
    public void onReady(int readyOps) {
        assert ctx.inEngineThread();
        if (!connection.ready(readyOps)) {
            return;
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0) {
            writer.writeBlocked(false);
            writer.flush();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0) {
            reader.readable();
        }
    }

    /** Queues a posted frame its thread encoded: {@code length} bytes of {@code log} from {@code offset}. */
    void enqueueEncoded(byte[] log, int offset, int length, boolean lent) {
        assert ctx.inEngineThread();
        assert connection.life() != Connection.Life.CLOSED : "post routed to the ended " + this;
        writer.enqueueEncoded(log, offset, length, lent);
    }

    /** Queues a posted message (or holds it, after a bye). */
    void enqueue(Message m) {
        assert ctx.inEngineThread();
        // The loop routes posts only to live channels (an ended one has left its slot): a closed channel would keep
        // the message for ever.
        assert connection.life() != Connection.Life.CLOSED : "post routed to the ended " + this;
        writer.enqueue(m);
    }

    /** A write failed: the I/O reason, or CHANNEL_CLOSED once the bye was exchanged. */
    @Override
    public void writeFailed(IOException e) {
        assert ctx.inEngineThread();
        teardown(sendQueue.bye().failureReason(IoErrors.classify(e, AmpeStatus.SEND_FAILED)), false);
    }

    @Override
    public void written() {
        assert ctx.inEngineThread();
        updateInterest();
        reader.endPauseIfOver();
    }

    /** A read failed: the I/O reason, or CHANNEL_CLOSED once the bye was exchanged. */
    @Override
    public void readFailed(IOException e) {
        assert ctx.inEngineThread();
        ending.end(sendQueue.bye().failureReason(IoErrors.classify(e, AmpeStatus.RECV_FAILED)), false, null);
    }

    /** The peer ended its stream: graceful once the bye was exchanged, PEER_DISCONNECTED before. */
    @Override
    public void peerClosed() {
        assert ctx.inEngineThread();
        ending.end(sendQueue.bye().peerClosedReason(), true, null);
    }

    /** The peer broke the protocol: the channel ends with INVALID_MESSAGE (silently while unannounced). */
    @Override
    public void protocolViolation(String detail) {
        assert ctx.inEngineThread();
        Jfr.protocolViolation(ctx.engineId(), number(), detail);
        ending.end(AmpeStatus.INVALID_MESSAGE, false, null);
    }

    @Override
    public void poolEmpty() {
        assert ctx.inEngineThread();
        if (announced() && connection.isOpen()) {
            ctx.poolEmpty(group, slot.number);
        }
    }

    /** Ends a channel whose peer left a frame unfinished beyond the frame limit. */
    @Override
    public void frameTimedOut(String detail) {
        assert ctx.inEngineThread();
        Jfr.protocolViolation(ctx.engineId(), number(), detail);
        ctx.counters().frameTimedOut();
        ending.end(AmpeStatus.COMMUNICATION_FAILED, false, detail);
    }

    /** Handles one received frame; returns false if the channel ended. */
    @Override
    public boolean onFrame(Message m) {
        BinaryHeader h = M.header(m);
        OpCode op = h.opCode();
        if (!announced() && !announce(m, op)) {
            ctx.recycle(m);
            abort();
            return false;
        }
        h.channelNumber(slot.number);
        if (op == OpCode.HELLO_RESPONSE) {
            introduction.helloResponse(m, connection.transport());
        }
        if (op == OpCode.BYE_REQUEST) {
            writer.peerBye();
        } else if (op == OpCode.BYE_RESPONSE) {
            writer.peerBye();
            ctx.deliver(group, m);
            teardown(AmpeStatus.CHANNEL_CLOSED, true);
            return false;
        }
        ctx.deliver(group, m);
        return true;
    }

    /** The first frame of an accepted connection: it must be a HelloRequest, and a number must be free. */
    private boolean announce(Message first, OpCode op) {
        ChannelSlot s = introduction.number(op);
        if (s == null) {
            return false;
        }
        attach(s);
        reportId = M.header(first).messageId();
        Introduction.stampPeer(first, connection.transport());
        deadline.opened();
        Jfr.handshakeDone(ctx.engineId(), s.number, address);
        return true;
    }

    /** A time limit passed ({@link ChannelDeadline}): the channel ends with {@code reason}, {@code words} say which. */
    @Override
    public void timedOut(AmpeStatus reason, String words) {
        assert ctx.inEngineThread();
        ending.teardown(reason, false, words);
    }

    @Override
    public boolean readsPaused() {
        assert ctx.inEngineThread();
        return reader.stopped();
    }

    /** Binds this channel to its number, through which posting threads find its {@link WriteOwner}. */
    @Override
    void attach(ChannelSlot s) {
        super.attach(s);
        s.writeOwner = writer.owner;
    }

    // ---- ending (ChannelEnd) ----

    @Override
    void teardown(AmpeStatus reason, boolean graceful) {
        ending.teardown(reason, graceful, null);
    }

    @Override
    void abort() {
        ending.abort();
    }

    @Override
    ChannelStats stats() {
        assert ctx.inEngineThread();
        if (slot == null) {
            return null;
        }
        return new ChannelStats(slot.number, accepted ? ChannelStats.Kind.ACCEPTED : ChannelStats.Kind.CLIENT, address,
                reader.messagesIn(), sendQueue.messagesOut() + writer.owner.directMessages(), reader.bytesIn(),
                sendQueue.bytesOut() + writer.owner.directBytes(),
                sendQueue.depth(), reader.readState());
    }

    /** Asks the selector for what the channel needs (read, write, connect, handshake); lists bytes held back. */
    @Override
    public void updateInterest() {
        if (connection.interest(!reader.stopped(), writer.writeBlocked())) {
            ctx.pendingRead(reader);
        }
    }
}
