package tofu.support;

import java.util.ArrayList;
import java.util.List;
import tofu.Options;
import tofu.Reactor;

/**
 * The engines a test started, closed together at the end (in reverse order) so no test leaks a thread or a socket.
 * Closing is idempotent, so a test may also close an engine itself.
 *
 * <p>Every engine gets TLS with {@link TestTls#MUTUAL} and required client certificates unless its options already
 * have TLS ({@link #withTestTls}), so any test can use {@link Transport#TLS}; {@link #startWithoutTls} is for the
 * tests of an engine that has none.
 */
public final class Engines implements AutoCloseable {
    private final List<Reactor> reactors = new ArrayList<>();

    /** Starts an engine with {@link Options#DEFAULT}. */
    public Reactor start() {
        return start(Options.DEFAULT);
    }

    /** Starts an engine with {@code options} (and the test TLS context, if they have none). */
    public Reactor start(Options options) {
        return startWithoutTls(withTestTls(options));
    }

    /** Starts an engine with exactly {@code options}: no TLS unless they have it. */
    public Reactor startWithoutTls(Options options) {
        Reactor r = Reactor.create(options);
        reactors.add(r);
        return r;
    }

    /** {@code options} with mutual TLS on the test context, unless they already have TLS. */
    public static Options withTestTls(Options options) {
        return options.tlsContext() != null ? options : options.withTls(TestTls.MUTUAL, true);
    }

    @Override
    public void close() {
        for (int i = reactors.size() - 1; i >= 0; i--) {
            reactors.get(i).close();
        }
        reactors.clear();
    }
}
