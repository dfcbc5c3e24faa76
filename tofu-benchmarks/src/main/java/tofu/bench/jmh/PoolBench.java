package tofu.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.Message;
import tofu.Options;
import tofu.Reactor;

/**
 * The message pool through the public API ({@code MessagePool} is package-private): {@code get(POOL_ONLY)} then
 * {@code put}, from one thread and from two threads at once (the pool's lock under contention).
 *
 * <pre>java -cp tofu-benchmarks.jar org.openjdk.jmh.Main PoolBench -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PoolBench {
    private Reactor reactor;
    private Ampe ampe;

    @Setup
    public void setUp() {
        reactor = Reactor.create(new Options(1024, 1024));
        ampe = reactor.ampe();
    }

    @TearDown
    public void tearDown() {
        reactor.close();
    }

    /** Take a pooled message and give it back (put resets it). */
    @Benchmark
    public Message getPut() {
        Message m = ampe.get(AllocationStrategy.POOL_ONLY);
        ampe.put(m);
        return m;
    }

    /** The same with two threads sharing the pool. */
    @Benchmark
    @Threads(2)
    public Message getPutContended() {
        Message m = ampe.get(AllocationStrategy.POOL_ONLY);
        ampe.put(m);
        return m;
    }
}
