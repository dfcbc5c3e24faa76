package tofu.internal;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import tofu.Message;

/**
 * Everything other threads hand the engine thread, and the one way they wake it: posted messages ({@link PostQueue},
 * a short monitor, no allocation in steady state), typed {@link Command}s, and the flag that the pool got messages
 * back while a channel starved. Owned by the {@link EventLoop}; {@link Engine} (the application-facing front end)
 * and the resolver only put things in.
 *
 * <p><b>Wake-ups.</b> Producers call {@link #wake()} after queueing work; it costs a {@link Waker} write only if the
 * loop announced it is about to sleep ({@link #sleepBegins()}), and only the producer that flips the flag pays it, so
 * wake-ups are coalesced. The loop announces sleep and then re-checks {@link #hasWork()} before selecting: work queued
 * after that re-check sees the flag set and wakes the selector, so nothing waits a full timeout.
 *
 * <p>Thread-safe: any thread puts in and wakes; the engine thread alone takes out (asserted).
 */
final class Inbox {
    final PostQueue posts = new PostQueue();
    private final ConcurrentLinkedQueue<Command> commands = new ConcurrentLinkedQueue<>();
    /** Set when a put ended a pool starvation episode; the loop then resumes starving channels. */
    private final AtomicBoolean poolRefilled = new AtomicBoolean();
    private final AtomicBoolean sleeping = new AtomicBoolean();
    /** How many times the loop began to sleep; written by the engine thread only. */
    private volatile int sleepRound;
    private final Selector selector;
    private final Waker waker;
    private final EngineThread thread;
    private volatile boolean closed;

    Inbox(Selector selector, EngineThread thread) throws IOException {
        this.selector = selector;
        this.thread = thread;
        this.waker = new Waker(selector);
    }

    // ---- any thread ----

    /**
     * Queues a posted message bound for {@code target} and wakes the loop; false once the engine stopped taking posts.
     */
    /**
     * Encodes the frame of {@code m} ({@code frame} bytes) into the post queue, gives {@code m} back to {@code pool}
     * ({@link PostQueue#pushEncoded}) and wakes the loop; false if closed ({@code m} untouched).
     */
    boolean postEncoded(Message m, PostTarget target, int frame, MessagePool pool) {
        if (!posts.pushEncoded(m, target, frame, pool)) {
            return false;
        }
        wake();
        return true;
    }

    boolean post(Message m, PostTarget target) {
        if (!posts.push(m, target)) {
            return false;
        }
        wake();
        return true;
    }

    /** Queues a command and wakes the loop. */
    void send(Command command) {
        commands.add(command);
        wake();
    }

    /** The pool got messages back while a channel starved: the loop resumes starving channels. */
    void poolRefilled() {
        poolRefilled.set(true);
        wake();
    }

    /** Wakes the loop if it sleeps or is about to. */
    void wake() {
        if (sleeping.get() && sleeping.compareAndSet(true, false)) {
            try {
                waker.wake();
            } catch (IOException e) {
                // The pipe only fails once the loop has ended and closed it; while running, fall back to the JDK's.
                if (!closed) {
                    selector.wakeup();
                }
            }
        }
    }

    /** True while the loop sleeps or is about to: a post would have to wake it. */
    boolean sleeping() {
        return sleeping.get();
    }

    /** Counts the loop's sleeps: a direct write is allowed once per channel per sleep ({@link DirectWriter}). */
    int sleepRound() {
        return sleepRound;
    }

    /** True if every posted message has been routed: none waits in the queue, none in a batch being routed. */
    boolean postsRouted() {
        return posts.isEmpty() && !posts.routing();
    }

    // ---- the engine thread ----

    /** The next command, or null. */
    Command nextCommand() {
        assert thread.isCurrent();
        return commands.poll();
    }

    /** Takes the pool-refilled flag (true once per refill). */
    boolean takePoolRefilled() {
        assert thread.isCurrent();
        return poolRefilled.getAndSet(false);
    }

    /** True when something waits for the loop. */
    boolean hasWork() {
        assert thread.isCurrent();
        return !posts.isEmpty() || !commands.isEmpty() || poolRefilled.get();
    }

    /** The loop is about to select: from now on a producer's wake-up writes to the pipe. */
    void sleepBegins() {
        assert thread.isCurrent();
        sleepRound = sleepRound + 1;
        sleeping.set(true);
    }

    /** The loop is awake again. */
    void awake() {
        assert thread.isCurrent();
        sleeping.set(false);
    }

    /** True if {@code key} is the wake-up pipe's. */
    boolean owns(SelectionKey key) {
        assert thread.isCurrent();
        return waker.owns(key);
    }

    /** Empties the wake-up pipe after the selector reported it. */
    void drainWakeUps() throws IOException {
        assert thread.isCurrent();
        waker.drain();
    }

    /** Closes the wake-up pipe; later wake-ups do nothing. */
    void close() {
        assert thread.isCurrent();
        closed = true;
        waker.close();
    }
}
