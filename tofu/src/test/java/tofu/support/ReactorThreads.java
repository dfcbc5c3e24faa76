package tofu.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import tofu.Reactor;

/** Finds engine threads by their documented name {@code tofu-reactor-<n>} and measures their CPU use. */
public final class ReactorThreads {
    /** The documented prefix of an engine thread's name. */
    public static final String PREFIX = "tofu-reactor-";

    private ReactorThreads() {
    }

    /** Every live engine thread of this process. */
    public static Set<Thread> all() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(PREFIX) && t.isAlive())
                .collect(Collectors.toSet());
    }

    /**
     * An engine and its thread.
     *
     * @param reactor the engine
     * @param thread  its {@code tofu-reactor-<n>} thread
     */
    public record Started(Reactor reactor, Thread thread) {
    }

    /** Starts an engine with {@code starter} and finds the one engine thread that appeared with it. */
    public static Started start(Supplier<Reactor> starter) {
        Set<Thread> before = all();
        Reactor reactor = starter.get();
        Set<Thread> added = all();
        added.removeAll(before);
        assertThat(added).as("exactly one new tofu-reactor-<n> thread").hasSize(1);
        Thread t = added.iterator().next();
        assertThat(t.getName()).matches(PREFIX + "\\d+");
        return new Started(reactor, t);
    }

    /**
     * Measures the share of wall time {@code thread} spent on a CPU during {@code millis}; the test thread only waits
     * meanwhile, so this is the engine's own activity.
     */
    public static double cpuShare(Thread thread, long millis) throws InterruptedException {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        assertThat(mx.isThreadCpuTimeSupported()).as("thread CPU time measurable").isTrue();
        if (!mx.isThreadCpuTimeEnabled()) {
            mx.setThreadCpuTimeEnabled(true);
        }
        long cpu0 = mx.getThreadCpuTime(thread.getId());
        long wall0 = System.nanoTime();
        Thread.sleep(millis); // a measuring window, not synchronisation: nothing is waited for
        long cpu1 = mx.getThreadCpuTime(thread.getId());
        long wall1 = System.nanoTime();
        assertThat(cpu0).as("thread alive at start").isNotNegative();
        assertThat(cpu1).as("thread alive at end").isNotNegative();
        return (double) (cpu1 - cpu0) / (wall1 - wall0);
    }
}
