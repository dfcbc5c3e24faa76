package tofu.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import tofu.Message;
import tofu.OpCode;

/**
 * The queue of a channel's sending half: the messages posted on it, in order, and the bye rules that decide which of
 * them may still go out ({@link ByeExchange}, which this queue holds: what it may queue depends on it).
 *
 * <p>A write packs as many whole queued frames as fit into the loop's shared direct buffer and writes them in one
 * call. A message is <em>written</em> once its whole frame is in that buffer: the buffer holds its bytes, so it is
 * counted out and goes back to the pool then, in one batch, <em>before</em> the write call — that call may wake the
 * peer's reader, and through it the receiver and a sender that waits for those very messages, before this thread
 * runs again. On a transport that gathers, a large direct body is not copied but sent from its message
 * ({@link GatheredWrite}); such a batch's messages go back once the write call returned. Bytes the transport did not
 * take are kept as this channel's tail ({@link TailBuffers}): the channel is write-blocked until its socket is
 * writable again, and its next write sends the tail first. An idle channel owns no
 * buffer. If the connection fails before a tail is out, its frames are lost with it, like bytes in the socket's own
 * buffer; only messages still queued come back. Our BYE_RESPONSE changes the bye state only once its last byte was
 * taken by the transport (the channel may close right after it).
 *
 * <p>A small data frame its posting thread encoded ({@link PostQueue}) waits here as bytes ({@link QueuedFrames},
 * which also keeps the order of messages and encoded frames); it is copied into the write buffer like an encoded
 * message, its loan from the pool ends with the written messages, and if it must come back unsent it is rebuilt into
 * a message first.
 *
 * <p>After a BYE_REQUEST only a BYE_RESPONSE may still be queued, after a BYE_RESPONSE nothing: later posts are held
 * and returned at teardown.
 *
 * <p>Confined to the engine thread; owns the messages it queues or holds until they are written or handed back, and
 * its tail buffer while it has one.
 */
final class SendQueue {
    private static final MessageAccess M = MessageAccess.get();

    private final ChannelContext ctx;
    /** The queued messages, in order; where they stand among encoded frames is {@link #order}'s. */
    private final MessageRing queued = new MessageRing();
    private final QueuedFrames order;
    /** Encoded bytes the transport did not take at the last write, ready to read; null while there are none. */
    private ByteBuffer tail;
    /** Our BYE_RESPONSE is encoded but the transport has not taken all of its bytes yet. */
    private boolean byeResponseOutstanding;
    /** Posts that arrived after a bye; created on first use. */
    private MessageList held;
    private ByeExchange bye = ByeExchange.NONE;
    private long messagesOut;
    private long bytesOut;

    SendQueue(ChannelContext ctx) {
        this.ctx = ctx;
        this.order = new QueuedFrames(ctx.frameChunks());
    }

    /**
     * Queues a posted message, or holds it when a bye already went ahead of it.
     *
     * @return true if queued (a flush will send it), false if held
     */
    boolean add(Message m) {
        OpCode op = M.header(m).opCode();
        if (!bye.mayQueue(op)) {
            if (held == null) {
                held = new MessageList();
            }
            held.add(m);
            return false;
        }
        queued.add(m);
        order.addMessage();
        if (op == OpCode.BYE_REQUEST || op == OpCode.BYE_RESPONSE) {
            bye = bye.queued(op);
        }
        return true;
    }

    /**
     * Queues a data frame its posting thread encoded ({@code length} bytes of {@code src} from {@code offset}, opcode
     * {@code op}), or, when a bye already went ahead of it, rebuilds it into a message and holds that.
     *
     * @return true if queued (a flush will send it), false if held
     */
    boolean addEncoded(OpCode op, byte[] src, int offset, int length, boolean lent) {
        if (!bye.mayQueue(op)) {
            if (held == null) {
                held = new MessageList();
            }
            held.add(ctx.rebuild(src, offset, length, lent));
            return false;
        }
        order.addEncoded(src, offset, length, lent); // a data frame: the bye state stays as it is
        return true;
    }

    /**
     * Writes the tail, then queued frames, until the queue is empty or the transport stops taking bytes.
     *
     * @return true if everything queued was written (and the transport holds nothing back), false if it is full
     * @throws IOException when the write fails; the frames already written (in the tail or encoded by this call) are
     *         lost with the connection, the messages still queued stay queued
     */
    boolean writeTo(ByteTransport transport) throws IOException {
        assert ctx.inEngineThread();
        if (!transport.flush()) {
            return false;
        }
        ByteBuffer out = ctx.writeBuffer();
        if (tail != null) {
            // Alone first: if the socket fails now, nothing more is lost than what it already refused.
            out.clear();
            out.put(tail);
            dropTail();
            out.flip();
            if (!writeOut(transport, out)) {
                return false;
            }
        }
        GatheredWrite gather = transport.gathers() ? ctx.gatheredWrite() : null;
        while (!order.isEmpty()) {
            out.clear();
            if (gather != null) {
                gather.begin();
            }
            encodeWhole(out, gather);
            if (gather != null && gather.hasBodies()) {
                if (!writeGathered(transport, gather)) {
                    return false;
                }
                continue;
            }
            ctx.returnWritten();
            out.flip();
            if (!writeOut(transport, out)) {
                return false;
            }
        }
        return transport.flush();
    }

