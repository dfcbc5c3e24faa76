package tofu.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C (SIGINT) and SIGTERM for a command that runs until stopped: the JVM's shutdown hook runs {@code stop}
 * (which must wake the command's thread, e.g. by closing its engine or listener), then waits a bounded time for the
 * command to finish printing (its summary) before the JVM halts with the signal's exit code (130 for SIGINT).
 *
 * <p>Installed and closed by the command's thread; the hook runs on a thread of the JVM's. {@link #close()} removes
 * the hook when the command ends on its own.
 */
public final class ShutdownHook implements AutoCloseable {
    /** How long the hook waits for the command to print its summary. */
    private static final long WAIT_MILLIS = 2000;

    private final Thread hook;
    private final AtomicBoolean fired = new AtomicBoolean();

    private ShutdownHook(Runnable stop, CountDownLatch finished) {
        this.hook = new Thread(() -> {
            fired.set(true);
            stop.run();
            try {
                finished.await(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tofu-shutdown");
    }

    /**
     * Installs a hook that runs {@code stop} and then waits for {@code finished} (counted down by the command once
     * it has printed what it has to print).
     */
    public static ShutdownHook install(Runnable stop, CountDownLatch finished) {
        ShutdownHook h = new ShutdownHook(stop, finished);
        Runtime.getRuntime().addShutdownHook(h.hook);
        return h;
    }

    /** Returns true if the hook has run: the process is being stopped by a signal. */
    public boolean fired() {
        return fired.get();
    }

    /** Removes the hook, unless the JVM is already running it. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down and the hook is running: nothing to remove.
        }
    }
}
