package tofu.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * {@code tofu listen} in a child JVM with a capped heap, run from this test's class path (the same classes the jar
 * holds; the jar itself is packaged after the tests run). {@code -XX:+ExitOnOutOfMemoryError} turns an
 * {@code OutOfMemoryError} on any thread into the death of the child, which {@link #assertAlive} reports with what the
 * child printed. {@link #close()} ends it the way Ctrl-C does (SIGTERM runs the shutdown hook), killing it only if
 * that takes longer than the bound. One test thread drives it; the reader threads only append.
 */
final class ChildListen implements AutoCloseable {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(Background.WAIT_SECONDS);

    private final Process process;
    private final List<String> stdout = new ArrayList<>();
    private final StringBuilder stderr = new StringBuilder();

    private ChildListen(Process process) {
        this.process = process;
        pump(process.getInputStream(), "listen-stdout", line -> {
            synchronized (stdout) {
                stdout.add(line);
            }
        });
        pump(process.getErrorStream(), "listen-stderr", line -> {
            synchronized (stderr) {
                stderr.append(line).append('\n');
            }
        });
    }

    /** Starts {@code tofu listen <args>} with {@code -Xmx<maxHeap>}. */
    static ChildListen start(String maxHeap, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "listen"));
        command.addAll(List.of(args));
        try {
            return new ChildListen(new ProcessBuilder(command).start());
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

    /** The address from the {@code listening on <address>} line, waiting for it (bounded). */
    String address() {
        return awaitLine(l -> l.startsWith("listening on "), "its listening line").split(" ")[2];
    }

    /** Like {@link #awaitLine(int, Predicate, String)} from the first line printed. */
    String awaitLine(Predicate<String> match, String what) {
        return awaitLine(0, match, what);
    }

    /**
     * Waits (bounded) until a stdout line that {@code match} accepts has been printed as line {@code from} (counting
     * from 0) or later, and returns the first such; fails with the child's output if none comes or the child dies.
     */
    String awaitLine(int from, Predicate<String> match, String what) {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (true) {
            List<String> found = lines(from, match);
            if (!found.isEmpty()) {
                return found.get(0);
            }
            assertAlive("while waiting for " + what);
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the child did not print " + what + " within " + Background.WAIT_SECONDS
                        + " s; " + transcript());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** Every stdout line so far that {@code match} accepts. */
    List<String> lines(Predicate<String> match) {
        return lines(0, match);
    }

    /** Every stdout line from line {@code from} on that {@code match} accepts. */
    List<String> lines(int from, Predicate<String> match) {
        synchronized (stdout) {
            return stdout.subList(Math.min(from, stdout.size()), stdout.size()).stream().filter(match)
                    .collect(Collectors.toList());
        }
    }

    /** How many stdout lines were printed so far. */
    int lineCount() {
        synchronized (stdout) {
            return stdout.size();
        }
    }

    /** Fails the test if the child has ended or reported an OutOfMemoryError, with what it printed. */
    void assertAlive(String when) {
        boolean oom = stderr().contains("OutOfMemoryError") || !lines(l -> l.contains("OutOfMemoryError")).isEmpty();
        if (!process.isAlive() || oom) {
            throw new AssertionError("tofu listen died or ran out of memory " + when + "; " + transcript());
        }
    }

    /** Like {@link #assertAlive}, for a failure a dying child may have caused: gives it a moment to finish dying. */
    void assertAliveOr(Throwable cause) throws InterruptedException {
        process.waitFor(2, TimeUnit.SECONDS);
        try {
            assertAlive("(the likely cause of the failure attached)");
        } catch (AssertionError dead) {
            dead.initCause(cause);
            throw dead;
        }
    }

    private String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    private String transcript() {
        List<String> last;
        synchronized (stdout) {
            last = new ArrayList<>(stdout.subList(Math.max(0, stdout.size() - 6), stdout.size()));
        }
        return "alive=" + process.isAlive() + (process.isAlive() ? "" : ", exit code " + process.exitValue())
                + "; last stdout lines: " + last + "; stderr: " + stderr();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(Background.WAIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(Background.WAIT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
