package tofu.internal;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import tofu.Ampe;
import tofu.AmpeException;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;
import tofu.Origin;
import tofu.Reactor;

/**
 * Test access to an engine's pool bookkeeping, for the leak check of {@code tofu.support.Engines}: how many idle
 * messages the pool held when the engine stopped (afterwards {@code get} throws), every group destroyed at once, and
 * a ledger of the messages the test support handed to tests.
 *
 * <p><b>The ledger.</b> Tests often assert on a received message and drop it; for a pool-count check that is
 * indistinguishable from a leak. The support helpers ({@code Peers.receive}, {@code Peers.message}, ...) therefore
 * note every message they hand to a test, and the check first puts back those a test still owns (not posted, not
 * in the pool) — only those: a message the engine still holds is marked as the engine's and stays missing, so a
 * leak still fails. Signals the engine made itself are not put back: they never came from the pool, and adding them
 * would hide a leak of the same size (a returned application SIGNAL, which the support got from the pool, is).
 * Thread-safe.
 */
public final class EngineProbe {
    private static final MessageAccess M = MessageAccess.get();
    private static final ConcurrentHashMap<Engine, Notes> NOTES = new ConcurrentHashMap<>();

    /** What the support handed to tests for one engine: every message, and those it took from the pool itself. */
    private static final class Notes {
        final Queue<Message> handed = new ConcurrentLinkedQueue<>();
        final Set<Message> gotten = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private EngineProbe() {
    }

    /** The pool's idle messages when the engine stopped, after every group gave its messages back; -1 if running. */
    public static int idleAtStop(Reactor reactor) {
        return engine(reactor).idleAtStop();
    }

    /** How many frames posting threads wrote straight to the engine's sockets (the direct write). */
    public static long directWrites(Reactor reactor) {
        return engine(reactor).direct.written();
    }

    /** The pool's initial size, as configured. */
    public static int initialPoolMsgs(Reactor reactor) {
        return engine(reactor).options.initialPoolMsgs();
    }

    /** Destroys every group of the engine, as the application would one by one (synchronous). */
    public static void destroyAllGroups(Reactor reactor) {
        Engine engine = engine(reactor);
        for (ChannelGroup group : engine.groups.toArray(new ChannelGroup[0])) {
            engine.destroy(group);
        }
    }

    /**
     * Notes that the support handed {@code m} to a test through {@code group} (received from it, or refused by its
     * post); returns {@code m}.
     */
    public static Message handedOut(ChannelGroup group, Message m) {
        if (m != null && group instanceof GroupImpl && ((GroupImpl) group).owner instanceof Engine) {
            notes((Engine) ((GroupImpl) group).owner).handed.add(m);
        }
        return m;
    }

    /** Notes that the support handed {@code m}, taken from {@code ampe}'s pool, to a test; returns {@code m}. */
    public static Message handedOut(Ampe ampe, Message m) {
        if (m != null && ampe instanceof Engine) {
            Notes notes = notes((Engine) ampe);
            notes.gotten.add(m);
            notes.handed.add(m);
        }
        return m;
    }

    /**
     * Puts back into the engine's pool every noted message the test still owns, and forgets the engine's notes.
     *
     * @return how many were put back
     */
    public static int giveBackDropped(Reactor reactor) {
        Notes notes = NOTES.remove(engine(reactor));
        int given = 0;
        if (notes == null) {
            return 0;
        }
        for (Message m : notes.handed) {
            if (M.isPosted(m) || (isEngineSignal(m) && !notes.gotten.contains(m))) {
                continue; // posted again, already back in the pool, or never from it
            }
            try {
                reactor.ampe().put(m);
                given++;
            } catch (IllegalStateException | AmpeException gone) {
                // owned elsewhere meanwhile, or the engine is closed: nothing to give back
            }
        }
        return given;
    }

    /** An engine thread held by {@link #stall}; closing it lets the thread go on. */
    public interface Stall extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Holds the engine thread in a command until the returned handle is closed (at most 20 s, so a test that forgets
     * cannot hang the suite); returns once the thread is held. Posts made meanwhile wait in the post queue, as they
     * would behind a slow engine round.
     */
    public static Stall stall(Reactor reactor) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // A resolver result's continuation runs on the engine thread: the one command whose body a test can choose.
        engine(reactor).inbox().send(new Command.Resolved(address -> {
            held.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, null));
        if (!held.await(20, TimeUnit.SECONDS)) {
            throw new AssertionError("the engine thread did not run the stall command within 20 s");
        }
        return release::countDown;
    }

    /** Forgets the engine's notes (when it is not checked). */
    public static void forget(Reactor reactor) {
        NOTES.remove(engine(reactor));
    }

    private static boolean isEngineSignal(Message m) {
        return m.bhdr().origin() == Origin.ENGINE && m.bhdr().opCode() == OpCode.SIGNAL;
    }

    private static Notes notes(Engine engine) {
        return NOTES.computeIfAbsent(engine, e -> new Notes());
    }

    private static Engine engine(Reactor reactor) {
        return (Engine) reactor.ampe();
    }
}
