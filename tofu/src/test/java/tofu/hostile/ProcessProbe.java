package tofu.hostile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What the process holds right now: open file descriptors, tofu threads, heap in use. Linux ({@code /proc}) only. */
final class ProcessProbe {
    private static final Path FDS = Path.of("/proc/self/fd");

    private ProcessProbe() {
    }

    /** Open file descriptors of this process (sockets, selectors' epoll and event descriptors, files). */
    static long openFds() {
        try (Stream<Path> fds = Files.list(FDS)) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Live threads whose name starts with {@code tofu-} (engine and resolver threads). */
    static Set<Thread> tofuThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("tofu-"))
                .collect(Collectors.toSet());
    }

    /** Heap in use after a full collection request, in bytes: what is really retained. */
    static long heapAfterGc() {
        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        System.gc();
        return mx.getHeapMemoryUsage().getUsed();
    }

    /** Heap in use now, garbage included, in bytes. */
    static long heapNow() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
