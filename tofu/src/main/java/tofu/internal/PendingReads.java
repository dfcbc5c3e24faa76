package tofu.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Channels whose transport holds bytes already taken from the socket ({@link ByteTransport#readPending()}): the
 * selector will not report them readable, so the loop serves them itself in its next round and does not sleep while
 * any wait. Each channel is listed at most once. Engine thread only (asserted).
 */
final class PendingReads {
    private final EngineThread thread;
    private List<ChannelContext.PendingReader> waiting = new ArrayList<>();
    private List<ChannelContext.PendingReader> serving = new ArrayList<>();

    PendingReads(EngineThread thread) {
        this.thread = thread;
    }

    /** Lists a channel for the next round. */
    void add(ChannelContext.PendingReader channel) {
        assert thread.isCurrent();
        if (!channel.readListed()) {
            channel.readListed(true);
            waiting.add(channel);
        }
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    /** Serves every listed channel; a channel that still holds bytes afterwards lists itself again. */
    void serve(Consumer<ChannelContext.PendingReader> read) {
        assert thread.isCurrent();
        List<ChannelContext.PendingReader> now = waiting;
        waiting = serving;
        serving = now;
        for (int i = 0; i < now.size(); i++) {
            ChannelContext.PendingReader channel = now.get(i);
            channel.readListed(false);
            read.accept(channel);
        }
        now.clear();
    }
}
