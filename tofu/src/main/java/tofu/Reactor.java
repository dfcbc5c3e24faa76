package tofu;

import tofu.internal.Engine;

/**
 * The tofu engine: owns every resource — channel groups, channels, the message pool — and runs exactly one I/O thread,
 * named {@code tofu-reactor-<n>}, with an NIO selector. Several engines per process are independent.
 *
 * <p>Thread-safe. {@link #close()} may be called from any thread, any number of times; it destroys every group
 * (waking their receivers with SHUTDOWN_STARTED) and stops the thread within a bounded time.
 *
 * <pre>{@code
 * try (Reactor reactor = Reactor.create()) {
 *     Ampe ampe = reactor.ampe();
 *     ChannelGroup server = ampe.create();
 *     Message welcome = ampe.get(AllocationStrategy.ALWAYS);
 *     Address.parseServer("tcp|127.0.0.1|0").format(welcome);
 *     server.post(welcome);
 *     Message ready = server.waitReceive(ChannelGroup.SEC_TIMEOUT);   // WELCOME_RESPONSE
 *     System.out.println("listening on " + Address.of(ready).value());
 *     ampe.put(ready);
 * }
 * }</pre>
 * @since 0.1.0
 */
public final class Reactor implements AutoCloseable {
    private final Engine engine;

    private Reactor(Options options) {
        this.engine = Engine.start(options);
    }

    /**
     * Creates an engine and starts its I/O thread.
     *
     * @param options the engine options
     * @return the running reactor
     * @throws NullPointerException if {@code options} is null
     * @throws AmpeException        with ALLOCATION_FAILED if the selector cannot be opened
     */
    public static Reactor create(Options options) {
        if (options == null) {
            throw new NullPointerException("options");
        }
        return new Reactor(options);
    }

    /**
     * Creates an engine with {@link Options#DEFAULT}.
     *
     * @return the running reactor
     */
    public static Reactor create() {
        return create(Options.DEFAULT);
    }

    /**
     * Returns this engine's application interface.
     *
     * @return the engine's {@link Ampe}
     */
    public Ampe ampe() {
        return engine;
    }

    /**
     * Returns a consistent snapshot of this engine's figures — messages and bytes in and out, messages returned by
     * status, pool size and misses, open channels by kind, and per-channel figures — taken on the engine thread.
     * Cheap enough to call every second; the counters cost the message path nothing measurable. Thread-safe.
     *
     * @return the snapshot
     * @throws AmpeException with SHUTDOWN_STARTED once the engine is closed
     */
    public EngineStats stats() {
        return engine.stats();
    }

    /**
     * Destroys every group and stops the I/O thread, within a bounded time (milliseconds when idle). Afterwards
     * {@link Ampe#create()} and {@link Ampe#get} throw SHUTDOWN_STARTED and {@link Ampe#put} drops the message.
     * Idempotent; callable from any thread.
     */
    @Override
    public void close() {
        engine.close();
    }

    @Override
    public String toString() {
        return "Reactor[" + engine + "]";
    }
}
