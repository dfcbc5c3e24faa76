package tofu.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.Selector;
import java.util.Set;
import tofu.Options;

/**
 * The engine thread's loop: drives the parts of the engine ({@link LoopParts}: the selector, the shared I/O buffers,
 * the clocks and helpers), which own every channel and do all network work.
 *
 * <p>One iteration: run control commands, drain every posted message in one batch, flush the channels that got data,
 * resume channels that starved for pool messages, then wait in {@code select} for readiness or a wake-up.
 *
 * <p>Other threads reach the loop only through its {@link Inbox} (posts, typed {@link Command}s, wake-ups); the loop
 * reads nothing of {@link Engine}, the application-facing front end, and channels see it only as a narrow
 * {@link ChannelContext} ({@link LoopContext}, over the parts).
 *
 * <p>Helpers of the loop, each confined to the engine thread like the loop itself: {@link PostRouter} (where each
 * posted message goes), {@link ChannelOpener}, {@link ReadyChannels} (selecting and serving readiness),
 * {@link Deliveries} (what goes to the applications), {@link PoolExchange} (receive messages and written messages, in
 * batches), {@link LoopGroups} (group teardown and stats), {@link HandshakeClock}, {@link FrameClock},
 * {@link DeadlineClock} (connect and idle limits), {@link EngineCounters}.
 *
 * <p>Confined to the engine thread, except {@link #inbox()}, which other threads use to reach it.
 */
final class EventLoop implements Runnable {
    private static final System.Logger LOG = System.getLogger("tofu");
    private static final long IDLE_SELECT_MILLIS = 1_000;

    private final int engineId;
    /** Options.spinBeforePark in nanoseconds; 0 sleeps at once. */
    private final long spinNanos;
    private final Inbox inbox;
    private final Lifecycle lifecycle;
    /** The selector, buffers, clocks and helpers this loop drives. */
    private final LoopParts parts;
    private final EngineThread thread;
    private final Deliveries deliveries;
    private final PoolExchange poolExchange;
    private final Starvation starvation;
    private final ReadyChannels readiness;
    private final LoopGroups groups;
    private final PostRouter posts;
    private final Resolver resolver;
    private volatile boolean running = true;

    /** What the loop tells its front end about its own end. */
    interface Lifecycle {
        /** The loop is ending (whatever the cause): nothing can be posted any more. */
        void loopEnding();

        /** The loop has ended; the pool held {@code idleMessages} when it was dropped. */
        void loopStopped(int idleMessages);
    }

    EventLoop(int engineId, Options options, MessagePool pool, ChannelNumbers numbers, Set<GroupImpl> groups,
              Lifecycle lifecycle) throws IOException {
        this.engineId = engineId;
        this.lifecycle = lifecycle;
        this.spinNanos = options.spinBeforePark().toNanos();
        this.thread = new EngineThread();
        Selector selector = Selector.open();
        try {
            this.inbox = new Inbox(selector, thread);
        } catch (IOException e) {
            selector.close();
            throw e;
        }
        this.parts = new LoopParts(thread, engineId, options, pool, numbers, selector, inbox);
        this.deliveries = parts.deliveries;
        this.poolExchange = parts.poolExchange;
        this.starvation = parts.starvation;
        this.readiness = parts.readiness;
        this.groups = new LoopGroups(thread, groups, parts.recycler);
        this.resolver = new Resolver(thread, engineId, inbox);
        ChannelOpener opener = new ChannelOpener(thread, new LoopContext(parts), numbers, parts.recycler,
                parts.transports, resolver);
        this.posts = new PostRouter(thread, engineId, inbox.posts, opener, deliveries, parts.recycler,
                parts.poolExchange);
    }

    /** How posting threads write idle channels themselves. Any thread. */
    DirectWriter directWriter() {
        return parts.direct;
    }

    /** Where other threads put work for this loop. Any thread. */
    Inbox inbox() {
        return inbox;
    }

    @Override
    public void run() {
        thread.enter();
        try {
            while (running) {
                runOnce();
            }
        } catch (Throwable t) {
            LOG.log(Level.ERROR, "tofu engine " + engineId + ": I/O thread failed; closing every group", t);
        } finally {
            shutdown();
        }
    }

    private void runOnce() throws IOException {
        runCommands();
        posts.drain();
        parts.flushDirty();
        if (inbox.takePoolRefilled()) {
            starvation.resume();
        }
        deliveries.flush();
        if (!running) {
            return;
        }
        select();
        // Posts that arrived while waiting are handled before the readiness that woke us: a ByeResponse read now
        // must find every message posted before it arrived already queued (or held), not still in the post queue.
        runCommands();
        posts.drain();
        readiness.serve();
        parts.flushDirty();
        deliveries.flush();
        if (poolExchange.hasWritten()) {
            giveBackToPool();
        }
    }

