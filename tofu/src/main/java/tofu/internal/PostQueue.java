package tofu.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import tofu.Message;

/**
 * Multi-producer, single-consumer hand-off of posted messages from application threads to the engine thread.
 *
 * <p>Producers append each message and the {@link PostTarget} its {@code post} resolved to parallel arrays under
 * this queue's monitor (a few stores, no allocation once the arrays have grown to the largest backlog seen); the
 * engine takes everything with one swap of arrays ({@link #drainTo}), in posting order, and gives back the empty
 * arrays of its previous batch. Nothing is written into the messages themselves: see {@link PostBatch} for why that
 * matters. The monitor is held for a few stores only and nothing inside it blocks, so a virtual thread that posts
 * pins its carrier for no longer than that.
 *
 * <p><b>Encoded posts.</b> A small data frame is encoded by its posting thread straight into this queue's byte log
 * ({@link #pushEncoded}), and its message goes back to the pool at once ({@link MessagePool#putLent}): the message
 * stays in the cache of the thread that filled it and will fill the next one, and the engine moves bytes that lie
 * one after another instead of reading objects another core wrote. Such a post's slot holds no message, and its
 * frame length is positive if the pool lent a message to it (the loan ends when the frame is written), negative if
 * not (the pool was closed and dropped the message).
 *
 * <p>{@link #close} refuses every later push, so a push racing with shutdown fails visibly instead of leaving a message
 * stranded. Producers: any thread; consumer: the engine thread only.
 */
final class PostQueue {
    /** Slots of each array at first; they double when a backlog needs it. */
    static final int INITIAL_CAPACITY = 256;

    /** Bytes of the log at first; it doubles when a backlog needs it. */
    static final int INITIAL_LOG_BYTES = INITIAL_CAPACITY * 128;

    private Message[] messages = new Message[INITIAL_CAPACITY];
    private PostTarget[] targets = new PostTarget[INITIAL_CAPACITY];
    /** Per post: 0 for a message, else the length of its encoded frame (negative: no message lent to it). */
    private int[] frames = new int[INITIAL_CAPACITY];
    /** The encoded frames, in posting order. */
    private byte[] log = new byte[INITIAL_LOG_BYTES];
    /** A view of {@link #log} the encoder writes through (no buffer allocated per post). */
    private ByteBuffer logView = ByteBuffer.wrap(log);
    private int logSize;
    private final FrameEncoder encoder = new FrameEncoder();
    /**
     * Posts waiting; written under the monitor, read without it, so that the engine's "anything to do?" and a direct
     * write's "all routed?" take no lock. 0 once closed.
     */
    private volatile int size;
    private boolean closed;
    /**
     * True while the engine routes what it drained: those posts are in neither the queue nor a channel yet. Set before
     * the first {@link #drainTo} of a round and cleared after its batch is routed, so {@code isEmpty() && !routing()}
     * means every post pushed so far has reached its channel (what a direct write checks, see DirectWriter).
     */
    private volatile boolean routing;

    /**
     * Appends a message bound for {@code target}.
     *
     * @return false if the queue is closed (the message was not taken)
     */
    synchronized boolean push(Message m, PostTarget target) {
        if (closed) {
            return false;
        }
        int n = size;
        if (n == messages.length) {
            grow();
        }
        messages[n] = m;
        targets[n] = target;
        frames[n] = 0;
        size = n + 1;
        return true;
    }

    /**
     * Appends the frame of {@code m} (whose whole length is {@code frame} bytes), encoded here, bound for {@code
     * target}, and gives {@code m} back to {@code pool} (see the class comment). The caller owns {@code m} and gives it
     * up unless this returns false.
     *
     * @return false if the queue is closed ({@code m} was not touched)
     */
    synchronized boolean pushEncoded(Message m, PostTarget target, int frame, MessagePool pool) {
        if (closed) {
            return false;
        }
        int n = size;
        if (n == messages.length) {
            grow();
        }
        if (log.length - logSize < frame) {
            growLog(frame);
        }
        logView.limit(logSize + frame).position(logSize);
        encoder.encode(m, 0, logView);
        logSize += frame;
        // Under this monitor: the engine cannot write the frame, and end its loan, before the loan exists.
        boolean lent = pool.putLent(m);
        messages[n] = null;
        targets[n] = target;
        frames[n] = lent ? frame : -frame;
        size = n + 1;
        return true;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The engine begins ({@code true}) or ended ({@code false}) routing drained posts. Engine thread only. */
    void routing(boolean on) {
        routing = on;
    }

    boolean routing() {
        return routing;
    }

    /**
     * Moves everything pushed so far, in push order, into {@code into}, which must be empty: the two exchange arrays.
     * Engine thread only.
     */
    void drainTo(PostBatch into) {
        if (size == 0) {
            return;
        }
        Message[] emptyMessages = into.messages();
        PostTarget[] emptyTargets = into.targets();
        int[] usedFrames = into.frames();
        byte[] usedLog = into.log();
        ByteBuffer usedLogView = into.logView();
        synchronized (this) {
            into.adopt(messages, targets, frames, log, logView, size);
            messages = emptyMessages;
            targets = emptyTargets;
            // The batch's arrays come back in its size; frame lengths are rewritten by every push, so no clearing.
            frames = usedFrames.length == messages.length ? usedFrames : new int[messages.length];
            log = usedLog;
            logView = usedLogView;
            logSize = 0;
            size = 0;
        }
    }

    /**
     * Closes the queue and moves the messages still pushed, in push order, to {@code into}. Engine thread only.
     *
     * @return how many encoded posts still pushed had a message lent to them (their loans are the caller's to end)
     */
    int close(MessageList into) {
        Message[] left;
        int[] leftFrames;
        int n;
        synchronized (this) {
            closed = true;
            left = messages;
            leftFrames = frames;
            n = size;
            size = 0;
            messages = new Message[0];
            targets = new PostTarget[0];
            frames = new int[0];
        }
        int lent = 0;
        for (int i = 0; i < n; i++) {
            if (leftFrames[i] == 0) {
                into.add(left[i]);
            } else if (leftFrames[i] > 0) {
                lent++;
            }
        }
        return lent;
    }

    /** Doubles both arrays. Under the monitor. */
    private void grow() {
        int capacity = messages.length * 2;
        messages = Arrays.copyOf(messages, capacity);
        targets = Arrays.copyOf(targets, capacity);
        frames = Arrays.copyOf(frames, capacity);
    }

    /** Grows the log to hold {@code frame} more bytes. Under the monitor. */
    private void growLog(int frame) {
        log = Arrays.copyOf(log, Math.max(log.length * 2, logSize + frame));
        logView = ByteBuffer.wrap(log);
    }
}
