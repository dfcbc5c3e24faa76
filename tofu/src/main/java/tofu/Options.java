package tofu;

import java.time.Duration;
import java.util.Objects;

/**
 * Engine options: the message pool and the operational switches for sockets.
 *
 * <p>The two-argument form {@code new Options(initial, max)} and {@link #DEFAULT} cover the pool; the {@code with…}
 * methods return copies with one switch changed:
 *
 * <pre>{@code
 * Options options = new Options(64, 1024)
 *         .withKeepAlive(Duration.ofSeconds(30), Duration.ofSeconds(5), 3)   // half-open peers end in ~45 s
 *         .withHandshakeTimeout(Duration.ofSeconds(10))
 *         .withSocketBuffers(1 << 20, 1 << 20);
 * }</pre>
 *
 * <p>The compact constructor normalises the pool: 0 initial means 16, 0 max means 64, then a max below the initial
 * count becomes the initial count, so {@code new Options(0, 0).equals(Options.DEFAULT)}. Immutable and thread-safe.
 *
 * @param initialPoolMsgs   messages pre-allocated in the pool when the engine starts, 0..65535 (0 = default 16)
 * @param maxPoolMsgs       most idle messages the pool keeps, 0..65535 (0 = default 64); messages put beyond it are
 *                          left to the garbage collector
 * @param handshakeTimeout  how long an accepted connection may take to send its HelloRequest before it is dropped
 *                          (silently: the application never knew it); {@link Duration#ZERO} disables the limit.
 *                          Default 60 s
 * @param keepAliveIdle     TCP keep-alive: idle time before the first probe; {@link Duration#ZERO} leaves keep-alive
 *                          off (default). With it on, a vanished peer host ends the channel with PEER_DISCONNECTED
 * @param keepAliveInterval TCP keep-alive: time between probes (used when keep-alive is on)
 * @param keepAliveCount    TCP keep-alive: unanswered probes before the connection is declared dead
 * @param sendBufferSize    SO_SNDBUF for data sockets in bytes; 0 leaves the operating system's default for TCP and
 *                          asks 4 MiB for Unix-domain sockets (capped by the kernel's {@code net.core.wmem_max}),
 *                          whose default is too small for streams of small messages
 * @param receiveBufferSize SO_RCVBUF for data sockets (and listeners, so accepted sockets inherit it); 0 = default
 * @since 0.1.0
 */
