package tofu.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Heap bytes allocated and CPU time used by every live thread of the process — application threads, the
 * tofu-reactor-* engine threads, Netty event loops, JeroMQ I/O threads — between two snapshots, from HotSpot's
 * per-thread counters ({@code com.sun.management.ThreadMXBean}).
 *
 * <p>CPU time per message is the load-independent twin of throughput: on a shared machine a stack's rate depends on
 * how much CPU the scheduler gives it, its CPU cost per message much less so. A thread born inside the window counts
 * in full; one that died inside it is missed (the benchmark's threads all outlive their windows). The snapshots
 * themselves allocate a few kilobytes on the calling thread, noise against a window's messages. Context switches come
 * from {@link ContextSwitches} (Linux {@code /proc}).
 */
final class ThreadMeter {
    private static final com.sun.management.ThreadMXBean MX =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final Map<Long, long[]> start;
    private final ContextSwitches switches;

    private ThreadMeter(Map<Long, long[]> start, ContextSwitches switches) {
        this.start = start;
        this.switches = switches;
    }

    /**
     * Takes the opening snapshot. The context switches are read first here and last in {@link #stop()}: reading
     * {@code /proc} allocates and costs CPU, which must stay outside the allocation and CPU figures.
     */
    static ThreadMeter start() {
        ContextSwitches switches = ContextSwitches.snapshot();
        return new ThreadMeter(snapshot(), switches);
    }

    private static Map<Long, long[]> snapshot() {
        long[] ids = MX.getAllThreadIds();
        long[] bytes = MX.getThreadAllocatedBytes(ids);
        long[] cpu = MX.getThreadCpuTime(ids);
        Map<Long, long[]> m = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0 && cpu[i] >= 0) {
                m.put(ids[i], new long[] {bytes[i], cpu[i]});
            }
        }
        return m;
    }

    /** What happened since {@link #start()}. */
    Usage stop() {
        Map<Long, long[]> end = snapshot();
        ContextSwitches endSwitches = ContextSwitches.snapshot();
        long bytes = 0;
        long cpu = 0;
        Map<String, Long> cpuByThread = new TreeMap<>();
        for (Map.Entry<Long, long[]> e : end.entrySet()) {
            long[] s = start.getOrDefault(e.getKey(), new long[2]);
            long b = e.getValue()[0] - s[0];
            long c = e.getValue()[1] - s[1];
            bytes += b;
            cpu += c;
            if (c > 0) {
                ThreadInfo info = MX.getThreadInfo(e.getKey());
                String name = info == null ? "thread-" + e.getKey() : info.getThreadName();
                cpuByThread.merge(name, c, Long::sum);
            }
        }
        long[] cs = endSwitches.since(switches);
        return new Usage(bytes, cpu, cpuByThread, cs[0], cs[1], endSwitches.byThread(switches));
    }

    /**
     * Totals over all threads: bytes allocated, CPU nanoseconds (and per thread name), context switches voluntary and
     * involuntary (and per thread name, cut to 15 characters).
     */
    record Usage(long allocatedBytes, long cpuNanos, Map<String, Long> cpuByThread, long voluntarySwitches,
                 long involuntarySwitches, Map<String, Long> switchesByThread) {
        /** Context switches of both kinds. */
        long switches() {
            return voluntarySwitches + involuntarySwitches;
        }

        /** "name 1.2, ..." context switches per unit of work, largest first, threads under 2% of the total left out. */
        String switchBreakdown(double units) {
            long total = switches();
            StringBuilder sb = new StringBuilder();
            switchesByThread.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .filter(e -> e.getValue() * 50 >= total)
                    .forEach(e -> sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                            .append(String.format(Locale.ROOT, "%.2f", e.getValue() / Math.max(1e-9, units))));
            return sb.toString();
        }

        /** "name 123 ns, ..." per unit of work, largest first, threads under 2% of the total left out. */
        String cpuBreakdown(long units) {
            StringBuilder sb = new StringBuilder();
            cpuByThread.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .filter(e -> e.getValue() * 50 >= cpuNanos)
                    .forEach(e -> sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                            .append(e.getValue() / Math.max(1, units)).append(" ns"));
            return sb.toString();
        }
    }
}
