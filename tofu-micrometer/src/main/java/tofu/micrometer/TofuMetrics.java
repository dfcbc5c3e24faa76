package tofu.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToDoubleFunction;
import tofu.AmpeStatus;
import tofu.ChannelStats;
import tofu.ChannelStats.ReadState;
import tofu.EngineStats;
import tofu.Reactor;

/**
 * Exposes one tofu engine's figures ({@link Reactor#stats()}) as Micrometer meters.
 *
 * <pre>{@code
 * new TofuMetrics(reactor, Tags.of("engine", "orders")).bindTo(registry);
 * }</pre>
 *
 * <p>Engine meters (all with the binder's tags):
 * <ul>
 *   <li>{@code tofu.messages.received}, {@code tofu.messages.sent} — function counters, frames received from peers
 *       and fully written to them;</li>
 *   <li>{@code tofu.bytes.received}, {@code tofu.bytes.sent} — function counters, wire bytes of those frames;</li>
 *   <li>{@code tofu.messages.returned} — function counter per {@code status}: application messages the engine
 *       handed back unsent (a status appears with its first return);</li>
 *   <li>{@code tofu.pool.messages} — gauge, idle messages in the pool; {@code tofu.pool.misses} — function counter,
 *       requests that found the pool empty;</li>
 *   <li>{@code tofu.groups} — gauge, live channel groups; {@code tofu.channels} — gauge per {@code kind}
 *       ({@code listener}, {@code io}); {@code tofu.handshakes.pending} — gauge, accepted connections that have not
 *       sent their HelloRequest yet;</li>
 *   <li>{@code tofu.channels.reads.stopped} — gauge per {@code state}: channels the engine does not read now,
 *       {@code starving} (the pool is empty) or {@code paused} (an accepted peer that does not read);</li>
 *   <li>{@code tofu.limits.receive.allocations}, {@code tofu.limits.send.refusals}, {@code tofu.limits.frame.timeouts}
 *       — function counters, what the engine's protective limits did; {@code tofu.limits.allocated.out} — gauge,
 *       messages allocated beyond the pool and not back yet ({@link EngineStats.LimitStats});</li>
 *   <li>{@code tofu.uptime} — time gauge.</li>
 * </ul>
 * Channel meters, per open channel, tagged {@code channel} (its number), {@code kind} ({@code listener},
 * {@code client}, {@code accepted}) and {@code address}: {@code tofu.channel.messages.received},
 * {@code tofu.channel.messages.sent}, {@code tofu.channel.bytes.received}, {@code tofu.channel.bytes.sent} (function
 * counters) and {@code tofu.channel.send.queue} (gauge, messages posted and not yet written). They appear when a
 * snapshot first lists the channel and are removed when one no longer does. An engine with thousands of connections
 * makes thousands of series: {@link Builder#channelMeters(boolean) turn them off} there.
 *
 * <p>Reads share snapshots: a snapshot younger than {@link Builder#maxSnapshotAge(Duration)} (default 1 s) serves
 * every meter, so one publication costs one command to the engine thread. Once the engine is closed the gauges read
 * {@code NaN}, the counters keep their last values and the channel meters go away.
 *
 * <p>Thread-safe: meters may be read from any thread, and {@link #bindTo} may be called for several registries.
 * {@link #close()} removes every meter this binder registered.
 *
 * @since 0.1.0
 */
public final class TofuMetrics implements MeterBinder, AutoCloseable {
    /**
     * What the engine meters hold weakly, as Micrometer does with a meter's object: once the application lets the
     * reactor go, they read NaN. The meters' functions hold this binder, so it lives as long as they are registered.
     */
    private final Reactor reactor;
    private final Snapshots snapshots;
    private final Tags tags;
    private final boolean channelMeters;
    /** Serialises changes to which meters exist; never waited for by a meter read (see {@link #read}). */
    private final ReentrantLock membership = new ReentrantLock();
    private final List<MeterRegistry> registries = new ArrayList<>();         // guarded by membership
    private final List<Registered> engineMeters = new ArrayList<>();          // guarded by membership
    private final Set<AmpeStatus> statusesSeen = EnumSet.noneOf(AmpeStatus.class);              // guarded by membership
    private final Map<ChannelMeters.Key, ChannelMeters> channels = new HashMap<>();   // guarded by membership
    private boolean closed;                                                  // guarded by membership

    /**
     * A binder with no extra tags, channel meters on and 1-second snapshots.
     *
     * @param reactor the engine to observe
     */
    public TofuMetrics(Reactor reactor) {
        this(builder(reactor));
    }

