package tofu.support;

import java.util.ArrayList;
import java.util.List;
import tofu.Options;
import tofu.Reactor;

/**
 * The engines a test started, closed together at the end (in reverse order) so no test leaks a thread or a socket.
 * Closing is idempotent, so a test may also close an engine itself.
 */
public final class Engines implements AutoCloseable {
    private final List<Reactor> reactors = new ArrayList<>();

    /** Starts an engine with {@link Options#DEFAULT}. */
    public Reactor start() {
        return start(Options.DEFAULT);
    }

    /** Starts an engine with {@code options}. */
    public Reactor start(Options options) {
        Reactor r = Reactor.create(options);
        reactors.add(r);
        return r;
    }

    @Override
    public void close() {
        for (int i = reactors.size() - 1; i >= 0; i--) {
            reactors.get(i).close();
        }
        reactors.clear();
    }
}
