package tofu.hostile;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import tofu.support.Peers;

/**
 * Runs a task over and over on its own thread until closed, e.g. good traffic while a test attacks the same engine.
 * {@link #close()} stops it (after the current iteration), joins it (bounded) and rethrows the first failure.
 */
final class Background implements AutoCloseable {
    /** One iteration of the background work. */
    interface Task {
        void run() throws Exception;
    }

    private final Thread thread;
    private volatile boolean stop;
    private volatile Throwable failure;
    private volatile long iterations;

    private Background(String name, Task task) {
        thread = new Thread(() -> {
            try {
                while (!stop) {
                    task.run();
                    iterations++;
                }
            } catch (Throwable t) {
                failure = t;
            }
        }, name);
        thread.setDaemon(true);
    }

    /** Starts running {@code task} repeatedly. */
    static Background run(String name, Task task) {
        Background b = new Background(name, task);
        b.thread.start();
        return b;
    }

    /** Starts running {@code task} repeatedly, {@code pauseMillis} apart (pacing, so it shares the cores). */
    static Background paced(String name, long pauseMillis, Task task) {
        return run(name, () -> {
            task.run();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMillis));
        });
    }

    /** True once an iteration has failed (the task no longer runs; {@link #close()} rethrows the failure). */
    boolean failed() {
        return failure != null;
    }

    /** Completed iterations so far. */
    long iterations() {
        return iterations;
    }

    @Override
    public void close() {
        stop = true;
        try {
            thread.join(TimeUnit.NANOSECONDS.toMillis(Peers.WAIT_NANOS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
            throw new AssertionError(thread.getName() + " did not finish within the bound");
        }
        if (failure != null) {
            throw new AssertionError(thread.getName() + " failed", failure);
        }
    }
}
