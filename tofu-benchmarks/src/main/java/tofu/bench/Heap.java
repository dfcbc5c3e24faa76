package tofu.bench;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

/** Used heap after garbage collection, for per-connection footprints. */
final class Heap {
    private Heap() {
    }

    /** Collects a few times (letting reference processing settle) and returns the used heap in bytes. */
    static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
