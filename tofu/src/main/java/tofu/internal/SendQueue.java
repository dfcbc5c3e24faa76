package tofu.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import tofu.Message;
import tofu.OpCode;

/**
 * The queue of a channel's sending half: the messages posted on it, in order, and the bye rules that decide which of
 * them may still go out ({@link ByeExchange}, which this queue holds: what it may queue depends on it).
 *
 * <p>A write packs as many queued frames as fit into the loop's shared direct buffer and writes them in one call.
 * Bytes the socket did not take are simply encoded again next time (the head remembers how much of it went out), so
 * an idle channel owns no buffer. A fully written message goes back to the pool. After a BYE_REQUEST only a
 * BYE_RESPONSE may still be queued, after a BYE_RESPONSE nothing: later posts are held and returned at teardown.
 *
 * <p>Confined to the engine thread; owns the messages it queues or holds until they are written or handed back.
 */
final class SendQueue {
    private static final MessageAccess M = MessageAccess.get();

    private final ChannelContext ctx;
    private final MessageList queued = new MessageList();
    /** Bytes of the head message already written. */
    private int headOffset;
    /** Posts that arrived after a bye; created on first use. */
    private MessageList held;
    private ByeExchange bye = ByeExchange.NONE;
    private long messagesOut;
    private long bytesOut;

    SendQueue(ChannelContext ctx) {
        this.ctx = ctx;
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
        if (op == OpCode.BYE_REQUEST || op == OpCode.BYE_RESPONSE) {
            bye = bye.queued(op);
        }
        return true;
    }

    /**
     * Writes queued frames until the queue is empty or the transport stops taking bytes.
     *
     * @return true if everything queued was written (and the transport holds nothing back), false if it is full
     * @throws IOException when the write fails; the queue is unchanged by the failed call
     */
    boolean writeTo(ByteTransport transport) throws IOException {
        assert ctx.inEngineThread();
        if (!transport.flush()) {
            return false;
        }
        ByteBuffer out = ctx.writeBuffer();
        while (!queued.isEmpty()) {
            out.clear();
            int offset = headOffset;
            for (Message m = queued.peek(); m != null && out.hasRemaining(); m = M.next(m)) {
                ctx.encoder().encode(m, offset, out);
                offset = 0;
            }
            out.flip();
            consumeWritten(transport.write(out));
            if (out.hasRemaining()) {
                return false;
            }
        }
        return transport.flush();
    }

    private void consumeWritten(int written) {
        while (written > 0) {
            Message m = queued.peek();
            int frame = FrameEncoder.frameLength(m);
            int left = frame - headOffset;
            if (written < left) {
                headOffset += written;
                return;
            }
            written -= left;
            queued.poll();
            headOffset = 0;
            messagesOut++;
            bytesOut += frame;
            ctx.counters().written(frame);
            if (M.header(m).opCode() == OpCode.BYE_RESPONSE) {
                bye = bye.responseWritten();
            }
            ctx.recycleWritten(m);
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

    /** Moves every message not written, queued first and then held, to {@code into}, in order. */
    void drainUnsent(MessageList into) {
        into.addAll(queued);
        headOffset = 0;
        if (held != null) {
            into.addAll(held);
        }
    }

    /** Messages waiting: queued and held. */
    int depth() {
        return queued.size() + (held == null ? 0 : held.size());
    }

    long messagesOut() {
        return messagesOut;
    }

    long bytesOut() {
        return bytesOut;
    }

    /**
     * Puts a frame a posting thread could not finish ({@link DirectWriter}) at the head: {@code written} of its bytes
     * went out already. Nothing else can have been written on the channel since, so it goes first.
     */
    void resumeHead(Message m, int written) {
        assert ctx.inEngineThread();
        assert queued.isEmpty() || headOffset == 0 : "a partial frame is already at the head";
        queued.push(m);
        headOffset = written;
    }
}
