package tofu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The {@code tofu} command run as a user runs it: {@code bin/tofu} (or any command line) in a process of its own,
 * stdout and stderr read line by line as they come, signals sent with {@code kill}. Every wait is bounded;
 * {@link #close()} kills the process if it still runs.
 */
final class TofuProcess implements AutoCloseable {
    private final Process process;
    private final LineWriter out = new LineWriter();
    private final LineWriter err = new LineWriter();
    private final List<Thread> pumps = new ArrayList<>();

    private TofuProcess(Process process) {
        this.process = process;
        pumps.add(pump(process.getInputStream(), out));
        pumps.add(pump(process.getErrorStream(), err));
    }

    /** The launcher of this checkout, running the jar this build made. */
    static Path launcher() {
        return Path.of(System.getProperty("tofu.launcher"));
    }

    /** Runs {@code bin/tofu args} in {@code cwd}, with the jar of this build and extra environment {@code env}. */
    static TofuProcess tofu(Path cwd, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(launcher().toString());
        command.addAll(List.of(args));
        Map<String, String> all = new java.util.HashMap<>(env);
        all.putIfAbsent("TOFU_JAR", System.getProperty("tofu.jar"));
        return start(cwd, all, command);
    }

    /** Runs any command line in {@code cwd} with extra environment {@code env}. */
    static TofuProcess start(Path cwd, Map<String, String> env, List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close(); // no standard input, as in CI
        return new TofuProcess(p);
    }

    private static Thread pump(InputStream in, LineWriter sink) {
        Thread t = new Thread(() -> {
            try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                char[] buf = new char[4096];
                int n;
                while ((n = r.read(buf)) >= 0) {
                    sink.write(buf, 0, n);
                }
            } catch (IOException e) {
                // The process ended.
            }
        }, "process-pump");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits for a stdout line that {@code match} accepts (skipping earlier ones); fails the test after the bound. */
    String awaitLine(Predicate<String> match) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Background.WAIT_SECONDS);
        while (true) {
            String line = out.lines().poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(line).as("an awaited line; stdout: %s; stderr: %s", out.text(), err.text()).isNotNull();
            if (match.test(line)) {
                return line;
            }
        }
    }

    /** Waits for the process to end (and its output to be read) and returns its exit code. */
    int awaitExit() throws InterruptedException {
        boolean ended = process.waitFor(Background.WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(ended).as("process still running; stdout: %s; stderr: %s", out.text(), err.text()).isTrue();
        for (Thread t : pumps) {
            t.join(TimeUnit.SECONDS.toMillis(Background.WAIT_SECONDS));
        }
        return process.exitValue();
    }

    /** Sends a signal by name ({@code INT}, {@code TERM}) to the process. */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    String out() {
        return out.text();
    }

    String err() {
        return err.text();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
