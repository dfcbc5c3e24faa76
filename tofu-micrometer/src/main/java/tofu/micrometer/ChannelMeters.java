package tofu.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tofu.ChannelStats;

/**
 * The meters of one open channel, in every registry the binder is bound to. They read the channel's figures from the
 * latest snapshot that listed it; the binder removes them when a snapshot no longer does.
 *
 * <p>Thread-safe: {@link #update} and the meters' reads may come from any thread; registration and removal are
 * serialised by the binder.
 */
final class ChannelMeters {
    /** Identifies one channel's life: a number reused by another connection gets meters of its own. */
    record Key(int channelNumber, ChannelStats.Kind kind, String address) {
        static Key of(ChannelStats c) {
            return new Key(c.channelNumber(), c.kind(), c.address());
        }
    }

    private final Tags tags;
    private final List<Registered> meters = new ArrayList<>();    // guarded by the binder's lock
    private volatile ChannelStats latest;

    ChannelMeters(ChannelStats first, Tags common) {
        this.latest = first;
        this.tags = common.and("channel", Integer.toString(first.channelNumber()),
                "kind", first.kind().name().toLowerCase(Locale.ROOT),
                "address", String.valueOf(first.address()));
    }

    void update(ChannelStats stats) {
        latest = stats;
    }

    void registerIn(MeterRegistry registry) {
        List<Meter> added = new ArrayList<>();
        added.add(FunctionCounter.builder("tofu.channel.messages.received", this, m -> m.latest.messagesIn())
                .tags(tags).baseUnit("messages").description("Frames received on this channel").register(registry));
        added.add(FunctionCounter.builder("tofu.channel.messages.sent", this, m -> m.latest.messagesOut())
                .tags(tags).baseUnit("messages").description("Frames fully written on this channel")
                .register(registry));
        added.add(FunctionCounter.builder("tofu.channel.bytes.received", this, m -> m.latest.bytesIn())
                .tags(tags).baseUnit("bytes").description("Wire bytes received on this channel").register(registry));
        added.add(FunctionCounter.builder("tofu.channel.bytes.sent", this, m -> m.latest.bytesOut())
                .tags(tags).baseUnit("bytes").description("Wire bytes written on this channel").register(registry));
        added.add(Gauge.builder("tofu.channel.send.queue", this, m -> m.latest.sendQueueDepth())
                .tags(tags).baseUnit("messages")
                .description("Messages posted to this channel and not yet fully written").register(registry));
        added.forEach(meter -> meters.add(new Registered(registry, meter)));
    }

    void removeFromAll() {
        meters.forEach(Registered::remove);
        meters.clear();
    }
}
