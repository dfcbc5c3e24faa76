package tofu;

import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Engine options: the message pool, the limits that protect the engine from its peers, TLS, and the operational
 * switches for sockets.
 *
 * <p>{@code new Options(initial, max)} and {@link #DEFAULT} cover the pool; the {@code with…} methods return copies
 * with one switch changed, and {@link #toBuilder()} / {@link #builder()} set several at once:
 *
 * <pre>{@code
 * Options options = new Options(64, 1024)
 *         .withKeepAlive(Duration.ofSeconds(30), Duration.ofSeconds(5), 3)   // half-open peers end in ~45 s
 *         .withHandshakeTimeout(Duration.ofSeconds(10))
 *         .withConnectTimeout(Duration.ofSeconds(5))
 *         .withSocketBuffers(1 << 20, 1 << 20);
 * }</pre>
 *
 * <p>The pool sizes are normalised: 0 initial means 16, 0 max means 64, then a max below the initial count becomes the
 * initial count, so {@code new Options(0, 0).equals(Options.DEFAULT)}.
 *
 * <p>{@code Options} is a final class rather than a record so that it can gain switches without breaking callers:
 * construct it with the two-argument constructor, {@link #DEFAULT}, the {@code with…} methods or the {@link Builder}.
 * Immutable and thread-safe; {@code equals} and {@code hashCode} compare every switch (the TLS context by identity).
 *
 * @since 0.1.0
 */
public final class Options {
    /** Default initial pool size. */
    public static final int DEFAULT_INITIAL_POOL_MSGS = 16;
    /** Default maximum pool size. */
    public static final int DEFAULT_MAX_POOL_MSGS = 64;
    /** Default limit for an accepted connection to send its HelloRequest. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);
    /** Default limit for a frame to arrive completely once its first byte has arrived. */
    public static final Duration DEFAULT_FRAME_TIMEOUT = Duration.ofSeconds(30);
    /** Default limit for a client channel's connect (Netty's default). */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** {@link #maxQueuedPerChannel()} and {@link #maxConnections()} value meaning "no limit" (the default). */
    public static final int UNLIMITED = 0;
    /**
     * The default options: pool {@code (16, 64)}, 60 s handshake limit, 30 s connect limit, no idle limit, keep-alive
     * off, OS socket buffers.
     */
    public static final Options DEFAULT = new Options(DEFAULT_INITIAL_POOL_MSGS, DEFAULT_MAX_POOL_MSGS);

    private final int initialPoolMsgs;
    private final int maxPoolMsgs;
    private final Duration handshakeTimeout;
    private final Duration frameTimeout;
    private final Duration connectTimeout;
    private final Duration idleTimeout;
    private final int maxQueuedPerChannel;
    private final Duration keepAliveIdle;
    private final Duration keepAliveInterval;
    private final int keepAliveCount;
    private final int sendBufferSize;
    private final int receiveBufferSize;
    private final SSLContext tlsContext;
    private final boolean requireClientCertificate;
    private final int maxConnections;
    private final Duration spinBeforePark;
    private final boolean directWrite;

    /**
     * Options with the given pool sizes and every other switch at its default.
     *
     * @param initialPoolMsgs messages pre-allocated in the pool when the engine starts, 0..65535 (0 = default 16)
     * @param maxPoolMsgs     most idle messages the pool keeps, 0..65535 (0 = default 64); messages put beyond it are
     *                        left to the garbage collector
     * @throws IllegalArgumentException if a size is negative or above 65535 (the message shows the bad value)
     */
    public Options(int initialPoolMsgs, int maxPoolMsgs) {
        this(new Builder().pool(initialPoolMsgs, maxPoolMsgs));
    }

    private Options(Builder b) {
        checkPoolSize("initialPoolMsgs", b.initialPoolMsgs);
        checkPoolSize("maxPoolMsgs", b.maxPoolMsgs);
        int initial = b.initialPoolMsgs == 0 ? DEFAULT_INITIAL_POOL_MSGS : b.initialPoolMsgs;
        int max = b.maxPoolMsgs == 0 ? DEFAULT_MAX_POOL_MSGS : b.maxPoolMsgs;
        this.initialPoolMsgs = initial;
        this.maxPoolMsgs = Math.max(max, initial);
        this.handshakeTimeout = checkNotNegative("handshakeTimeout", b.handshakeTimeout);
        this.frameTimeout = checkNotNegative("frameTimeout", b.frameTimeout);
        this.connectTimeout = checkNotNegative("connectTimeout", b.connectTimeout);
        this.idleTimeout = checkNotNegative("idleTimeout", b.idleTimeout);
        this.keepAliveIdle = checkNotNegative("keepAliveIdle", b.keepAliveIdle);
        this.keepAliveInterval = checkNotNegative("keepAliveInterval", b.keepAliveInterval);
        this.keepAliveCount = b.keepAliveCount;
        if (!keepAliveIdle.isZero() && (keepAliveInterval.isZero() || keepAliveCount <= 0)) {
            throw new IllegalArgumentException("keep-alive needs a positive interval and count, had "
                    + keepAliveInterval + " and " + keepAliveCount);
        }
        if (b.keepAliveCount < 0 || b.sendBufferSize < 0 || b.receiveBufferSize < 0 || b.maxQueuedPerChannel < 0) {
            throw new IllegalArgumentException("keepAliveCount, buffer sizes and maxQueuedPerChannel must be >= 0, were "
                    + b.keepAliveCount + ", " + b.sendBufferSize + ", " + b.receiveBufferSize + ", "
                    + b.maxQueuedPerChannel);
        }
        if (b.maxConnections < 0) {
            throw new IllegalArgumentException("maxConnections must be >= 0 (0 = no limit), was " + b.maxConnections);
        }
        this.tlsContext = b.tlsContext;
        this.requireClientCertificate = b.tlsContext != null && b.requireClientCertificate;
        this.maxConnections = b.maxConnections;
        this.spinBeforePark = checkNotNegative("spinBeforePark", b.spinBeforePark);
        this.directWrite = b.directWrite;
        this.maxQueuedPerChannel = b.maxQueuedPerChannel;
        this.sendBufferSize = b.sendBufferSize;
        this.receiveBufferSize = b.receiveBufferSize;
    }

    /**
     * Returns a builder with every switch at its default.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder holding these options, to change several switches at once.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Messages pre-allocated in the pool when the engine starts. Each is created with 64 bytes of body storage in
     * place (about 80 bytes of heap beyond the message itself), so that a small body lies next to its headers.
     *
     * @return the initial pool size, 1..65535
     */
    public int initialPoolMsgs() {
        return initialPoolMsgs;
    }

    /**
     * The most idle messages the pool keeps; messages put beyond it are left to the garbage collector.
     *
     * @return the pool size limit, at least {@link #initialPoolMsgs()}
     */
    public int maxPoolMsgs() {
        return maxPoolMsgs;
    }

    /**
     * How long an accepted connection may take to send its HelloRequest before it is dropped (silently: the
     * application never knew it); {@link Duration#ZERO} disables the limit. Default 60 s.
     *
     * @return the handshake limit
     */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * How long a frame may stay incomplete once its first byte has arrived; a channel whose peer stalls mid-frame for
     * longer ends with {@link AmpeStatus#COMMUNICATION_FAILED} (its CHANNEL_CLOSED signal's {@code ~reason} says
     * why). {@link Duration#ZERO} disables the limit. Default 30 s.
     *
     * @return the frame limit
     */
    public Duration frameTimeout() {
        return frameTimeout;
    }

    /**
     * How long a client channel may take to connect — resolving a host name included — before it fails: the
     * HelloRequest and everything posted behind it come back with {@link AmpeStatus#CONNECT_FAILED} and a
     * {@code ~reason} header saying the connect timed out, then the CHANNEL_CLOSED signal. {@link Duration#ZERO}
     * leaves it to the operating system (on Linux about two minutes of SYN retries to a host that never answers).
     * Default 30 s. Millisecond resolution.
     *
     * @return the connect limit
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * How long an open IO channel may receive nothing at all before it ends with
     * {@link AmpeStatus#PEER_DISCONNECTED} (unsent messages come back with that status and a {@code ~reason} header
     * saying the channel was idle; the CHANNEL_CLOSED signal's {@code ~reason} says so too). It catches what TCP
     * keep-alive cannot: a peer host that vanished while data was in flight to it, and a peer whose application
     * hangs. The peer must then send something at least this often (a heartbeat). Time during which the channel does
     * not read because its group's pool is empty does not count. {@link Duration#ZERO} (the default) disables it.
     * Millisecond resolution.
     *
     * @return the idle limit, or zero when off
     */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /**
     * The most messages one channel may hold queued for sending; a message posted beyond it comes back at once with
     * origin ENGINE and status {@link AmpeStatus#SEND_FAILED} (and a {@code ~reason} header), the channel stays open.
     * {@link #UNLIMITED} (0, the default) lets send queues grow with what the application posts.
     *
     * @return the per-channel send-queue limit in messages, or 0 for none
     */
    public int maxQueuedPerChannel() {
        return maxQueuedPerChannel;
    }

    /**
     * TCP keep-alive: idle time before the first probe; {@link Duration#ZERO} leaves keep-alive off (default). With it
     * on, a peer host that vanished while nothing was in flight to it ends the channel with PEER_DISCONNECTED after
     * about idle + interval × count; while data is unacknowledged the kernel sends no probes (Linux retransmits for
     * about 15 minutes instead), which is what {@link #idleTimeout()} is for.
     *
     * @return the idle time, or zero when keep-alive is off
     */
    public Duration keepAliveIdle() {
        return keepAliveIdle;
    }

    /**
     * TCP keep-alive: time between probes (used when keep-alive is on).
     *
     * @return the probe interval
     */
    public Duration keepAliveInterval() {
        return keepAliveInterval;
    }

    /**
     * TCP keep-alive: unanswered probes before the connection is declared dead.
     *
     * @return the probe count
     */
    public int keepAliveCount() {
        return keepAliveCount;
    }

    /**
     * SO_SNDBUF for data sockets in bytes; 0 leaves the operating system's default for TCP and asks 4 MiB for
     * Unix-domain sockets (capped by the kernel's {@code net.core.wmem_max}), whose default is too small for streams
     * of small messages.
     *
     * @return the send buffer size, or 0
     */
    public int sendBufferSize() {
        return sendBufferSize;
    }

    /**
     * SO_RCVBUF for data sockets (and listeners, so accepted sockets inherit it); 0 = default.
     *
     * @return the receive buffer size, or 0
     */
    public int receiveBufferSize() {
        return receiveBufferSize;
    }

    /**
     * The TLS context of every {@code tls|} address of the engine, or null when TLS is off (the default: posting a
     * {@code tls|} address then throws {@link AmpeException} with {@link AmpeStatus#NOT_ALLOWED}). The one context
     * gives both roles their key material (its key managers) and their trust (its trust managers).
     *
     * @return the TLS context, or null
     */
    public SSLContext tlsContext() {
        return tlsContext;
    }

    /**
     * True when this engine's TLS listeners demand a certificate from every client, verified against the context's
     * trust (mutual TLS); a client that has none fails its handshake. Always false while TLS is off.
     *
     * @return true for mutual TLS on this engine's listeners
     */
    public boolean requireClientCertificate() {
        return requireClientCertificate;
    }

    /**
     * The most accepted connections the engine holds at once, TCP, TLS and UDS together, counted from accept until
     * the connection ends (whether or not it said hello yet); a connection beyond it is closed at once, never reaches
     * the application and is counted in {@link EngineStats.AdmissionStats#connectionsRefused()}. Client channels do
     * not count. {@link #UNLIMITED} (0, the default) for no limit.
     *
     * @return the limit of accepted connections, or 0 for none
     */
    public int maxConnections() {
        return maxConnections;
    }

    /**
     * How long a thread about to sleep busy-waits first: an application thread in {@code waitReceive} (and a
     * virtual thread alike) polls its group's queue, and the engine's I/O thread polls its sockets and its post queue,
     * for up to this long before parking. A hand-off that arrives meanwhile costs no wake-up (no futex, no write to
     * the engine's wake-up pipe), which shortens round trips when every spinning thread has a core of its own. Where
     * threads share cores it does the opposite: the spinning thread holds the core the thread it waits for needs.
     * {@link Duration#ZERO} (the default) never spins. Microsecond resolution; tens of microseconds are typical.
     *
     * @return the busy-wait before parking, or zero when off
     * @since 0.1.0
     */
    public Duration spinBeforePark() {
        return spinBeforePark;
    }

    /**
     * Whether {@code post} may write a message's frame to its channel's socket itself, on the posting thread, when
     * that saves a hand-off: the channel is idle (nothing queued, not blocked, no bye under way, TCP or UDS without
     * TLS) and the engine's I/O thread sleeps. It is one non-blocking write: {@code post} still never blocks on the
     * network and never waits for the peer, per-channel order is kept, and what the socket does not take (or a
     * failure) is handed to the I/O thread, which finishes it or reports it as a message as usual. A lone request
     * then costs one system call instead of a wake-up of the I/O thread and its write. On by default; turn it off to
     * keep every socket write on the I/O thread.
     *
     * @return true if posting threads may write idle channels directly
     * @since 0.1.0
     */
    public boolean directWrite() {
        return directWrite;
    }

    /**
     * Returns true when TCP keep-alive is on.
     *
     * @return true when keep-alive is on
     */
    public boolean keepAlive() {
        return !keepAliveIdle.isZero();
    }

    /**
     * Returns a copy with other pool sizes (normalised as by the constructor).
     *
     * @param initialPoolMsgs messages put in the pool at start
     * @param maxPoolMsgs the most messages the pool keeps
     * @return the copy
     */
    public Options withPool(int initialPoolMsgs, int maxPoolMsgs) {
        return toBuilder().pool(initialPoolMsgs, maxPoolMsgs).build();
    }

    /**
     * Returns a copy with another handshake limit; {@link Duration#ZERO} disables it.
     *
     * @param timeout the handshake limit
     * @return the copy
     */
    public Options withHandshakeTimeout(Duration timeout) {
        return toBuilder().handshakeTimeout(timeout).build();
    }

    /**
     * Returns a copy with another frame limit (see {@link #frameTimeout()}); {@link Duration#ZERO} disables it.
     *
     * @param timeout the longest a frame may stay incomplete
     * @return the copy
     */
    public Options withFrameTimeout(Duration timeout) {
        return toBuilder().frameTimeout(timeout).build();
    }

    /**
     * Returns a copy with another connect limit (see {@link #connectTimeout()}); {@link Duration#ZERO} leaves it to
     * the operating system.
     *
     * @param timeout the longest a connect may take
     * @return the copy
     */
    public Options withConnectTimeout(Duration timeout) {
        return toBuilder().connectTimeout(timeout).build();
    }

    /**
     * Returns a copy with another idle limit (see {@link #idleTimeout()}); {@link Duration#ZERO} disables it.
     *
     * @param timeout the longest an open channel may receive nothing
     * @return the copy
     */
    public Options withIdleTimeout(Duration timeout) {
        return toBuilder().idleTimeout(timeout).build();
    }

    /**
     * Returns a copy with another per-channel send-queue limit (see {@link #maxQueuedPerChannel()}); 0 for none.
     *
     * @param messages the most messages one channel may hold queued for sending
     * @return the copy
     */
    public Options withMaxQueuedPerChannel(int messages) {
        return toBuilder().maxQueuedPerChannel(messages).build();
    }

    /**
     * Returns a copy with TCP keep-alive on: first probe after {@code idle}, then every {@code interval}, dead after
     * {@code count} unanswered probes (second resolution).
     *
     * @param idle the idle time before the first probe
     * @param interval the time between probes
     * @param count the unanswered probes before the connection is dead
     * @return the copy
     * @throws IllegalArgumentException if {@code idle} is zero, or the interval or count is not positive
     */
    public Options withKeepAlive(Duration idle, Duration interval, int count) {
        if (idle.isZero()) {
            throw new IllegalArgumentException("keep-alive idle time must be positive; use withoutKeepAlive()");
        }
        return toBuilder().keepAlive(idle, interval, count).build();
    }

    /**
     * Returns a copy with TCP keep-alive off.
     *
     * @return the copy
     */
    public Options withoutKeepAlive() {
        return toBuilder().keepAlive(Duration.ZERO, Duration.ZERO, 0).build();
    }

    /**
     * Returns a copy with the given socket buffer sizes in bytes; 0 keeps the operating system's default (for the send
     * buffer of a Unix-domain socket, 0 means 4 MiB, see {@link #sendBufferSize()}).
     *
     * @param sendBufferSize the send buffer size in bytes
     * @param receiveBufferSize the receive buffer size in bytes
     * @return the copy
     */
    public Options withSocketBuffers(int sendBufferSize, int receiveBufferSize) {
        return toBuilder().socketBuffers(sendBufferSize, receiveBufferSize).build();
    }

    /**
     * Returns a copy with TLS on for every {@code tls|} address of the engine: {@code context} gives both roles their
     * key material and trust; only TLSv1.3 and TLSv1.2 are used. A client presents a certificate whenever the
     * context has one; {@code requireClientCertificate} makes this engine's TLS listeners demand one (mutual TLS).
     * The context is shared, not copied: it must be initialised and not changed afterwards.
     *
     * @param context an initialised {@code SSLContext} (e.g. protocol "TLS")
     * @param requireClientCertificate true for mutual TLS on this engine's listeners
     * @return the copy
     * @throws NullPointerException if {@code context} is null
     */
    public Options withTls(SSLContext context, boolean requireClientCertificate) {
        Objects.requireNonNull(context, "context");
        return toBuilder().tls(context, requireClientCertificate).build();
    }

    /**
     * Returns a copy with TLS off: posting a {@code tls|} address throws NOT_ALLOWED.
     *
     * @return the copy
     */
    public Options withoutTls() {
        return toBuilder().tls(null, false).build();
    }

    /**
     * Returns a copy with another limit of accepted connections held at once (see {@link #maxConnections()}).
     *
     * @param connections the limit; 0 for none
     * @return the copy
     * @throws IllegalArgumentException if {@code connections} is negative
     */
    public Options withMaxConnections(int connections) {
        return toBuilder().maxConnections(connections).build();
    }

    /**
     * Returns a copy with another busy-wait before parking (see {@link #spinBeforePark()}); {@link Duration#ZERO}
     * turns it off.
     *
     * @param spin how long a thread about to sleep polls first
     * @return the copy
     * @since 0.1.0
     */
    public Options withSpinBeforePark(Duration spin) {
        return toBuilder().spinBeforePark(spin).build();
    }

    /**
     * Returns a copy that lets posting threads write idle channels directly, or not (see {@link #directWrite()}).
     *
     * @param on true to allow the direct write (the default), false to keep every write on the I/O thread
     * @return the copy
     * @since 0.1.0
     */
    public Options withDirectWrite(boolean on) {
        return toBuilder().directWrite(on).build();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Options)) {
            return false;
        }
        Options other = (Options) o;
        return initialPoolMsgs == other.initialPoolMsgs && maxPoolMsgs == other.maxPoolMsgs
                && handshakeTimeout.equals(other.handshakeTimeout) && frameTimeout.equals(other.frameTimeout)
                && connectTimeout.equals(other.connectTimeout) && idleTimeout.equals(other.idleTimeout)
                && maxQueuedPerChannel == other.maxQueuedPerChannel && keepAliveIdle.equals(other.keepAliveIdle)
                && keepAliveInterval.equals(other.keepAliveInterval) && keepAliveCount == other.keepAliveCount
                && sendBufferSize == other.sendBufferSize && receiveBufferSize == other.receiveBufferSize
                && tlsContext == other.tlsContext && requireClientCertificate == other.requireClientCertificate
                && maxConnections == other.maxConnections && spinBeforePark.equals(other.spinBeforePark)
                && directWrite == other.directWrite;
    }

    @Override
    public int hashCode() {
        return Objects.hash(initialPoolMsgs, maxPoolMsgs, handshakeTimeout, frameTimeout, connectTimeout, idleTimeout,
                maxQueuedPerChannel, keepAliveIdle, keepAliveInterval, keepAliveCount, sendBufferSize,
                receiveBufferSize, System.identityHashCode(tlsContext), requireClientCertificate, maxConnections,
                spinBeforePark, directWrite);
    }

    @Override
    public String toString() {
        return "Options[initialPoolMsgs=" + initialPoolMsgs + ", maxPoolMsgs=" + maxPoolMsgs + ", handshakeTimeout="
                + handshakeTimeout + ", frameTimeout=" + frameTimeout + ", connectTimeout=" + connectTimeout
                + ", idleTimeout=" + idleTimeout + ", maxQueuedPerChannel=" + maxQueuedPerChannel
                + ", keepAliveIdle=" + keepAliveIdle + ", keepAliveInterval=" + keepAliveInterval
                + ", keepAliveCount=" + keepAliveCount + ", sendBufferSize=" + sendBufferSize
                + ", receiveBufferSize=" + receiveBufferSize + ", tls=" + tlsDescription()
                + ", maxConnections=" + maxConnections + ", spinBeforePark=" + spinBeforePark + ", directWrite="
                + directWrite + "]";
    }

    private String tlsDescription() {
        if (tlsContext == null) {
            return "off";
        }
        return tlsContext.getProtocol() + "/" + tlsContext.getProvider().getName()
                + (requireClientCertificate ? " requiring client certificates" : "");
    }

    private static void checkPoolSize(String name, int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(name + " must be 0..65535, was " + value);
        }
    }

    private static Duration checkNotNegative(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + d);
        }
        return d;
    }

    /**
     * Collects switches for {@link Options}; every value is checked by {@link #build()}. Not thread-safe; use one
     * builder per thread.
     *
     * @since 0.1.0
     */
    public static final class Builder {
        private int initialPoolMsgs = DEFAULT_INITIAL_POOL_MSGS;
        private int maxPoolMsgs = DEFAULT_MAX_POOL_MSGS;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private Duration frameTimeout = DEFAULT_FRAME_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration idleTimeout = Duration.ZERO;
        private int maxQueuedPerChannel = UNLIMITED;
        private Duration keepAliveIdle = Duration.ZERO;
        private Duration keepAliveInterval = Duration.ZERO;
        private int keepAliveCount;
        private int sendBufferSize;
        private int receiveBufferSize;
        private SSLContext tlsContext;
        private boolean requireClientCertificate;
        private int maxConnections = UNLIMITED;
        private Duration spinBeforePark = Duration.ZERO;
        private boolean directWrite = true;

        private Builder() {
        }

        private Builder(Options o) {
            initialPoolMsgs = o.initialPoolMsgs;
            maxPoolMsgs = o.maxPoolMsgs;
            handshakeTimeout = o.handshakeTimeout;
            frameTimeout = o.frameTimeout;
            connectTimeout = o.connectTimeout;
            idleTimeout = o.idleTimeout;
            maxQueuedPerChannel = o.maxQueuedPerChannel;
            keepAliveIdle = o.keepAliveIdle;
            keepAliveInterval = o.keepAliveInterval;
            keepAliveCount = o.keepAliveCount;
            sendBufferSize = o.sendBufferSize;
            receiveBufferSize = o.receiveBufferSize;
            tlsContext = o.tlsContext;
            requireClientCertificate = o.requireClientCertificate;
            maxConnections = o.maxConnections;
            spinBeforePark = o.spinBeforePark;
            directWrite = o.directWrite;
        }

        /**
         * Sets the pool sizes (see {@link Options#Options(int, int)}).
         *
         * @param initial messages put in the pool at start, 0..65535 (0 = default)
         * @param max the most idle messages the pool keeps, 0..65535 (0 = default)
         * @return this builder
         */
        public Builder pool(int initial, int max) {
            this.initialPoolMsgs = initial;
            this.maxPoolMsgs = max;
            return this;
        }

        /**
         * Sets the handshake limit (see {@link Options#handshakeTimeout()}).
         *
         * @param timeout the limit; zero disables it
         * @return this builder
         */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = timeout;
            return this;
        }

        /**
         * Sets the frame limit (see {@link Options#frameTimeout()}).
         *
         * @param timeout the limit; zero disables it
         * @return this builder
         */
        public Builder frameTimeout(Duration timeout) {
            this.frameTimeout = timeout;
            return this;
        }

        /**
         * Sets the connect limit (see {@link Options#connectTimeout()}).
         *
         * @param timeout the limit; zero leaves it to the operating system
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * Sets the idle limit (see {@link Options#idleTimeout()}).
         *
         * @param timeout the limit; zero disables it
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        /**
         * Sets the per-channel send-queue limit (see {@link Options#maxQueuedPerChannel()}).
         *
         * @param messages the limit in messages; 0 for none
         * @return this builder
         */
        public Builder maxQueuedPerChannel(int messages) {
            this.maxQueuedPerChannel = messages;
            return this;
        }

        /**
         * Sets TCP keep-alive; an idle time of zero leaves it off.
         *
         * @param idle the idle time before the first probe
         * @param interval the time between probes
         * @param count the unanswered probes before the connection is dead
         * @return this builder
         */
        public Builder keepAlive(Duration idle, Duration interval, int count) {
            this.keepAliveIdle = idle;
            this.keepAliveInterval = interval;
            this.keepAliveCount = count;
            return this;
        }

        /**
         * Sets the socket buffer sizes (see {@link Options#sendBufferSize()}).
         *
         * @param send SO_SNDBUF in bytes; 0 keeps the default
         * @param receive SO_RCVBUF in bytes; 0 keeps the default
         * @return this builder
         */
        public Builder socketBuffers(int send, int receive) {
            this.sendBufferSize = send;
            this.receiveBufferSize = receive;
            return this;
        }

        /**
         * Sets TLS (see {@link Options#withTls(SSLContext, boolean)}); a null context turns it off.
         *
         * @param context an initialised {@code SSLContext}, or null for no TLS
         * @param requireClientCertificate true for mutual TLS on the engine's listeners
         * @return this builder
         */
        public Builder tls(SSLContext context, boolean requireClientCertificate) {
            this.tlsContext = context;
            this.requireClientCertificate = requireClientCertificate;
            return this;
        }

        /**
         * Sets the limit of accepted connections held at once (see {@link Options#maxConnections()}).
         *
         * @param connections the limit; 0 for none
         * @return this builder
         */
        public Builder maxConnections(int connections) {
            this.maxConnections = connections;
            return this;
        }

        /**
         * Sets the busy-wait before parking (see {@link Options#spinBeforePark()}).
         *
         * @param spin how long a thread about to sleep polls first; zero never spins
         * @return this builder
         * @since 0.1.0
         */
        public Builder spinBeforePark(Duration spin) {
            this.spinBeforePark = spin;
            return this;
        }

        /**
         * Sets whether posting threads may write idle channels directly (see {@link Options#directWrite()}).
         *
         * @param on true to allow it (the default)
         * @return this builder
         * @since 0.1.0
         */
        public Builder directWrite(boolean on) {
            this.directWrite = on;
            return this;
        }

        /**
         * Checks every switch and returns the options.
         *
         * @return the options
         * @throws IllegalArgumentException if a pool size is negative or above 65535, a duration is negative,
         *                                  keep-alive is on with a non-positive interval or count, or a size or
         *                                  the connection limit is negative
         * @throws NullPointerException     if a duration is null
         */
        public Options build() {
            return new Options(this);
        }
    }
}