    /**
     * A binder whose meters all carry {@code tags}, channel meters on and 1-second snapshots.
     *
     * @param reactor the engine to observe
     * @param tags    tags added to every meter, e.g. {@code engine=orders} to tell several engines apart
     */
    public TofuMetrics(Reactor reactor, Iterable<Tag> tags) {
        this(builder(reactor).tags(tags));
    }

    private TofuMetrics(Builder b) {
        this.reactor = b.reactor;
        this.snapshots = new Snapshots(b.reactor, b.maxSnapshotAge);
        this.tags = b.tags;
        this.channelMeters = b.channelMeters;
    }

    /**
     * Starts a binder with every setting.
     *
     * @param reactor the engine to observe
     * @return a builder
     */
    public static Builder builder(Reactor reactor) {
        return new Builder(Objects.requireNonNull(reactor, "reactor"));
    }

    /**
     * Registers the engine meters, and the meters of the channels open now, in {@code registry}.
     *
     * @param registry the registry
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        Snapshots.Taken taken = snapshots.take();
        membership.lock();
        try {
            if (closed) {
                throw new IllegalStateException("this TofuMetrics is closed");
            }
            registries.add(registry);
            registerEngineMeters(registry);
            statusesSeen.forEach(status -> registerReturned(registry, status));
            channels.values().forEach(c -> c.registerIn(registry));
            sync(taken);
        } finally {
            membership.unlock();
        }
    }

    /** Removes every meter this binder registered, from every registry. Idempotent. */
    @Override
    public void close() {
        membership.lock();
        try {
            closed = true;
            engineMeters.forEach(Registered::remove);
            engineMeters.clear();
            channels.values().forEach(ChannelMeters::removeFromAll);
            channels.clear();
            registries.clear();
        } finally {
            membership.unlock();
        }
    }

    private void registerEngineMeters(MeterRegistry r) {
        counter(r, "tofu.messages.received", "messages", "Frames received from peers", EngineStats::messagesIn);
        counter(r, "tofu.messages.sent", "messages", "Frames fully written to peers", EngineStats::messagesOut);
        counter(r, "tofu.bytes.received", "bytes", "Wire bytes of the frames received", EngineStats::bytesIn);
        counter(r, "tofu.bytes.sent", "bytes", "Wire bytes of the frames written", EngineStats::bytesOut);
        counter(r, "tofu.pool.misses", "requests", "Requests for a pool message that found the pool empty",
                EngineStats::poolMisses);
        gauge(r, "tofu.pool.messages", Tags.empty(), "messages", "Idle messages in the pool", EngineStats::poolSize);
        gauge(r, "tofu.groups", Tags.empty(), "groups", "Live channel groups", EngineStats::groups);
        gauge(r, "tofu.channels", Tags.of("kind", "listener"), "channels", "Open channels",
                EngineStats::listeners);
        gauge(r, "tofu.channels", Tags.of("kind", "io"), "channels", "Open channels", EngineStats::ioChannels);
        gauge(r, "tofu.handshakes.pending", Tags.empty(), "connections",
                "Accepted connections that have not sent their HelloRequest yet", EngineStats::pendingHandshakes);
        gauge(r, "tofu.channels.reads.stopped", Tags.of("state", "starving"), "channels",
                "Channels not read until the pool gets messages back", s -> readState(s, ReadState.STARVING));
        gauge(r, "tofu.channels.reads.stopped", Tags.of("state", "paused"), "channels",
                "Accepted channels not read until their peer reads what it is sent",
                s -> readState(s, ReadState.PAUSED));
        counter(r, "tofu.limits.receive.allocations", "messages",
                "Messages allocated beyond the pool to keep a shared engine from deadlocking",
                s -> s.limits().receiveAllocations());
        gauge(r, "tofu.limits.allocated.out", Tags.empty(), "messages",
                "Messages allocated beyond the pool that have not come back yet", s -> s.limits().engineAllocatedOut());
        counter(r, "tofu.limits.send.refusals", "messages",
                "Posts returned with SEND_FAILED because their channel's queue was full",
                s -> s.limits().sendQueueRefusals());
        counter(r, "tofu.limits.frame.timeouts", "channels",
                "Channels ended because their peer left a frame unfinished", s -> s.limits().frameTimeouts());
        engineMeters.add(new Registered(r, TimeGauge.builder("tofu.uptime", reactor, TimeUnit.MILLISECONDS,
                        x -> gaugeValue(s -> s.uptime().toMillis()))
                .tags(tags).description("Time since the engine started").register(r)));
    }

    private static double readState(EngineStats s, ReadState state) {
        return s.channels().stream().filter(c -> c.readState() == state).count();
    }

    private void counter(MeterRegistry r, String name, String unit, String description,
                         ToDoubleFunction<EngineStats> figure) {
        engineMeters.add(new Registered(r, FunctionCounter.builder(name, reactor, x -> counterValue(figure))
                .tags(tags).baseUnit(unit).description(description).register(r)));
    }