public record Options(int initialPoolMsgs, int maxPoolMsgs, Duration handshakeTimeout, Duration keepAliveIdle,
                      Duration keepAliveInterval, int keepAliveCount, int sendBufferSize, int receiveBufferSize) {
    /** Default initial pool size. */
    public static final int DEFAULT_INITIAL_POOL_MSGS = 16;
    /** Default maximum pool size. */
    public static final int DEFAULT_MAX_POOL_MSGS = 64;
    /** Default limit for an accepted connection to send its HelloRequest. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);
    /** The default options: pool {@code (16, 64)}, 60 s handshake limit, keep-alive off, OS socket buffers. */
    public static final Options DEFAULT = new Options(DEFAULT_INITIAL_POOL_MSGS, DEFAULT_MAX_POOL_MSGS);

    /**
     * Normalises the pool sizes and checks every switch.
     *
     * @param initialPoolMsgs   initial pool size, 0..65535 (0 = default)
     * @param maxPoolMsgs       pool size limit, 0..65535 (0 = default)
     * @param handshakeTimeout  limit for an accepted connection to say hello; zero disables it
     * @param keepAliveIdle     TCP keep-alive idle time; zero leaves keep-alive off
     * @param keepAliveInterval TCP keep-alive time between probes
     * @param keepAliveCount    TCP keep-alive unanswered probes before the connection is dead
     * @param sendBufferSize    SO_SNDBUF in bytes; 0 keeps the default
     * @param receiveBufferSize SO_RCVBUF in bytes; 0 keeps the default
     * @throws IllegalArgumentException if a pool size is negative or above 65535, a duration is negative, keep-alive
     *                                  is on with a non-positive interval or count, or a buffer size is negative
     * @throws NullPointerException     if a duration is null
     */
    public Options {
        check("initialPoolMsgs", initialPoolMsgs);
        check("maxPoolMsgs", maxPoolMsgs);
        if (initialPoolMsgs == 0) {
            initialPoolMsgs = DEFAULT_INITIAL_POOL_MSGS;
        }
        if (maxPoolMsgs == 0) {
            maxPoolMsgs = DEFAULT_MAX_POOL_MSGS;
        }
        if (maxPoolMsgs < initialPoolMsgs) {
            maxPoolMsgs = initialPoolMsgs;
        }
        checkNotNegative("handshakeTimeout", handshakeTimeout);
        checkNotNegative("keepAliveIdle", keepAliveIdle);
        checkNotNegative("keepAliveInterval", keepAliveInterval);
        if (!keepAliveIdle.isZero() && (keepAliveInterval.isZero() || keepAliveCount <= 0)) {
            throw new IllegalArgumentException("keep-alive needs a positive interval and count, had "
                    + keepAliveInterval + " and " + keepAliveCount);
        }
        if (keepAliveCount < 0 || sendBufferSize < 0 || receiveBufferSize < 0) {
            throw new IllegalArgumentException("keepAliveCount and buffer sizes must be >= 0, were " + keepAliveCount
                    + ", " + sendBufferSize + ", " + receiveBufferSize);
        }
    }

    /**
     * Options with the given pool sizes and every other switch at its default.
     *
     * @param initialPoolMsgs messages put in the pool at start
     * @param maxPoolMsgs the most messages the pool keeps
     * @throws IllegalArgumentException if a size is negative or above 65535
     */
    public Options(int initialPoolMsgs, int maxPoolMsgs) {
        this(initialPoolMsgs, maxPoolMsgs, DEFAULT_HANDSHAKE_TIMEOUT, Duration.ZERO, Duration.ZERO, 0, 0, 0);
    }

    /**
     * Returns a copy with other pool sizes (normalised as by the constructor).
     *
     * @param initialPoolMsgs messages put in the pool at start
     * @param maxPoolMsgs the most messages the pool keeps
     * @return the copy
     */
    public Options withPool(int initialPoolMsgs, int maxPoolMsgs) {
        return new Options(initialPoolMsgs, maxPoolMsgs, handshakeTimeout, keepAliveIdle, keepAliveInterval,
                keepAliveCount, sendBufferSize, receiveBufferSize);
    }

    /**
     * Returns a copy with another handshake limit; {@link Duration#ZERO} disables it.
     *
     * @param timeout the handshake limit
     * @return the copy
     */
    public Options withHandshakeTimeout(Duration timeout) {
        return new Options(initialPoolMsgs, maxPoolMsgs, timeout, keepAliveIdle, keepAliveInterval, keepAliveCount,
                sendBufferSize, receiveBufferSize);
    }

    /**
     * Returns a copy with TCP keep-alive on: first probe after {@code idle}, then every {@code interval}, dead after
     * {@code count} unanswered probes (second resolution).
     *
     * @param idle the idle time before the first probe
     * @param interval the time between probes
     * @param count the unanswered probes before the connection is dead
     * @return the copy
     */
    public Options withKeepAlive(Duration idle, Duration interval, int count) {
        if (idle.isZero()) {
            throw new IllegalArgumentException("keep-alive idle time must be positive; use withoutKeepAlive()");
        }
        return new Options(initialPoolMsgs, maxPoolMsgs, handshakeTimeout, idle, interval, count, sendBufferSize,
                receiveBufferSize);
    }

    /**
     * Returns a copy with TCP keep-alive off.
     *
     * @return the copy
     */
    public Options withoutKeepAlive() {
        return new Options(initialPoolMsgs, maxPoolMsgs, handshakeTimeout, Duration.ZERO, Duration.ZERO, 0,
                sendBufferSize, receiveBufferSize);
    }

    /**
     * Returns a copy with the given socket buffer sizes in bytes; 0 keeps the operating system's default (for the send
     * buffer of a Unix-domain socket, 0 means 4 MiB, see {@link #sendBufferSize()}'s record component).
     *
     * @param sendBufferSize the send buffer size in bytes
     * @param receiveBufferSize the receive buffer size in bytes
     * @return the copy
     */
    public Options withSocketBuffers(int sendBufferSize, int receiveBufferSize) {
        return new Options(initialPoolMsgs, maxPoolMsgs, handshakeTimeout, keepAliveIdle, keepAliveInterval,
                keepAliveCount, sendBufferSize, receiveBufferSize);
    }

    /**
     * Returns true when TCP keep-alive is on.
     *
     * @return true when keep-alive is on
     */
    public boolean keepAlive() {
        return !keepAliveIdle.isZero();
    }

    private static void check(String name, int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(name + " must be 0..65535, was " + value);
        }
    }

    private static void checkNotNegative(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + d);
        }
    }
}
