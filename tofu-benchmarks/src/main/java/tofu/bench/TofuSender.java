package tofu.bench;

import java.util.function.LongSupplier;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;

/**
 * A tofu application's sending loop, round-robin over its channels (one message, or a burst, per channel in turn), in
 * one of two paces:
 * <ul>
 *   <li>{@link #windowed}: the way a user sizing the pool to a send window writes it — take a message with
 *       {@code get(ALWAYS)}, fill it, post it, and keep at most {@code window} messages in flight, that is posted and
 *       not yet counted by the receiving application. When the window is full the sender backs off ({@link Idler}:
 *       yields, then 20 µs parks) until the receiver has caught up. With pool = window on both engines a written
 *       message should be back in the pool before the sender needs it, so {@code get(ALWAYS)} allocates nothing in
 *       the steady state — unless the engine gives written messages back late.</li>
 *   <li>{@link #poolLimited}: take messages with {@code get(POOL_ONLY)} and back off while the pool is empty, so the
 *       pool itself is the window; for a sender in another process than its receiver (the scale workload).</li>
 * </ul>
 * {@code post(msg)} allocates the header snapshot it returns; {@code post(msg, into)} reuses one. The harness uses
 * the former where it mirrors the independent harness of issue 14 and the latter where it measures allocation.
 *
 * <p>Runs on one thread; {@link #stop()} and the counters may be read from any thread.
 */
final class TofuSender implements Threads.ThrowingRunnable {
    private final Ampe ampe;
    private final ChannelGroup group;
    private final int[] channels;
    private final byte[] body;
    private final int window;
    private final LongSupplier received;
    private final boolean reuseHeader;
    private final int burst;
    private final Idler idler = new Idler();
    private final Counter stalls = new Counter();
    private final Counter stalledNanos = new Counter();
    private final Counter parks = new Counter();
    private volatile boolean stop;

    private TofuSender(Ampe ampe, ChannelGroup group, int[] channels, int bodySize, int window, LongSupplier received,
                       boolean reuseHeader, int burst) {
        this.ampe = ampe;
        this.group = group;
        this.channels = channels.clone();
        this.body = Wire.payload(bodySize);
        this.window = window;
        this.received = received;
        this.reuseHeader = reuseHeader;
        this.burst = burst;
    }

    /**
     * A sender keeping at most {@code window} messages in flight, {@code received} being the receiver's count;
     * {@code reuseHeader} chooses {@code post(msg, into)} over {@code post(msg)}; {@code burst} messages go to a
     * channel before the next one gets its turn (1: strict round-robin, the hardest case for batching per channel).
     */
    static TofuSender windowed(Ampe ampe, ChannelGroup group, int[] channels, int bodySize, int window,
                               LongSupplier received, boolean reuseHeader, int burst) {
        if (window <= 0 || burst <= 0) {
            throw new IllegalArgumentException("window and burst must be positive, were " + window + ", " + burst);
        }
        return new TofuSender(ampe, group, channels, bodySize, window, received, reuseHeader, burst);
    }

    /** A sender whose window is the pool: {@code get(POOL_ONLY)}, backing off while the pool is empty. */
    static TofuSender poolLimited(Ampe ampe, ChannelGroup group, int[] channels, int bodySize) {
        return new TofuSender(ampe, group, channels, bodySize, 0, null, true, 1);
    }

    @Override
    public void run() {
        BinaryHeader into = new BinaryHeader();
        long posted = 0;
        boolean waiting = false;
        long stalledSince = 0;
        int next = 0;
        int inBurst = 0;
        try {
            while (!stop) {
                Message m;
                if (window > 0) {
                    if (posted - received.getAsLong() >= window) {
                        if (!waiting) {
                            waiting = true;
                            stalledSince = System.nanoTime();
                        }
                        idler.idle();
                        continue;
                    }
                    m = ampe.get(AllocationStrategy.ALWAYS);
                } else {
                    m = ampe.get(AllocationStrategy.POOL_ONLY);
                    if (m == null) {
                        if (!waiting) {
                            waiting = true;
                            stalledSince = System.nanoTime();
                        }
                        idler.idle();
                        continue;
                    }
                }
                if (waiting) {
                    waiting = false;
                    stalls.add(1);
                    stalledNanos.add(System.nanoTime() - stalledSince);
                    parks.add(idler.parks() - parks.get());
                    idler.reset();
                }
                m.bhdr().opCode(OpCode.SIGNAL).channelNumber(channels[next]);
                m.body().append(body, 0, body.length);
                if (reuseHeader) {
                    group.post(m, into);
                } else {
                    group.post(m);
                }
                posted++;
                if (++inBurst == burst) {
                    inBurst = 0;
                    if (++next == channels.length) {
                        next = 0;
                    }
                }
            }
        } catch (AmpeException e) {
            if (e.status() != AmpeStatus.SHUTDOWN_STARTED) {
                throw e;
            }
        }
    }

    /** Times the sender found its window (or pool) full and had to wait; any thread. */
    long stalls() {
        return stalls.get();
    }

    /** Nanoseconds spent in those waits; any thread. */
    long stalledNanos() {
        return stalledNanos.get();
    }

    /** Parks (rather than yields) during those waits; any thread. */
    long parks() {
        return parks.get();
    }

    /** Asks the loop to end after the current message. */
    void stop() {
        stop = true;
    }
}
