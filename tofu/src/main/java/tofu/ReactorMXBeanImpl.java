package tofu;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * The MXBean behind {@link ReactorJmx}: each attribute read asks the engine for a snapshot. After the engine closed,
 * the last snapshot read answers. Thread-safe: JMX calls come from any thread.
 */
final class ReactorMXBeanImpl implements ReactorMXBean {
    private final Reactor reactor;
    private volatile EngineStats last;
    private volatile boolean running = true;

    ReactorMXBeanImpl(Reactor reactor) {
        this.reactor = reactor;
    }

    /** A fresh snapshot, the last one once the engine is closed, null if it closed before any was taken. */
    private EngineStats snapshot() {
        if (running) {
            try {
                last = reactor.stats();
            } catch (AmpeException e) {
                if (e.status() != AmpeStatus.SHUTDOWN_STARTED) {
                    throw e;
                }
                running = false;
            }
        }
        return last;
    }

    private long figure(ToLongFunction<EngineStats> f) {
        EngineStats s = snapshot();
        return s == null ? 0 : f.applyAsLong(s);
    }

    @Override
    public boolean isRunning() {
        snapshot();
        return running;
    }

    @Override
    public long getUptimeMillis() {
        return figure(s -> s.uptime().toMillis());
    }

    @Override
    public long getMessagesIn() {
        return figure(EngineStats::messagesIn);
    }

    @Override
    public long getMessagesOut() {
        return figure(EngineStats::messagesOut);
    }

    @Override
    public long getBytesIn() {
        return figure(EngineStats::bytesIn);
    }

    @Override
    public long getBytesOut() {
        return figure(EngineStats::bytesOut);
    }

    @Override
    public long getReturnedTotal() {
        return figure(EngineStats::returnedTotal);
    }

    @Override
    public Map<String, Long> getReturnedByStatus() {
        EngineStats s = snapshot();
        Map<String, Long> byName = new TreeMap<>();
        if (s != null) {
            s.returnedByStatus().forEach((status, count) -> byName.put(status.name(), count));
        }
        return byName;
    }

    @Override
    public int getPoolSize() {
        return (int) figure(EngineStats::poolSize);
    }

    @Override
    public long getPoolMisses() {
        return figure(EngineStats::poolMisses);
    }

    @Override
    public int getGroups() {
        return (int) figure(EngineStats::groups);
    }

    @Override
    public int getListeners() {
        return (int) figure(EngineStats::listeners);
    }

    @Override
    public int getIoChannels() {
        return (int) figure(EngineStats::ioChannels);
    }

    @Override
    public int getPendingHandshakes() {
        return (int) figure(EngineStats::pendingHandshakes);
    }

    @Override
    public long getReceiveAllocations() {
        return figure(s -> s.limits().receiveAllocations());
    }

    @Override
    public int getEngineAllocatedOut() {
        return (int) figure(s -> s.limits().engineAllocatedOut());
    }

    @Override
    public long getSendQueueRefusals() {
        return figure(s -> s.limits().sendQueueRefusals());
    }

    @Override
    public long getFrameTimeouts() {
        return figure(s -> s.limits().frameTimeouts());
    }

    @Override
    public List<ChannelInfo> getChannels() {
        EngineStats s = snapshot();
        if (s == null || !running) {
            return List.of();
        }
        return s.channels().stream().<ChannelInfo>map(Channel::new).toList();
    }

    /** One channel's figures as the MXBean shows them. */
    private record Channel(ChannelStats c) implements ChannelInfo {
        @Override
        public int getChannelNumber() {
            return c.channelNumber();
        }

        @Override
        public String getKind() {
            return c.kind().name();
        }

        @Override
        public String getAddress() {
            return c.address();
        }

        @Override
        public long getMessagesIn() {
            return c.messagesIn();
        }

        @Override
        public long getMessagesOut() {
            return c.messagesOut();
        }

        @Override
        public long getBytesIn() {
            return c.bytesIn();
        }

        @Override
        public long getBytesOut() {
            return c.bytesOut();
        }

        @Override
        public int getSendQueueDepth() {
            return c.sendQueueDepth();
        }

        @Override
        public String getReadState() {
            return c.readState().name();
        }
    }
}
