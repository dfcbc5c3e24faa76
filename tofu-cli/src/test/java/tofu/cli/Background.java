package tofu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A command line running on its own thread, e.g. {@code tofu listen}, with its output watched line by line. Every
 * wait is bounded; {@link #close()} interrupts the command and waits for its thread.
 */
final class Background implements AutoCloseable {
    /** Generous bound for any single wait: the machine is small and shared. */
    static final long WAIT_SECONDS = 20;

    private final LineWriter out = new LineWriter();
    private final LineWriter err = new LineWriter();
    private final Thread thread;
    private volatile Integer exitCode;

    private Background(String... args) {
        thread = new Thread(() -> exitCode = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args),
                "test-" + args[0]);
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts {@code args} on a new thread. */
    static Background start(String... args) {
        return new Background(args);
    }

    /** Starts {@code tofu listen <address> <options>} and returns it once it prints its actual address. */
    static Background listen(String address, String... options) throws InterruptedException {
        String[] args = new String[options.length + 2];
        args[0] = "listen";
        args[1] = address;
        System.arraycopy(options, 0, args, 2, options.length);
        return start(args);
    }

    /**
     * Waits for the line {@code listening on <address>} and returns the address; fails the test if the command ends
     * or nothing comes in time.
     */
    String address() throws InterruptedException {
        return awaitLine(line -> line.startsWith("listening on ")).split(" ")[2];
    }

    /**
     * Waits for the next stdout line that {@code match} accepts, skipping (consuming) the lines before it; fails the
     * test if none comes within {@link #WAIT_SECONDS}.
     */
    String awaitLine(Predicate<String> match) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            String line = out.lines().poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(line).as("an awaited line; stdout: %s; stderr: %s", out.text(), err.text()).isNotNull();
            if (match.test(line)) {
                return line;
            }
        }
    }

    /** Waits for the command to end by itself and returns its exit code. */
    int awaitExit() throws InterruptedException {
        thread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertThat(thread.isAlive()).as("command still running; output: %s", out.text()).isFalse();
        return exitCode;
    }

    /** Interrupts the command (as Ctrl-C does to a process) and returns its exit code once it has ended. */
    int interruptAndAwaitExit() throws InterruptedException {
        thread.interrupt();
        return awaitExit();
    }

    /** Returns what the command printed on stdout so far. */
    String out() {
        return out.text();
    }

    /** Returns what the command printed on stderr so far. */
    String err() {
        return err.text();
    }

    /** Interrupts the command if it still runs and waits for its thread. */
    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while stopping the command", e);
        }
        assertThat(thread.isAlive()).as("command thread stopped").isFalse();
    }
}