    /**
     * Moves the queued frames that fit whole into this write: copied into {@code out}, or, a large direct body, added
     * to {@code gather} to be sent from where it is (null: copy everything). From here each one is written (counted
     * out, and its message queued for the pool). The batch holds at most as many bytes as {@code out}.
     */
    private void encodeWhole(ByteBuffer out, GatheredWrite gather) {
        int room = out.remaining();
        if (nextFrameLength() > room) {
            // Cannot happen: the largest frame (two 64 KiB blocks and a header) is smaller than the write buffer.
            throw new IllegalStateException("a frame of " + nextFrameLength() + " bytes does not fit the " + room
                    + "-byte write buffer");
        }
        do {
            int frame = order.peek() == QueuedFrames.MESSAGE ? encodeMessage(out, gather) : copyEncoded(out);
            room -= frame;
            messagesOut++;
            bytesOut += frame;
            ctx.counters().written(frame);
        } while (!order.isEmpty() && nextFrameLength() <= room);
    }

    /** Length of the oldest queued frame. Not empty. */
    private int nextFrameLength() {
        int entry = order.peek();
        return entry == QueuedFrames.MESSAGE ? FrameEncoder.frameLength(queued.peek()) : Math.abs(entry);
    }

    /** Writes the oldest queued message into this batch (see {@link #encodeWhole}); returns its frame length. */
    private int encodeMessage(ByteBuffer out, GatheredWrite gather) {
        order.pollMessage();
        Message m = queued.poll();
        ByteBuffer body = gather == null ? null : gather.bodyToGather(m);
        int frame;
        if (body != null) {
            frame = ctx.encoder().encodeHead(m, out) + body.remaining();
            gather.addBody(body);
        } else {
            frame = ctx.encoder().encode(m, 0, out);
        }
        if (M.header(m).opCode() == OpCode.BYE_RESPONSE) {
            byeResponseOutstanding = true;
        }
        ctx.recycleWritten(m);
        return frame;
    }

    /** Copies the oldest queued encoded frame into {@code out}; its loan ends with the batch. Returns its length. */
    private int copyEncoded(ByteBuffer out) {
        int entry = order.peek();
        order.pollEncodedInto(out);
        if (entry > 0) {
            ctx.lentWritten();
        }
        return Math.abs(entry);
    }

    /**
     * Writes a batch that sends bodies from their messages; its messages go back to the pool only after the write,
     * once what the transport did not take is copied into the tail.
     *
     * @return true if the transport took every byte
     */
    private boolean writeGathered(ByteTransport transport, GatheredWrite gather) throws IOException {
        try {
            long left = gather.writeTo(transport);
            if (left > 0) {
                tail = ctx.takeTail((int) left);
                gather.copyRestTo(tail);
                tail.flip();
                return false;
            }
        } finally {
            gather.end();
            ctx.returnWritten();
        }
        afterWholeWrite();
        return true;
    }

    /**
     * Hands {@code out} to the transport and keeps what it did not take as the tail.
     *
     * @return true if the transport took every byte
     */
    private boolean writeOut(ByteTransport transport, ByteBuffer out) throws IOException {
        transport.write(out);
        if (out.hasRemaining()) {
            tail = ctx.takeTail(out.remaining());
            tail.put(out).flip();
            return false;
        }
        afterWholeWrite();
        return true;
    }

    /** The transport took every byte of a write: a BYE_RESPONSE among them is out. */
    private void afterWholeWrite() {
        if (byeResponseOutstanding) {
            // Nothing is queued after a BYE_RESPONSE: every byte taken means its last byte too.
            byeResponseOutstanding = false;
            bye = bye.responseWritten();
        }
    }

    private void dropTail() {
        if (tail != null) {
            ctx.giveBackTail(tail);
            tail = null;
        }
    }

    /** Where the channel is in the bye exchange. */
    ByeExchange bye() {
        return bye;
    }

    /** A bye frame arrived from the peer: a close is graceful from now on. */
    void peerBye() {
        bye = bye.peerBye();
    }

    /**
     * Moves every message not written, queued first and then held, to {@code into}, in order; the tail, whose messages
     * count as written, is dropped.
     */
    void drainUnsent(MessageList into) {
        while (!order.isEmpty()) {
            if (order.peek() == QueuedFrames.MESSAGE) {
                order.pollMessage();
                into.add(queued.poll());
            } else {
                into.add(order.pollEncoded(ctx::rebuild));
            }
        }
        order.clear();
        dropTail();
        if (held != null) {
            into.addAll(held);
        }
    }

    /** Messages waiting: queued and held (not the frames of the tail: those are written already). */
    int depth() {
        return order.size() + (held == null ? 0 : held.size());
    }

    long messagesOut() {
        return messagesOut;
    }

    long bytesOut() {
        return bytesOut;
    }

    /**
     * Takes over a frame a posting thread could not finish ({@link DirectWriter}): {@code written} of its bytes went
     * out, the rest becomes the tail, sent before anything queued (nothing else was written on the channel since).
     * From here the message counts as written, like any frame in the tail, and goes back to the pool.
     */
    void resumeTail(Message m, int written) {
        assert ctx.inEngineThread();
        assert tail == null : "a channel a poster wrote had no tail";
        ByteBuffer out = ctx.writeBuffer();
        out.clear();
        int frame = ctx.encoder().encode(m, 0, out);
        out.flip().position(written);
        tail = ctx.takeTail(out.remaining());
        tail.put(out).flip();
        messagesOut++;
        bytesOut += frame;
        ctx.counters().written(frame);
        ctx.recycleWritten(m);
        ctx.returnWritten();
    }

    /** Puts back, first of all, a message whose direct write failed: it is the first one returned at teardown. */
    void returnFirst(Message m) {
        assert ctx.inEngineThread();
        queued.addFirst(m);
        order.addMessageFirst();
    }
}
