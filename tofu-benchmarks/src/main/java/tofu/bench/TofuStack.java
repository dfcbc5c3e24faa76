package tofu.bench;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import tofu.Address;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.BinaryHeader;
import tofu.EngineStats;
import tofu.Message;
import tofu.OpCode;
import tofu.Options;

/**
 * tofu engine to engine, as a user runs it: a sender thread posting into the client engine, the two engines' I/O
 * threads, and a receiver thread draining the server group (4 threads). Over TCP loopback or a Unix-domain socket.
 *
 * <p>The sender is an application thread that takes messages with {@code get(ALWAYS)}, posts them and keeps at most
 * W in flight, with both pools sized (W, W): a user sizing the pool to a send window ({@link TofuSender}).
 */
final class TofuStack implements Stack {
    private static final AtomicInteger SOCKETS = new AtomicInteger();
    /** Pool size as a multiple of the window, for experiments only (-Dtofu.bench.poolPerWindow=N, default 1). */
    private static final int POOL_PER_WINDOW = Integer.getInteger("tofu.bench.poolPerWindow", 1);
    /** Options.spinBeforePark in microseconds, for the round-trip levers (-Dtofu.bench.spinMicros=N, default 0). */
    private static final long SPIN_MICROS = Long.getLong("tofu.bench.spinMicros", 0);
    /** Window per channel of the many-channels streams (-Dtofu.bench.windowPerChannel=N, default 64). */
    static final int WINDOW_PER_CHANNEL = Integer.getInteger("tofu.bench.windowPerChannel", 64);
    /** Options.directWrite, for A/B runs of the direct write (-Dtofu.bench.directWrite=false; default on). */
    private static final boolean DIRECT_WRITE =
            Boolean.parseBoolean(System.getProperty("tofu.bench.directWrite", "true"));

    private final boolean uds;
    private final Path dir;
    /** tofu-tls: both engines with mutual TLS on {@link BenchTls}'s context (the one netty-tls uses too). */
    private final boolean tls;

    /** A stack over TCP ({@code dir == null}) or over UDS socket files created in {@code dir}. */
    TofuStack(Path dir) {
        this(dir, false);
    }

    /** A stack over TLS ({@code tls}, TCP only) or as {@link #TofuStack(Path)}. */
    TofuStack(Path dir, boolean tls) {
        this.uds = dir != null;
        this.dir = dir;
        this.tls = tls;
    }

    @Override
    public String name() {
        return uds ? Stacks.TOFU_UDS : tls ? Stacks.TOFU_TLS : Stacks.TOFU_TCP;
    }

    private Address listenAddress() {
        if (uds) {
            return Address.udsServer(dir.resolve("tofu-" + SOCKETS.incrementAndGet() + ".sock").toString());
        }
        return tls ? Address.tlsServer("127.0.0.1", 0) : Address.tcpServer("127.0.0.1", 0);
    }

    /** The benchmark options, with mutual TLS for tofu-tls. */
    private Options options() {
        Options o = TofuLink.OPTIONS.withSpinBeforePark(java.time.Duration.ofNanos(SPIN_MICROS * 1000))
                .withDirectWrite(DIRECT_WRITE);
        return tls ? o.withTls(BenchTls.context(), true) : o;
    }

    /** Window and pool {@link #window(int)}, posting with {@code post(msg)}. */
    @Override
    public Stream openStream(int bodySize, int channels) throws Exception {
        return openWindowStream(bodySize, channels, window(channels), false, 1);
    }

    /**
     * The send window (= pool) of a stream over {@code channels}: {@link TofuLink#POOL}, or {@link #WINDOW_PER_CHANNEL}
     * per channel if that is more (at most 65535, the pool's limit) — a user with many channels sizes the pool for
     * all of them, and Netty's producers may each hold 256 KiB unflushed and in flight.
     */
    static int window(int channels) {
        return (int) Math.min(65535, Math.max(TofuLink.POOL, (long) WINDOW_PER_CHANNEL * channels));
    }

    /**
     * A stream whose sender keeps at most {@code window} messages in flight, both pools {@code (window, window)} and
     * warmed for the body size; {@code reuseHeader} posts with {@code post(msg, into)} instead of {@code post(msg)};
     * {@code burst} messages go to a channel before the next one's turn.
     */
    Stream openWindowStream(int bodySize, int channels, int window, boolean reuseHeader, int burst) throws Exception {
        int pool = Math.min(65535, window * POOL_PER_WINDOW);
        TofuLink link = TofuLink.open(listenAddress(), channels, options().withPool(pool, pool));
        try {
            link.warmPools(bodySize);
            return new TofuStream(link, bodySize, window, reuseHeader, burst);
        } catch (RuntimeException e) {
            link.close();
            throw e;
        }
    }

