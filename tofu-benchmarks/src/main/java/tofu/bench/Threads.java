package tofu.bench;

import java.util.concurrent.TimeUnit;

/** Starting and joining the benchmark's own threads, with bounded waits so a stuck stack fails instead of hanging. */
final class Threads {
    static final long JOIN_MILLIS = 10_000;

    private Threads() {
    }

    /** Starts a daemon thread; failures inside are kept for {@link Worker#join()}. */
    static Worker start(String name, ThrowingRunnable body) {
        Worker w = new Worker(name, body);
        w.thread.start();
        return w;
    }

    /** Code that may throw. */
    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** A started thread whose failure is rethrown by {@link #join()}. */
    static final class Worker {
        final Thread thread;
        private volatile Throwable failure;

        private Worker(String name, ThrowingRunnable body) {
            this.thread = new Thread(() -> {
                try {
                    body.run();
                } catch (Throwable t) {
                    failure = t;
                }
            }, name);
            thread.setDaemon(true);
        }

        /**
         * Waits (bounded) for the thread to end and rethrows what it threw, wrapped if checked. An interrupt of the
         * caller is kept (flag set) and reported as a failure.
         */
        void join() {
            try {
                thread.join(JOIN_MILLIS);
                if (thread.isAlive()) {
                    thread.interrupt();
                    thread.join(TimeUnit.SECONDS.toMillis(1));
                    throw new IllegalStateException(thread.getName() + " did not stop within " + JOIN_MILLIS + " ms");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + thread.getName(), e);
            }
            Throwable t = failure;
            if (t instanceof RuntimeException) {
                throw (RuntimeException) t;
            }
            if (t instanceof Error) {
                throw (Error) t;
            }
            if (t != null) {
                throw new IllegalStateException(thread.getName() + " failed", t);
            }
        }
    }
}
