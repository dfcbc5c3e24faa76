package tofu.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import tofu.AmpeException;
import tofu.Options;
import tofu.Reactor;
import tofu.internal.EngineProbe;

/**
 * The engines a test started, closed together at the end (in reverse order) so no test leaks a thread or a socket.
 * Closing is idempotent, so a test may also close an engine itself.
 *
 * <p><b>Pool check.</b> Closing also checks that every message each engine's pool handed out came back: the pool
 * must hold at least its {@code initialPoolMsgs} idle messages when the engine stops. That holds whatever the test
 * allocated with {@code ALWAYS} (a put into a full pool is dropped only while the pool holds its maximum, which is at
 * least the initial size), and fails as soon as one pooled message is stuck anywhere. Before closing it destroys
 * every group (synchronously: their messages go back), puts back what the support helpers handed to the test and the
 * test still owns ({@link EngineProbe}: a dropped message is the test's doing, not a leak), and waits, bounded, for
 * the pool to fill, so that test threads still putting messages back are not reported. A test that keeps messages
 * received by other means on purpose says so with {@link #keepsMessages}. Messages the test dropped that were not
 * from the pool, and foreign messages put into it, can hide a leak of the same size: the check is a floor.
 *
 * <p>Every engine gets TLS with {@link TestTls#MUTUAL} and required client certificates unless its options already
 * have TLS ({@link #withTestTls}), so any test can use {@link Transport#TLS}; {@link #startWithoutTls} is for the
 * tests of an engine that has none.
 */
public final class Engines implements AutoCloseable {
    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final List<Reactor> reactors = new ArrayList<>();
    private final Map<Reactor, String> exempt = Collections.synchronizedMap(new IdentityHashMap<>());

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

    /** Exempts {@code reactor} from the pool check: the test keeps some of its messages on purpose ({@code why}). */
    public void keepsMessages(Reactor reactor, String why) {
        exempt.put(reactor, why);
    }

    /** {@code options} with mutual TLS on the test context, unless they already have TLS. */
    public static Options withTestTls(Options options) {
        return options.tlsContext() != null ? options : options.withTls(TestTls.MUTUAL, true);
    }

    @Override
    public void close() {
        List<String> leaks = new ArrayList<>();
        for (int i = reactors.size() - 1; i >= 0; i--) {
            Reactor r = reactors.get(i);
            boolean checked = !exempt.containsKey(r);
            if (checked) {
                EngineProbe.destroyAllGroups(r);
                EngineProbe.giveBackDropped(r);
                awaitPoolFilled(r);
            } else {
                EngineProbe.forget(r);
            }
            r.close();
            int initial = EngineProbe.initialPoolMsgs(r);
            int idle = EngineProbe.idleAtStop(r);
            if (checked && idle < initial) {
                leaks.add(r + ": its pool held " + idle + " idle messages when it stopped, fewer than the "
                        + initial + " it started with");
            }
        }
        reactors.clear();
        exempt.clear();
        if (!leaks.isEmpty()) {
            throw new AssertionError("pool messages never came back (stuck in the engine, or kept by the test: "
                    + "then put them back or call Engines.keepsMessages): " + String.join("; ", leaks));
        }
    }

    /** Waits (bounded) until the running engine's pool holds its initial messages; returns early once it is closed. */
    private static void awaitPoolFilled(Reactor r) {
        int initial = EngineProbe.initialPoolMsgs(r);
        long deadline = System.nanoTime() + SETTLE_NANOS;
        try {
            while (r.stats().poolSize() < initial && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(POLL_NANOS); // a poll of a figure with no event to wait on, not a sleep-as-sync
            }
        } catch (AmpeException closed) {
            // closed by the test already: its pool was counted when it stopped
        }
    }
}
