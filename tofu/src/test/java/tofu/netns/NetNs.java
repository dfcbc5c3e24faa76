package tofu.netns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The host side of the network-namespace tests: runs {@code ip}, hands out link numbers, and makes sure nothing
 * outlives the test JVM.
 *
 * <p><b>Names.</b> Every namespace is {@code tofu-<pid>-<n>} and every link end in the root namespace
 * {@code tf<pid>x<n>}, with this JVM's pid: names never collide with another run, and a leftover of a run that died
 * (its pid gone) is recognised and removed by the next run ({@link #cleanLeftovers}), its processes killed first.
 *
 * <p><b>Addresses.</b> Link {@code i} (0..32767) is the /30 at {@code 198.18.0.0 + 4i} and the /64
 * {@code 2001:db8:<i + 1>::/64}: benchmarking and documentation ranges only. Numbers are chosen under a file lock from
 * those not configured in the root namespace, so concurrent runs on one machine do not collide.
 *
 * <p><b>Cleanup.</b> Each {@link TestHost} registers itself here; a JVM shutdown hook closes whatever a test did not
 * (a failing test's {@code close} runs first, the hook catches a JVM that exits early). Thread-safe.
 */
final class NetNs {
    static final String PREFIX = "tofu-";
    private static final long PID = ProcessHandle.current().pid();
    /** One path for every run on the machine (not java.io.tmpdir, which a build may point elsewhere). */
    private static final Path LOCK = Path.of("/tmp/tofu-netns.lock");
    private static final Path ETC_NETNS = Path.of("/etc/netns");
    private static final Pattern NS_NAME = Pattern.compile("tofu-(\\d+)-\\d+");
    private static final Pattern LINK_NAME = Pattern.compile("tf(\\d+)x\\d+");
    private static final long COMMAND_SECONDS = 20;

    private static final Set<TestHost> LIVE = new HashSet<>();
    private static int counter;
    private static String unavailable; // null: not checked yet; "": available
    private static boolean hookAdded;

    private NetNs() {
    }

    /**
     * Skips the calling test (a JUnit assumption, so it is reported as skipped, never as passed) unless this machine
     * lets us make network namespaces: Linux, {@code ip} from iproute2, and the right to use it (root or
     * CAP_NET_ADMIN). Prints the reason in one line, once per JVM.
     */
    static synchronized void assumeAvailable() {
        if (unavailable == null) {
            unavailable = probe();
            if (unavailable.isEmpty()) {
                cleanLeftovers();
            } else {
                System.err.println("tofu netns tests skipped: " + unavailable);
            }
        }
        Assumptions.assumeTrue(unavailable.isEmpty(), () -> "network namespaces not available: " + unavailable);
    }

    private static String probe() {
        if (!System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return "not Linux (" + System.getProperty("os.name") + ")";
        }
        String probe = PREFIX + PID + "-probe";
        try {
            Result add = exec("ip", "netns", "add", probe);
            if (add.code != 0) {
                return "`ip netns add` failed (" + add.output.strip() + "); root or CAP_NET_ADMIN is needed";
            }
            exec("ip", "netns", "del", probe);
            return "";
        } catch (IOException e) {
            return "cannot run `ip` (" + e.getMessage() + "); install iproute2";
        }
    }

    /** A new namespace name and root-side link name, {@code [namespace, link]}. Adds the shutdown hook. */
    static synchronized String[] newNames() {
        if (!hookAdded) {
            hookAdded = true;
            Runtime.getRuntime().addShutdownHook(new Thread(NetNs::closeAll, "tofu-netns-cleanup"));
        }
        int n = counter++;
        return new String[] {PREFIX + PID + "-" + n, "tf" + PID + "x" + n};
    }

    static synchronized void register(TestHost host) {
        LIVE.add(host);
    }

    static synchronized void unregister(TestHost host) {
        LIVE.remove(host);
    }

    private static void closeAll() {
        List<TestHost> left;
        synchronized (NetNs.class) {
            left = new ArrayList<>(LIVE);
        }
        for (TestHost host : left) {
            host.close();
        }
    }

    /**
     * Runs {@code action} while holding the machine-wide address lock (a file lock, plus this JVM's monitor: a file
     * lock is per process), so choosing a free link number and configuring it are one step for every run.
     */
    static synchronized <T> T withAddressLock(IoSupplier<T> action) {
        try (FileChannel f = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = f.lock()) {
            return action.get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Link numbers whose IPv4 /30 is configured in the root namespace now. Call under the address lock. */
    static Set<Integer> linkIndexesInUse() throws IOException {
        Set<Integer> used = new HashSet<>();
        Matcher m = Pattern.compile("inet 198\\.(18|19)\\.(\\d+)\\.(\\d+)/").matcher(run("ip", "-o", "-4", "addr"));
        while (m.find()) {
            int offset = (Integer.parseInt(m.group(1)) - 18) * 65536 + Integer.parseInt(m.group(2)) * 256
                    + Integer.parseInt(m.group(3));
            used.add(offset / 4);
        }
        return used;
    }

    /**
     * Removes what runs that died left behind: namespaces (after killing their processes), root-side links and
     * {@code /etc/netns} folders whose pid is no longer alive. Best effort; runs once per JVM.
     */
    static void cleanLeftovers() {
        try {
            for (String line : run("ip", "netns", "list").split("\n")) {
                String name = line.strip().split(" ")[0];
                Matcher m = NS_NAME.matcher(name);
                if (m.matches() && !alive(m.group(1))) {
                    deleteNamespace(name);
                }
            }
            for (String line : run("ip", "-o", "link").split("\n")) {
                String[] parts = line.split(":\\s+");
                if (parts.length > 1) {
                    String name = parts[1].split("@")[0];
                    Matcher m = LINK_NAME.matcher(name);
                    if (m.matches() && !alive(m.group(1))) {
                        exec("ip", "link", "del", name);
                    }
                }
            }
            if (Files.isDirectory(ETC_NETNS)) {
                try (Stream<Path> dirs = Files.list(ETC_NETNS)) {
                    for (Path dir : (Iterable<Path>) dirs::iterator) {
                        Matcher m = NS_NAME.matcher(dir.getFileName().toString());
                        if (m.matches() && !alive(m.group(1))) {
                            deleteTree(dir);
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("tofu netns: cleaning leftovers of earlier runs failed: " + e);
        }
    }

    private static boolean alive(String pid) {
        return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Kills every process inside namespace {@code name}, then deletes it (its veth pairs go with it). */
    static void deleteNamespace(String name) throws IOException {
        Result pids = exec("ip", "netns", "pids", name);
        if (pids.code == 0) { // not 0: no such namespace
            for (String pid : pids.output.split("\\s+")) {
                if (!pid.isBlank()) {
                    ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
        exec("ip", "netns", "del", name);
        synchronized (NetNs.class) {
            deleteTree(ETC_NETNS.resolve(name));
            try {
                Files.deleteIfExists(ETC_NETNS); // only if empty: /etc/netns is not ours to keep
            } catch (DirectoryNotEmptyException othersStillThere) {
                // another namespace's files: they go with it
            }
        }
    }

    /** Writes {@code text} to {@code /etc/netns/<namespace>/<file>} (under this class's lock, see deleteNamespace). */
    static synchronized void writeEtc(String namespace, String file, String text) throws IOException {
        Path dir = ETC_NETNS.resolve(namespace);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(file), text);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Runs a command that must succeed; returns its output (stdout and stderr). */
    static String run(String... command) throws IOException {
        Result r = exec(command);
        if (r.code != 0) {
            throw new IOException(String.join(" ", command) + " failed with " + r.code + ": " + r.output.strip());
        }
        return r.output;
    }

    /** Runs a command, at most {@link #COMMAND_SECONDS}; returns its exit code and output. */
    static Result exec(String... command) throws IOException {
        Path out = Files.createTempFile("tofu-netns-", ".out");
        Process p = null;
        try {
            // Output to a file, not a pipe: a command that hangs cannot block us on a read, only on the bounded wait.
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + COMMAND_SECONDS + " s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", command), e);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** What a command returned. */
    record Result(int code, String output) {
    }

    /** An action that may throw IOException. */
    interface IoSupplier<T> {
        T get() throws IOException;
    }
}
