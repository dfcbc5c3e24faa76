package tofu.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import tofu.AmpeStatus;

/**
 * The selector side of the loop: waits for readiness or a wake-up, collects the ready keys, and serves each ready
 * channel and each channel whose transport already holds bytes, so that a failure inside one is that channel's, never
 * the engine's. The action form of {@code select} hands keys straight to a method reference made once: no
 * selected-key set, no iterator, nothing allocated per round.
 *
 * <p>Confined to the engine thread. Owns the selector: closing it at the end silences every channel still registered.
 */
final class ReadyChannels {
    private static final System.Logger LOG = System.getLogger("tofu");
    private static final Consumer<SelectionKey> IGNORE_KEY = key -> { };

    private final EngineThread thread;
    private final int engineId;
    private final Selector selector;
    /** Owns the wake-up pipe's key, which is drained rather than served. */
    private final Inbox inbox;
    private final PendingReads pendingReads;
    private final List<SelectionKey> ready = new ArrayList<>();
    private final Consumer<SelectionKey> onSelected = this::collect;
    private final Consumer<ChannelContext.PendingReader> readPending = this::readPending;

    ReadyChannels(EngineThread thread, int engineId, Selector selector, Inbox inbox, PendingReads pendingReads) {
        this.thread = thread;
        this.engineId = engineId;
        this.selector = selector;
        this.inbox = inbox;
        this.pendingReads = pendingReads;
    }

    /** Collects what is ready now, without waiting; returns how many keys were ready. */
    int selectNow() throws IOException {
        assert thread.isCurrent();
        return selector.selectNow(onSelected);
    }

    /** Waits up to {@code timeoutMillis} for readiness or a wake-up and collects what is ready. */
    void select(long timeoutMillis) throws IOException {
        assert thread.isCurrent();
        selector.select(onSelected, timeoutMillis);
    }

    private void collect(SelectionKey key) {
        if (!inbox.owns(key)) {
            ready.add(key);
            return;
        }
        try {
            inbox.drainWakeUps();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "tofu engine " + engineId + ": draining the wake-up pipe failed", e);
        }
    }

    /** Serves the channels collected by the last selection, then those whose transport holds bytes already read. */
    void serve() {
        assert thread.isCurrent();
        for (int i = 0; i < ready.size(); i++) {
            SelectionKey key = ready.get(i);
            if (key.isValid()) {
                serve((Channel) key.attachment(), key.readyOps());
            }
        }
        ready.clear();
        if (!pendingReads.isEmpty()) {
            pendingReads.serve(readPending);
        }
    }

    private void serve(Channel channel, int readyOps) {
        try {
            channel.onReady(readyOps);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "tofu engine " + engineId + ": unexpected failure on " + channel, e);
            channel.fail(AmpeStatus.PROCESSING_FAILED);
        }
    }

    private void readPending(ChannelContext.PendingReader channel) {
        try {
            channel.readPending();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "tofu engine " + engineId + ": unexpected failure on " + channel, e);
            channel.fail(AmpeStatus.PROCESSING_FAILED);
        }
    }

    /**
     * Makes the operating system really close the sockets of cancelled keys now instead of at the next selection (a
     * registered channel's descriptor is closed only when its key is flushed). Called only between selections. Ready
     * keys it sees are ignored: readiness is level-triggered, so the next selection reports them again.
     */
    void flushCancelledKeys() {
        assert thread.isCurrent();
        try {
            selector.selectNow(IGNORE_KEY);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "flushing cancelled keys failed", e);
        }
    }

    /** Silences every channel still registered and closes the selector; the loop's last step. */
    void close() {
        assert thread.isCurrent();
        try {
            for (SelectionKey key : new ArrayList<>(selector.keys())) {
                if (key.attachment() instanceof Channel) {
                    ((Channel) key.attachment()).abort();
                }
            }
        } catch (ClosedSelectorException ignored) {
            // already closed
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing the selector failed", e);
        }
    }
}
