package tofu.bench;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A message count with one writer (the receiving thread) and any number of readers (the runner taking window
 * snapshots). The writer publishes with a release store, which costs no fence on x86, so counting stays out of the
 * measured stack's way.
 */
final class Counter {
    private final AtomicLong published = new AtomicLong();
    private long count;

    /** Adds {@code n}; writer thread only. */
    void add(long n) {
        count += n;
        published.lazySet(count);
    }

    /** The count as last published; any thread. */
    long get() {
        return published.get();
    }
}
