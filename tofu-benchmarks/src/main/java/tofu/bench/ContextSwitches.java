package tofu.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Context switches of every thread of this process, from Linux's {@code /proc/self/task/<tid>/status}
 * ({@code voluntary_ctxt_switches}: the thread blocked — parked, waited, selected, slept; {@code
 * nonvoluntary_ctxt_switches}: the scheduler preempted it). A hand-off that puts a thread to sleep and wakes it costs
 * a voluntary switch; counting them per message or per round trip shows how often a stack's threads sleep.
 *
 * <p>Names come from {@code comm}, which the JVM sets to the Java thread's name cut to 15 characters. On systems
 * without {@code /proc} every count is zero and {@link #supported()} is false. A snapshot is immutable.
 */
final class ContextSwitches {
    private static final Path TASKS = Path.of("/proc/self/task");
    private static final String VOLUNTARY = "voluntary_ctxt_switches:";
    private static final String INVOLUNTARY = "nonvoluntary_ctxt_switches:";

    /** Per thread id: {voluntary, involuntary}; per thread id: name. */
    private final Map<String, long[]> counts;
    private final Map<String, String> names;

    private ContextSwitches(Map<String, long[]> counts, Map<String, String> names) {
        this.counts = counts;
        this.names = names;
    }

    static boolean supported() {
        return Files.isDirectory(TASKS);
    }

    /** Reads every live thread's counters; threads that end while being read are skipped. */
    static ContextSwitches snapshot() {
        Map<String, long[]> counts = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        if (!supported()) {
            return new ContextSwitches(counts, names);
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                try {
                    long[] c = new long[2];
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith(VOLUNTARY)) {
                            c[0] = Long.parseLong(line.substring(VOLUNTARY.length()).trim());
                        } else if (line.startsWith(INVOLUNTARY)) {
                            c[1] = Long.parseLong(line.substring(INVOLUNTARY.length()).trim());
                        }
                    }
                    String id = task.getFileName().toString();
                    names.put(id, Files.readString(task.resolve("comm")).trim());
                    counts.put(id, c);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended while we read it: it is not counted
                }
            }
        } catch (IOException e) {
            return new ContextSwitches(new HashMap<>(), new HashMap<>());
        }
        return new ContextSwitches(counts, names);
    }

    /** Switches since {@code before}: {voluntary, involuntary} summed over all threads. */
    long[] since(ContextSwitches before) {
        long[] total = new long[2];
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            long[] b = before.counts.getOrDefault(e.getKey(), new long[2]);
            total[0] += e.getValue()[0] - b[0];
            total[1] += e.getValue()[1] - b[1];
        }
        return total;
    }

    /** Switches (both kinds) since {@code before}, per thread name. */
    Map<String, Long> byThread(ContextSwitches before) {
        Map<String, Long> out = new TreeMap<>();
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            long[] b = before.counts.getOrDefault(e.getKey(), new long[2]);
            long n = e.getValue()[0] - b[0] + e.getValue()[1] - b[1];
            if (n > 0) {
                out.merge(names.get(e.getKey()), n, Long::sum);
            }
        }
        return out;
    }
}
