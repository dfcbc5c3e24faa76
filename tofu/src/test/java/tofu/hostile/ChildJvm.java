package tofu.hostile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import tofu.support.Peers;

/**
 * A server in a child JVM with a capped heap, started from this test's class path, so the question "does the server's
 * memory stay bounded" has a hard answer: {@code -XX:+ExitOnOutOfMemoryError} turns any {@code OutOfMemoryError} (on
 * any thread, the engine's included) into the death of the child, which {@link #assertAlive} reports with the child's
 * stderr. Its stdout is collected line by line for {@link #awaitLine}; {@link #send} writes a line to its stdin.
 * {@link #close()} closes stdin (the child's cue to end), then waits (bounded) and kills it if it has not ended.
 * One test thread drives it; the reader threads only append.
 */
final class ChildJvm implements AutoCloseable {
    private static final long EXIT_WAIT_SECONDS = 10;

    private final Process process;
    private final OutputStream stdin;
    private final LinkedBlockingQueue<String> unread = new LinkedBlockingQueue<>();
    private final List<String> stdout = new ArrayList<>();
    private final StringBuilder stderr = new StringBuilder();

    private ChildJvm(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        pump(process.getInputStream(), "child-stdout", line -> {
            synchronized (stdout) {
                stdout.add(line);
            }
            unread.add(line);
        });
        pump(process.getErrorStream(), "child-stderr", line -> {
            synchronized (stderr) {
                stderr.append(line).append('\n');
            }
        });
    }

    /** Starts {@code main} with {@code args} in a new JVM with {@code -Xmx<maxHeap>} and this JVM's class path. */
    static ChildJvm start(String maxHeap, Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-XX:+ExitOnOutOfMemoryError", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        try {
            return new ChildJvm(new ProcessBuilder(command).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pump(InputStream from, String name, Consumer<String> sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(from, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                // the child ended; what it printed is already collected
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    /** Waits for the next unread stdout line {@code match} accepts (skipping others); fails with the transcript. */
    String awaitLine(Predicate<String> match, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Peers.WAIT_NANOS;
        while (true) {
            String line = unread.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("the child did not print " + what + " within "
                        + TimeUnit.NANOSECONDS.toSeconds(Peers.WAIT_NANOS) + " s; " + transcript());
            }
            if (match.test(line)) {
                return line;
            }
        }
    }

    /** Every stdout line so far that {@code match} accepts, read or not. */
    List<String> linesMatching(Predicate<String> match) {
        synchronized (stdout) {
            return stdout.stream().filter(match).collect(Collectors.toList());
        }
    }

    /** Writes {@code line} to the child's stdin. */
    void send(String line) {
        try {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new AssertionError("cannot write to the child: " + transcript(), e);
        }
    }

    /** Fails the test if the child has ended (an OutOfMemoryError ends it), with its exit code and stderr. */
    void assertAlive(String when) {
        if (!process.isAlive()) {
            throw new AssertionError("the child JVM died " + when + " (exit code " + process.exitValue() + "); "
                    + transcript());
        }
        if (ranOutOfMemory()) {
            throw new AssertionError("the child JVM ran out of memory " + when + "; " + transcript());
        }
    }

    /**
     * Called with a test failure that a dying child may have caused (its connections dropped): gives the child a
     * moment to finish dying, and if it died, fails with its exit code and stderr, {@code cause} attached.
     */
    void assertAliveOr(Throwable cause) throws InterruptedException {
        process.waitFor(2, TimeUnit.SECONDS);
        if (!process.isAlive() || ranOutOfMemory()) {
            throw new AssertionError("the child JVM died or ran out of memory (exit code "
                    + (process.isAlive() ? "none yet" : process.exitValue()) + "); " + transcript(), cause);
        }
    }

    /** True if the JVM reported an OutOfMemoryError (ExitOnOutOfMemoryError prints on stdout, a stack on stderr). */
    private boolean ranOutOfMemory() {
        return stderr().contains("OutOfMemoryError") || !linesMatching(l -> l.contains("OutOfMemoryError")).isEmpty();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    private String transcript() {
        List<String> out;
        synchronized (stdout) {
            out = new ArrayList<>(stdout.subList(Math.max(0, stdout.size() - 10), stdout.size()));
        }
        return "alive=" + process.isAlive() + "; last stdout lines: " + out + "; stderr: " + stderr();
    }

    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // the child is gone already
        }
        try {
            if (!process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
