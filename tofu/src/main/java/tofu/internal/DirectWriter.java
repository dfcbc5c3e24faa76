package tofu.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import tofu.Message;
import tofu.OpCode;

/**
 * The direct write: a thread that posts on an idle channel while the engine sleeps writes the frame to the socket
 * itself, instead of queueing it and waking the engine (a pipe write, the engine's {@code epoll_wait}, the pipe read,
 * and then the same socket write on another thread). For a request-response exchange that is two of the six thread
 * hand-offs of a round trip.
 *
 * <p>When it applies — otherwise the post takes the queue as usual, and nothing changes:
 * <ul>
 *   <li>the engine sleeps (a busy engine batches posts into one write per round; writing each post directly would
 *       cost a system call per message), and no post had a direct write yet in this sleep of the engine: one per
 *       sleep, whatever the channel, so a stream of posts — on one channel or spread over many — costs at most one
 *       direct write per engine wake-up, and the engine batches the rest as before;</li>
 *   <li>the channel is idle ({@link WriteOwner}): open, nothing queued, not blocked, no bye under way, plain socket
 *       (TCP or UDS; never TLS, whose engine belongs to the engine thread);</li>
 *   <li>every earlier post has been routed ({@link Inbox#postsRouted()}): a post of the same thread still on its way
 *       to this channel must not be overtaken (FIFO per channel);</li>
 *   <li>an application message (not a bye) whose frame fits an encoding buffer ({@value #BUFFER_SIZE} bytes), and
 *       one of the engine's {@value #BUFFERS} encoding buffers is free.</li>
 * </ul>
 *
 * <p>After a whole write the message goes back to the pool at once and the channel is idle again. A partial write
 * or a failure hands the frame to the engine ({@link WriteOwner#handOver}), which writes the rest before anything
 * else, or ends the channel with this message first among the returned ones.
 *
 * <p>Thread-safe: any posting thread; one per engine.
 */
final class DirectWriter {
    static final int BUFFER_SIZE = 16 * 1024;
    static final int BUFFERS = 4;
    private static final MessageAccess M = MessageAccess.get();

    /** A buffer and the encoder that fills it; used by one poster at a time. */
    private static final class Encoding {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
        final FrameEncoder encoder = new FrameEncoder();
    }

    private final Inbox inbox;
    private final Recycler recycler;
    private final EngineCounters counters;
    private final AtomicReferenceArray<Encoding> free = new AtomicReferenceArray<>(BUFFERS);
    /** The engine sleep ({@link Inbox#sleepRound()}) that had its one direct write. */
    private final AtomicInteger directRound = new AtomicInteger(-1);

    DirectWriter(Inbox inbox, Recycler recycler, EngineCounters counters) {
        this.inbox = inbox;
        this.recycler = recycler;
        this.counters = counters;
        for (int i = 0; i < BUFFERS; i++) {
            free.set(i, new Encoding());
        }
    }

    /**
     * Writes {@code m} straight to its channel's socket if the rules above allow it; the message is then the
     * engine's (in the pool, or handed over). Called by {@code post} after its checks, with {@code m} marked posted.
     *
     * @return true if the message was taken; false if the caller must queue it as usual
     */
    boolean tryWrite(WriteOwner owner, Message m) {
        if (owner == null || !inbox.sleeping()) {
            return false;
        }
        OpCode op = M.header(m).opCode();
        if (op == OpCode.BYE_REQUEST || op == OpCode.BYE_RESPONSE || op == OpCode.BYE_SIGNAL) {
            return false;
        }
        int frame = FrameEncoder.frameLength(m);
        if (frame > BUFFER_SIZE) {
            return false;
        }
        int round = inbox.sleepRound();
        int last = directRound.get();
        if (last == round || !owner.acquire()) {
            return false;
        }
        // The allowance of this sleep is taken last, by the post that will write.
        if (!inbox.postsRouted() || !owner.heldUnwanted() || !directRound.compareAndSet(last, round)) {
            giveBack(owner);
            return false;
        }
        Encoding enc = takeEncoding();
        if (enc == null) {
            giveBack(owner);
            return false;
        }
        try {
            return write(owner, m, frame, enc);
        } finally {
            putEncoding(enc);
        }
    }

    /** Frames posting threads wrote themselves on this engine's channels so far. */
    long written() {
        return counters.directMessages();
    }

    /**
     * Encodes and writes {@code m} on the channel this thread owns; whatever happens, the channel leaves POSTER (a
     * teardown waits for that).
     *
     * @return true if the message was taken (written, or handed to the engine), false if nothing was written and the
     *         caller must queue it
     */
    private boolean write(WriteOwner owner, Message m, int frame, Encoding enc) {
        ByteBuffer out = enc.buffer;
        out.clear();
        try {
            enc.encoder.encode(m, 0, out);
        } catch (RuntimeException e) {
            // A bug must not strand the channel: nothing was written, the queue (and its error handling) takes it.
            giveBack(owner);
            return false;
        }
        out.flip();
        int written;
        try {
            written = owner.transportForPoster().write(out);
        } catch (IOException | RuntimeException e) {
            owner.handOver(m, 0, e instanceof IOException ? (IOException) e : new IOException(e));
            inbox.send(new Command.Resume(owner));
            return true;
        }
        if (written < frame) {
            owner.handOver(m, written, null);
            inbox.send(new Command.Resume(owner));
            return true;
        }
        owner.wrote(frame);
        counters.writtenDirectly(frame);
        // Back to the pool before the channel is idle again: a teardown that waits out this poster finds it there.
        recycler.recycle(m);
        giveBack(owner);
        return true;
    }

    /** Gives the channel back; if the engine asked for it meanwhile, tells the engine to write what it queued. */
    private void giveBack(WriteOwner owner) {
        if (!owner.release()) {
            inbox.send(new Command.Resume(owner));
        }
    }

    private Encoding takeEncoding() {
        for (int i = 0; i < BUFFERS; i++) {
            Encoding e = free.get(i);
            if (e != null && free.compareAndSet(i, e, null)) {
                return e;
            }
        }
        return null;
    }

    private void putEncoding(Encoding e) {
        for (int i = 0; ; i = (i + 1) % BUFFERS) {
            if (free.get(i) == null && free.compareAndSet(i, null, e)) {
                return;
            }
        }
    }
}
