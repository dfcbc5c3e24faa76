package tofu.internal;

import java.util.Arrays;
import tofu.Message;

/**
 * Multi-producer, single-consumer hand-off of posted messages from application threads to the engine thread.
 *
 * <p>Producers append each message and the {@link PostTarget} its {@code post} resolved to two parallel arrays under
 * this queue's monitor (a few stores, no allocation once the arrays have grown to the largest backlog seen); the
 * engine takes everything with one swap of arrays ({@link #drainTo}), in posting order, and gives back the empty
 * arrays of its previous batch. Nothing is written into the messages themselves: see {@link PostBatch} for why that
 * matters. The monitor is held for a few stores only and nothing inside it blocks, so a virtual thread that posts
 * pins its carrier for no longer than that.
 *
 * <p>{@link #close} refuses every later push, so a push racing with shutdown fails visibly instead of leaving a message
 * stranded. Producers: any thread; consumer: the engine thread only.
 */
final class PostQueue {
    /** Slots of each array at first; they double when a backlog needs it. */
    static final int INITIAL_CAPACITY = 256;

    private Message[] messages = new Message[INITIAL_CAPACITY];
    private PostTarget[] targets = new PostTarget[INITIAL_CAPACITY];
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
        synchronized (this) {
            into.adopt(messages, targets, size);
            messages = emptyMessages;
            targets = emptyTargets;
            size = 0;
        }
    }

    /** Closes the queue and moves what was still pushed, in push order, to {@code into}. Engine thread only. */
    void close(MessageList into) {
        Message[] left;
        int n;
        synchronized (this) {
            closed = true;
            left = messages;
            n = size;
            size = 0;
            messages = new Message[0];
            targets = new PostTarget[0];
        }
        for (int i = 0; i < n; i++) {
            into.add(left[i]);
        }
    }

    /** Doubles both arrays. Under the monitor. */
    private void grow() {
        int capacity = messages.length * 2;
        messages = Arrays.copyOf(messages, capacity);
        targets = Arrays.copyOf(targets, capacity);
    }
}