    /** Runs the clocks, then waits for readiness or a wake-up (not at all if work is waiting). */
    private void select() throws IOException {
        long timeoutMillis = parts.handshakes.expire(IDLE_SELECT_MILLIS);
        timeoutMillis = parts.frameClock.expire(timeoutMillis);
        timeoutMillis = parts.deadlines.expire(timeoutMillis);
        timeoutMillis = starvation.report(timeoutMillis);
        deliveries.flush(); // what the clocks ended or reported goes out before the engine sleeps
        giveBackToPool(); // an idle engine holds no pool message
        if (spinNanos > 0 && spinForWork()) {
            return;
        }
        inbox.sleepBegins();
        if (inbox.hasWork() || !running || !parts.pendingReads.isEmpty()) {
            inbox.awake();
            readiness.selectNow();
            return;
        }
        readiness.select(timeoutMillis);
        inbox.awake();
    }

    /**
     * Polls the post queue and the sockets for up to {@link Options#spinBeforePark()} instead of sleeping at once;
     * true if work came. The loop does not announce sleep meanwhile, so posters skip the wake-up pipe.
     */
    private boolean spinForWork() throws IOException {
        long end = System.nanoTime() + spinNanos;
        do {
            if (readiness.selectNow() > 0 || inbox.hasWork() || !running || !parts.pendingReads.isEmpty()) {
                return true;
            }
            Thread.onSpinWait();
        } while (System.nanoTime() - end < 0);
        return false;
    }

    private void runCommands() {
        Command command;
        while ((command = inbox.nextCommand()) != null) {
            run(command);
        }
    }

    private void run(Command command) {
        if (command instanceof Command.DestroyGroup) {
            Command.DestroyGroup c = (Command.DestroyGroup) command;
            destroyGroup(c.group());
            c.done().countDown();
        } else if (command instanceof Command.DestroyAll) {
            destroyAllGroups();
            ((Command.DestroyAll) command).done().countDown();
        } else if (command instanceof Command.TakeStats) {
            ((Command.TakeStats) command).result().complete(stats());
        } else if (command instanceof Command.Stop) {
            running = false;
        } else if (command instanceof Command.Resume) {
            ((Command.Resume) command).owner().resumeOnEngine();
        } else {
            Command.Resolved c = (Command.Resolved) command; // the last kind of Command
            c.then().accept(c.address());
        }
    }

    /** Gives the engine's batches back to the pool; resumes starving channels next round if that refilled it. */
    private void giveBackToPool() {
        if (poolExchange.giveBack()) {
            inbox.poolRefilled();
        }
    }

    /** Takes a consistent snapshot of the engine's figures. Engine thread (run as a command). */
    tofu.EngineStats stats() {
        assert thread.isCurrent();
        return groups.stats(parts.counters, parts.pool, parts.admission);
    }

    /**
     * {@code Ampe.destroy}, on the engine thread: posts queued before it are handled first (this group's come back),
     * the group is torn down, and the engine's own batches go back, so that when destroy returns every message the
     * group held is in the pool — wherever it sat: posted, in a channel, in the outbox or in the receive queue.
     */
    void destroyGroup(GroupImpl group) {
        assert thread.isCurrent();
        posts.drain();
        groups.teardown(group);
        giveBackToPool();
    }

    /** {@link #destroyGroup} for every group, as {@code Reactor.close} starts. Engine thread. */
    void destroyAllGroups() {
        assert thread.isCurrent();
        posts.drain();
        groups.teardownAll();
        giveBackToPool();
    }

    private void shutdown() {
        running = false;
        lifecycle.loopEnding();
        try {
            deliveries.flush();
            runCommands();
            groups.teardownAll();
            posts.dropBatch(); // posts of a round an unexpected error cut short
            MessageList leftovers = new MessageList();
            int lentLeft = inbox.posts.close(leftovers);
            parts.recycler.recycleAll(leftovers);
            for (int i = 0; i < lentLeft; i++) {
                poolExchange.lentWritten(); // dropped like the messages they stand for
            }
            runCommands();
            deliveries.flush();
            giveBackToPool();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "tofu engine " + engineId + ": failure while shutting down", e);
        } finally {
            readiness.close();
            inbox.close();
            resolver.close();
            int idle = parts.pool.size();
            parts.pool.close();
            Jfr.engineStopped(engineId);
            LOG.log(Level.DEBUG, "tofu engine {0} stopped with {1} idle messages", engineId, idle);
            lifecycle.loopStopped(idle);
        }
    }
}
