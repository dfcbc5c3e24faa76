package tofu.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes the engine thread out of {@code select} through a pipe registered with its selector.
 *
 * <p><b>Why not {@code Selector.wakeup()}.</b> The JDK's wake-up writes its event descriptor while holding a lock
 * that the selecting thread takes again to clear it. When the woken engine thread preempts the posting thread inside
 * that lock (on one CPU it always does), the engine blocks on the lock, and every hand-off costs two extra context
 * switches and a futex round trip: measured with {@code strace -f}, about eight futex calls per round trip instead of
 * four. Here the poster and the engine never share a lock: posters write one byte under a lock only posters take,
 * and the engine drains the pipe when the selector reports it readable.
 *
 * <p>The sink is non-blocking, so an interrupted poster cannot close it (a non-blocking NIO write installs no
 * interrupt hook). A full pipe means the engine has a wake-up pending already; that write is simply dropped.
 *
 * <p>Threads: {@link #wake()} from any thread; {@link #drain()} and {@link #close()} on the engine thread.
 */
final class Waker implements AutoCloseable {
    private final Pipe pipe;
    private final SelectionKey key;
    /** One byte written per wake-up; guarded by {@link #signalLock}, which the engine never takes. */
    private final ByteBuffer signal = ByteBuffer.allocateDirect(1);
    /**
     * Serialises posters on {@link #signal}. A lock, not a monitor: a poster on a virtual thread that finds it taken
     * parks instead of pinning its carrier (JDK 21 to 23). Rarely contended: only the poster that ends the engine's
     * sleep writes, so two writes overlap only if the engine woke and slept again meanwhile.
     */
    private final ReentrantLock signalLock = new ReentrantLock();
    private final ByteBuffer drained = ByteBuffer.allocateDirect(64);

    Waker(Selector selector) throws IOException {
        this.pipe = Pipe.open();
        try {
            pipe.sink().configureBlocking(false);
            pipe.source().configureBlocking(false);
            this.key = pipe.source().register(selector, SelectionKey.OP_READ, this);
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    /** Makes the selector's current or next {@code select} return. Any thread. */
    void wake() throws IOException {
        signalLock.lock();
        try {
            signal.clear();
            pipe.sink().write(signal);
        } finally {
            signalLock.unlock();
        }
    }

    /** True if {@code readyKey} is this waker's. */
    boolean owns(SelectionKey readyKey) {
        return readyKey == key;
    }

    /** Empties the pipe so the next {@code select} can sleep again. Engine thread. */
    void drain() throws IOException {
        int n;
        do {
            drained.clear();
            n = pipe.source().read(drained);
        } while (n == drained.capacity());
    }

    /** Closes both ends of the pipe. Engine thread. */
    @Override
    public void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            pipe.sink().close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
        try {
            pipe.source().close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
    }
}