    @Override
    public Pinger openPinger(int bodySize) throws Exception {
        TofuLink link = TofuLink.open(listenAddress(), 1, options());
        try {
            return new TofuPinger(link, bodySize);
        } catch (RuntimeException e) {
            link.close();
            throw e;
        }
    }

    @Override
    public Service openService(int clients, int inFlight, int bodySize) throws Exception {
        Options options = options().withPool(Math.max(TofuLink.POOL, clients * inFlight),
                Math.max(TofuLink.POOL, clients * inFlight));
        TofuLink link = TofuLink.open(listenAddress(), clients, options);
        try {
            link.warmPools(bodySize);
            return new TofuService(link, inFlight, bodySize);
        } catch (RuntimeException e) {
            link.close();
            throw e;
        }
    }

    /** Sender thread → client engine → socket → server engine → receiver thread. */
    private static final class TofuStream implements Stream {
        private final TofuLink link;
        private final TofuSender sender;
        private final TofuReceiver receiver;
        private final Threads.Worker receiving;
        private Threads.Worker sending;
        private volatile long startedAt;

        TofuStream(TofuLink link, int bodySize, int window, boolean reuseHeader, int burst) {
            this.link = link;
            this.receiver = new TofuReceiver(link.serverEngine.ampe(), link.server);
            this.sender = TofuSender.windowed(link.clientEngine.ampe(), link.client, link.clientChannels, bodySize,
                    window, receiver::received, reuseHeader, burst);
            this.receiving = Threads.start("tofu-bench-receiver", receiver);
        }

        @Override
        public void start() {
            startedAt = System.nanoTime();
            sending = Threads.start("tofu-bench-sender", sender);
        }

        @Override
        public long received() {
            return receiver.received();
        }

        /**
         * Since the start: the sender's waits for its window (count, parks, share of the time) and the pool misses of
         * each engine (client misses are {@code get(ALWAYS)} allocations), per 1000 messages.
         */
        @Override
        public String diagnostics() {
            double k = Math.max(1, receiver.received()) / 1000.0;
            double elapsed = Math.max(1, System.nanoTime() - startedAt);
            EngineStats c = link.clientEngine.stats();
            EngineStats s = link.serverEngine.stats();
            return String.format(Locale.ROOT, "per 1k msg: sender stalls %.1f (parks %.1f, %.0f%% of the time), "
                    + "pool misses client %.1f server %.1f; idle in pool client %d server %d", sender.stalls() / k,
                    sender.parks() / k, 100 * sender.stalledNanos() / elapsed, c.poolMisses() / k, s.poolMisses() / k,
                    c.poolSize(), s.poolSize());
        }

        @Override
        public void close() {
            sender.stop();
            try {
                if (sending != null) {
                    sending.join();
                }
            } finally {
                link.close();
                receiving.join();
            }
        }
    }

    /**
     * The calling thread posts a REQUEST and waits for the RESPONSE; an echo thread on the server group turns each
     * request around ({@link TofuEcho}).
     */
    private static final class TofuPinger implements Pinger {
        private final TofuLink link;
        private final Ampe ampe;
        private final int channel;
        private final byte[] body;
        private final BinaryHeader into = new BinaryHeader();
        private final Threads.Worker echo;

        TofuPinger(TofuLink link, int bodySize) {
            this.link = link;
            this.ampe = link.clientEngine.ampe();
            this.channel = link.clientChannels[0];
            this.body = Wire.payload(bodySize);
            this.echo = Threads.start("tofu-bench-echo", new TofuEcho(link.serverEngine.ampe(), link.server));
        }

        @Override
        public void roundTrip() throws InterruptedException {
            Message m = ampe.get(AllocationStrategy.ALWAYS);
            m.bhdr().opCode(OpCode.REQUEST).channelNumber(channel);
            m.body().append(body, 0, body.length);
            link.client.post(m, into);
            Message r = TofuOps.receive(link.client);
            if (r.isFromEngine() || r.bhdr().opCode() != OpCode.RESPONSE) {
                String what = r + " " + r.bhdr().status();
                ampe.put(r);
                throw new IllegalStateException("expected a RESPONSE, got " + what);
            }
            ampe.put(r);
        }

        @Override
        public void close() {
            link.close();
            echo.join();
        }
    }
}
