package tofu.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Resolves host names off the engine thread: a DNS lookup may block for seconds and must never stall the engine.
 * The lookup runs on one daemon thread ({@code tofu-resolver-<n>}, started on first use); the result comes back to
 * the engine thread as a command. Methods are called on the engine thread.
 */
final class Resolver implements ChannelOpener.HostLookup {
    private final EngineThread thread;
    private final int engineId;
    private final Inbox inbox;
    private ExecutorService executor;

    Resolver(EngineThread thread, int engineId, Inbox inbox) {
        this.thread = thread;
        this.engineId = engineId;
        this.inbox = inbox;
    }

    /** Looks {@code host} up and runs {@code then} on the engine thread with the address, or null if unknown. */
    @Override
    public void resolve(String host, Consumer<InetAddress> then) {
        assert thread.isCurrent();
        if (executor == null) {
            executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "tofu-resolver-" + engineId);
                t.setDaemon(true);
                return t;
            });
        }
        executor.execute(() -> {
            InetAddress address;
            try {
                address = InetAddress.getByName(host);
            } catch (UnknownHostException | SecurityException e) {
                address = null;
            }
            inbox.send(new Command.Resolved(then, address));
        });
    }

    /** Stops the lookup thread; a lookup under way is abandoned. */
    void close() {
        assert thread.isCurrent();
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
