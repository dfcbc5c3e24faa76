package tofu.hostile;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import tofu.support.Peers;

/**
 * Slowloris driver: on its own thread, every tick, writes the next single byte of {@code frame} to each of its peers,
 * so a whole frame takes {@code frame.length} ticks. A peer the server dropped is simply skipped. The ticks are pacing
 * (the attack's rate), not synchronisation: tests wait on {@link #bytesSentEach()}.
 */
final class Trickler implements AutoCloseable {
    private final List<HostilePeer> peers;
    private final byte[] frame;
    private final long tickNanos;
    private final Thread thread;
    private volatile boolean stop;
    private volatile int sent;
    private volatile Throwable failure;

    private Trickler(List<HostilePeer> peers, byte[] frame, long tickNanos) {
        this.peers = List.copyOf(peers);
        this.frame = frame.clone();
        this.tickNanos = tickNanos;
        this.thread = new Thread(this::run, "slowloris");
        thread.setDaemon(true);
    }

    /** Starts trickling {@code frame} to every peer, one byte per peer each {@code tickMillis}. */
    static Trickler start(List<HostilePeer> peers, byte[] frame, long tickMillis) {
        Trickler t = new Trickler(peers, frame, TimeUnit.MILLISECONDS.toNanos(tickMillis));
        t.thread.start();
        return t;
    }

    private void run() {
        try {
            long next = System.nanoTime();
            while (!stop && sent < frame.length) {
                byte[] one = {frame[sent]};
                for (HostilePeer p : peers) {
                    p.trySend(one);
                }
                sent++;
                next += tickNanos;
                LockSupport.parkNanos(next - System.nanoTime());
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** Bytes of the frame written to each peer so far. */
    int bytesSentEach() {
        return sent;
    }

    /** Stops trickling and waits for the thread (bounded); rethrows a failure of the thread. */
    @Override
    public void close() {
        stop = true;
        try {
            thread.join(TimeUnit.NANOSECONDS.toMillis(Peers.WAIT_NANOS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new AssertionError("slowloris thread did not stop within the bound");
        }
        if (failure != null) {
            throw new AssertionError("slowloris thread failed", failure);
        }
    }
}
