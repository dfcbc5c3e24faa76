package tofu.internal;

import java.util.concurrent.atomic.AtomicReference;
import tofu.Message;

/**
 * Multi-producer, single-consumer hand-off of posted messages from application threads to the engine thread.
 *
 * <p>Producers push onto a lock-free stack (one CAS, no allocation: messages link through their intrusive field);
 * the engine takes the whole stack with one swap and reverses it, which restores posting order and hands the posts over in
 * batches. {@link #close()} swaps in a sentinel so that a push racing with shutdown fails visibly instead of leaving a
 * message stranded. Producers: any thread; consumer: the engine thread only.
 */
final class PostQueue {
    private static final MessageAccess M = MessageAccess.get();
    private static final Message CLOSED = Message.create();

    private final AtomicReference<Message> head = new AtomicReference<>();
    /**
     * True while the engine routes what it drained: those posts are in neither the queue nor a channel yet. Set before
     * the first {@link #drainTo} of a round and cleared after its batch is routed, so {@code isEmpty() && !routing()}
     * means every post pushed so far has reached its channel (what a direct write checks, see DirectWriter).
     */
    private volatile boolean routing;

    /**
     * Pushes a message.
     *
     * @return false if the queue is closed (the message was not taken)
     */
    boolean push(Message m) {
        while (true) {
            Message h = head.get();
            if (h == CLOSED) {
                return false;
            }
            M.next(m, h);
            if (head.compareAndSet(h, m)) {
                return true;
            }
        }
    }

    boolean isEmpty() {
        Message h = head.get();
        return h == null || h == CLOSED;
    }

    /** The engine begins ({@code true}) or ended ({@code false}) routing drained posts. Engine thread only. */
    void routing(boolean on) {
        routing = on;
    }

    boolean routing() {
        return routing;
    }

    /** Moves everything pushed so far, in push order, to {@code into}. Engine thread only. */
    void drainTo(MessageRing into) {
        Message h = head.get();
        if (h == null || h == CLOSED) {
            return;
        }
        into.addNewestFirst(head.getAndSet(null));
    }

    /**
     * Closes the queue and moves what was still pushed, in push order, to {@code into} (through a ring, the one way
     * this class orders a pushed chain). Engine thread only; once, at teardown.
     */
    void close(MessageList into) {
        Message h = head.getAndSet(CLOSED);
        if (h != CLOSED) {
            MessageRing rest = new MessageRing();
            rest.addNewestFirst(h);
            rest.moveTo(into);
        }
    }
}
