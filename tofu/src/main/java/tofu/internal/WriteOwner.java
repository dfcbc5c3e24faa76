package tofu.internal;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import tofu.Message;

/**
 * Who may write a channel's socket right now: the engine thread, or — while the channel is idle — one posting thread
 * that writes its frame itself ({@link DirectWriter}), so that a lone post on an idle channel costs one system call
 * instead of a hand-off to the engine and back. One atomic state per channel:
 *
 * <pre>
 *   ENGINE --offerIdle (engine: drained, open, no bye, plain socket)--> IDLE
 *   IDLE   --acquire (a poster)--> POSTER --release--> IDLE
 *   IDLE   --claim (engine routes a post, a bye arrives)--> ENGINE
 *   POSTER --claim (engine)--> WANTED --release--> ENGINE (the poster tells the engine: {@link Command.Resume})
 *   POSTER, WANTED --handOver (partial write, failure)--> HANDED --resume (engine)--> ENGINE
 *   any but POSTER, WANTED --close (engine; waits while a poster writes)--> CLOSED
 * </pre>
 *
 * <p>The engine writes only in ENGINE. Only the engine makes a channel IDLE, so a poster never writes a channel with
 * bytes queued, a partial frame pending, a full socket or a bye under way; only a poster leaves POSTER, so the engine
 * never writes in the middle of a poster's frame. A frame a poster could not finish (or whose write failed) is handed
 * to the engine, which writes its rest before anything else (or ends the channel with it first among the returned
 * messages).
 *
 * <p>The figures of direct writes live here (one writer at a time: the poster that owns the channel; read by the
 * engine for stats). The hand-over fields are written by the poster before the state becomes HANDED and read by the
 * engine after it saw HANDED: the state's volatile write and read order them.
 *
 * <p>Thread-safe as described: the engine thread and any posting thread.
 */
final class WriteOwner {
    static final int ENGINE = 0;
    static final int IDLE = 1;
    static final int POSTER = 2;
    static final int WANTED = 3;
    static final int HANDED = 4;
    static final int CLOSED = 5;

    /** What the engine does when a poster gives the channel back with work for it. Engine thread. */
    interface Resumer {
        void resume();
    }

    private final AtomicInteger state = new AtomicInteger(ENGINE);
    /** Engine thread only: the engine made the channel IDLE and has not claimed it since. */
    private boolean offered;
    private final Resumer resumer;
    /** The socket a poster writes; set by the engine before the first {@link #offerIdle}, which publishes it. */
    private ByteTransport transport;
    private volatile long directMessages;
    private volatile long directBytes;
    private Message handedMessage;
    private int handedWritten;
    private IOException handedFailure;

    WriteOwner(Resumer resumer) {
        this.resumer = resumer;
    }

    // ---- the engine thread ----

    /** The transport posters may write; only a transport that takes writes from any thread. */
    void transport(ByteTransport t) {
        this.transport = t;
    }

    /** The channel is idle and clean: posters may write it. No-op unless the engine owns it. */
    void offerIdle() {
        if (transport != null && state.compareAndSet(ENGINE, IDLE)) {
            offered = true;
        }
    }

    /**
     * The engine wants the channel (it queues a post, or a bye changes the rules): IDLE becomes ENGINE, a poster
     * that writes is asked to hand the channel back when done. Costs nothing on a channel the engine did not offer
     * since its last claim (a busy stream): only an offer leads back to IDLE.
     */
    void claim() {
        if (!offered) {
            return;
        }
        offered = false;
        while (true) {
            int s = state.get();
            if (s == IDLE) {
                if (state.compareAndSet(IDLE, ENGINE)) {
                    return;
                }
            } else if (s == POSTER) {
                if (state.compareAndSet(POSTER, WANTED)) {
                    return;
                }
            } else {
                return; // handed over or closed: the engine hears of it through Resume or already ended it
            }
        }
    }

    /** True if the engine may write the socket now. */
    boolean engineOwns() {
        return state.get() == ENGINE;
    }

    /**
     * Takes the channel back from a poster that handed it over: returns the frame it could not finish (its
     * {@link #handedWritten()} bytes went out, {@link #handedFailure()} says whether the write failed), or null if
     * the poster finished its frame. Afterwards the engine owns the channel.
     */
    Message resume() {
        if (state.get() != HANDED) {
            return null;
        }
        Message m = handedMessage;
        handedMessage = null;
        state.set(ENGINE);
        return m;
    }

    int handedWritten() {
        return handedWritten;
    }

    IOException handedFailure() {
        return handedFailure;
    }

    /**
     * The channel ends: waits out a poster in the middle of its write (a non-blocking system call) and makes every
     * later acquire fail.
     *
     * @return the frame a poster handed over and the engine did not resume yet, or null
     */
    Message close() {
        int spins = 0;
        while (true) {
            int s = state.get();
            if (s == POSTER || s == WANTED) {
                if (++spins < 100) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            } else if (s == HANDED) {
                Message m = handedMessage;
                handedMessage = null;
                state.set(CLOSED);
                return m;
            } else if (state.compareAndSet(s, CLOSED)) {
                return null;
            }
        }
    }

    /** Messages and bytes posters wrote directly. */
    long directMessages() {
        return directMessages;
    }

    long directBytes() {
        return directBytes;
    }

    /** The engine tells posters what to resume: called by the loop for {@link Command.Resume}. */
    void resumeOnEngine() {
        resumer.resume();
    }

    // ---- a posting thread ----

    /** Takes the channel if it is idle. */
    boolean acquire() {
        return state.get() == IDLE && state.compareAndSet(IDLE, POSTER);
    }

    /** True while the acquiring poster still owns the channel and the engine has not asked for it. */
    boolean heldUnwanted() {
        return state.get() == POSTER;
    }

    ByteTransport transportForPoster() {
        return transport;
    }

    /** The owning poster wrote a whole frame of {@code bytes}. */
    void wrote(int bytes) {
        directMessages = directMessages + 1;
        directBytes = directBytes + bytes;
    }

    /**
     * Gives the channel back after a whole write.
     *
     * @return true if it is idle again; false if the engine asked for it meanwhile: it is the engine's now and the
     *         caller must send {@link Command.Resume} so the engine writes what it queued
     */
    boolean release() {
        if (state.compareAndSet(POSTER, IDLE)) {
            return true;
        }
        state.set(ENGINE); // WANTED: only the owning poster leaves it
        return false;
    }

    /**
     * Gives the channel to the engine with a frame not finished: {@code written} bytes of {@code m} went out, and
     * {@code failure}, if not null, is why the rest could not. The caller must send {@link Command.Resume}.
     */
    void handOver(Message m, int written, IOException failure) {
        handedMessage = m;
        handedWritten = written;
        handedFailure = failure;
        state.set(HANDED);
    }

    int state() {
        return state.get();
    }
}
