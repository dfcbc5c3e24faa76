package tofu.netns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tofu.Reactor;

/**
 * A {@link PeerMain} child JVM running inside a {@link TestHost}'s namespace ({@code ip netns exec}, which execs, so
 * this process is the JVM itself). Commands go to its stdin, one per line; its stdout lines that start with
 * {@code EVT } are events, everything else (its stderr included) is kept for {@link #transcript()}.
 *
 * <p>{@link #await} takes the first event of a kind not taken yet, so events are never missed by asking late; every
 * wait is bounded by {@link #WAIT_NANOS} and fails with the whole transcript. The child exits when its stdin closes,
 * so even a test JVM killed with SIGKILL leaves no peer behind. Used by one test thread; the reader thread only
 * appends.
 */
final class PeerProcess {
    /** Bound of every wait for an event (a child JVM starting on a busy 2-core machine takes seconds). */
    static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Process process;
    private final OutputStream stdin;
    private final List<String> transcript = new ArrayList<>();
    private final List<List<String>> events = new ArrayList<>();
    private boolean ended;

    private PeerProcess(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        Thread reader = new Thread(this::readOutput, "netns-peer-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a peer inside {@code namespace}. */
    static PeerProcess start(String namespace, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // a small, quick-starting JVM: the peer is a thin tofu application
                "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-ea",
                "-cp", classPath(), PeerMain.class.getName()));
        command.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new PeerProcess(p);
    }

    /** The library's classes and the test classes (PeerMain needs nothing else). */
    private static String classPath() {
        return location(Reactor.class) + java.io.File.pathSeparator + location(PeerMain.class);
    }

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private void readOutput() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (this) {
                    transcript.add(line);
                    if (line.startsWith("EVT ")) {
                        events.add(List.of(line.substring(4).split(" ")));
                    }
                    notifyAll();
                }
            }
        } catch (IOException e) {
            synchronized (this) {
                transcript.add("(reading the peer's output failed: " + e + ")");
            }
        } finally {
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }

    /** Sends one command line. */
    void send(String command) {
        try {
            stdin.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("peer gone? " + transcript(), e);
        }
    }

    /**
     * Waits for the first event {@code kind} not taken yet, takes it and returns its words after the kind. Fails after
     * {@link #WAIT_NANOS} or when the peer's output ends first.
     */
    synchronized List<String> await(String kind) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (true) {
            List<String> found = take(kind);
            if (found != null) {
                return found;
            }
            long left = deadline - System.nanoTime();
            if (ended || left <= 0) {
                String why = ended ? " (the peer's output ended)"
                        : " within " + TimeUnit.NANOSECONDS.toSeconds(WAIT_NANOS) + " s";
                throw new AssertionError("peer event '" + kind + "' did not come" + why + "; transcript:\n"
                        + transcript());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Takes every event {@code kind} that has come so far, in order. */
    synchronized List<List<String>> takeAll(String kind) {
        List<List<String>> all = new ArrayList<>();
        List<String> e;
        while ((e = take(kind)) != null) {
            all.add(e);
        }
        return all;
    }

    private List<String> take(String kind) {
        for (Iterator<List<String>> it = events.iterator(); it.hasNext(); ) {
            List<String> e = it.next();
            if (e.get(0).equals(kind)) {
                it.remove();
                return e.subList(1, e.size());
            }
        }
        return null;
    }

    /** Everything the peer printed so far. */
    synchronized String transcript() {
        return String.join("\n", transcript);
    }

    /** The peer's pid (the JVM's: {@code ip netns exec} execs it). */
    long pid() {
        return process.pid();
    }

    /** Kills the peer (SIGKILL) and waits for it to be gone: its host stops answering only if its link is down. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("peer " + process.pid() + " still alive 10 s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