    private void gauge(MeterRegistry r, String name, Tags extra, String unit, String description,
                       ToDoubleFunction<EngineStats> figure) {
        engineMeters.add(new Registered(r, Gauge.builder(name, reactor, x -> gaugeValue(figure))
                .tags(tags.and(extra)).baseUnit(unit).description(description).register(r)));
    }

    private void registerReturned(MeterRegistry r, AmpeStatus status) {
        engineMeters.add(new Registered(r, FunctionCounter.builder("tofu.messages.returned", reactor,
                        x -> counterValue(s -> s.returnedByStatus().getOrDefault(status, 0L)))
                .tags(tags.and("status", status.name())).baseUnit("messages")
                .description("Application messages the engine returned unsent, by status").register(r)));
    }

    private double counterValue(ToDoubleFunction<EngineStats> figure) {
        Snapshots.Taken taken = read();
        return taken.stats() == null ? 0 : figure.applyAsDouble(taken.stats());
    }

    private double gaugeValue(ToDoubleFunction<EngineStats> figure) {
        Snapshots.Taken taken = read();
        return taken.closed() || taken.stats() == null ? Double.NaN : figure.applyAsDouble(taken.stats());
    }

    /**
     * Takes the current snapshot for a meter read and, when it is new, brings the set of meters in line with it —
     * unless another thread is changing them right now (it never waits for that: a registry may hold its own lock
     * while it reads meters). The next new snapshot catches up.
     */
    private Snapshots.Taken read() {
        Snapshots.Taken taken = snapshots.take();
        if (taken.fresh() && membership.tryLock()) {
            try {
                sync(taken);
            } finally {
                membership.unlock();
            }
        }
        return taken;
    }

    /** Adds meters for new statuses and channels and removes those of closed channels. Holds membership. */
    private void sync(Snapshots.Taken taken) {
        if (closed) {
            return;
        }
        EngineStats stats = taken.stats();
        if (stats != null) {
            for (AmpeStatus status : stats.returnedByStatus().keySet()) {
                if (statusesSeen.add(status)) {
                    registries.forEach(r -> registerReturned(r, status));
                }
            }
        }
        if (!channelMeters) {
            return;
        }
        List<ChannelStats> open = taken.closed() || stats == null ? List.of() : stats.channels();
        Set<ChannelMeters.Key> present = new HashSet<>();
        for (ChannelStats c : open) {
            ChannelMeters.Key key = ChannelMeters.Key.of(c);
            present.add(key);
            ChannelMeters meters = channels.get(key);
            if (meters == null) {
                meters = new ChannelMeters(c, tags);
                channels.put(key, meters);
                for (MeterRegistry r : registries) {
                    meters.registerIn(r);
                }
            } else {
                meters.update(c);
            }
        }
        channels.entrySet().removeIf(e -> {
            if (present.contains(e.getKey())) {
                return false;
            }
            e.getValue().removeFromAll();
            return true;
        });
    }

    /** Settings of a {@link TofuMetrics}. Not thread-safe; build once. */
    public static final class Builder {
        private final Reactor reactor;
        private Tags tags = Tags.empty();
        private boolean channelMeters = true;
        private Duration maxSnapshotAge = Duration.ofSeconds(1);

        private Builder(Reactor reactor) {
            this.reactor = reactor;
        }

        /**
         * Tags added to every meter.
         *
         * @param tags the tags, e.g. {@code Tags.of("engine", "orders")}
         * @return this builder
         */
        public Builder tags(Iterable<Tag> tags) {
            this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
            return this;
        }

        /**
         * Whether each open channel gets meters of its own (default true). Turn off for engines with many
         * connections: every channel adds five series.
         *
         * @param on true for per-channel meters
         * @return this builder
         */
        public Builder channelMeters(boolean on) {
            this.channelMeters = on;
            return this;
        }

        /**
         * How long one engine snapshot serves meter reads (default 1 s); {@link Duration#ZERO} takes one per read.
         *
         * @param maxAge the age, not negative
         * @return this builder
         * @throws IllegalArgumentException if {@code maxAge} is negative
         */
        public Builder maxSnapshotAge(Duration maxAge) {
            if (maxAge.isNegative()) {
                throw new IllegalArgumentException("maxSnapshotAge must not be negative: " + maxAge);
            }
            this.maxSnapshotAge = maxAge;
            return this;
        }

        /**
         * Builds the binder; bind it with {@link TofuMetrics#bindTo}.
         *
         * @return the binder
         */
        public TofuMetrics build() {
            return new TofuMetrics(this);
        }
    }
}
