package tofu.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tofu.Message;
import tofu.Options;

/**
 * The engine thread: owns the {@link Selector}, every channel and the shared I/O buffers, and does all network work.
 *
 * <p>One iteration: run control commands, drain every posted message in one batch, flush the channels that got data,
 * resume channels that starved for pool messages, then wait in {@code select} for readiness or a wake-up.
 *
 * <p>Other threads reach the loop only through its {@link Inbox} (posts, typed {@link Command}s, wake-ups); the loop
 * reads nothing of {@link Engine}, the application-facing front end, and channels see it only as a narrow
 * {@link ChannelContext} ({@link LoopContext}).
 *
 * <p>Helpers of the loop, each confined to the engine thread like the loop itself: {@link PostRouter} (where each
 * posted message goes), {@link ChannelOpener}, {@link Deliveries} (what goes to the applications),
 * {@link PoolExchange} (receive messages and written messages, in batches), {@link LoopGroups} (group teardown and
 * stats), {@link HandshakeClock}, {@link DeadlineClock} (connect and idle limits), {@link EngineCounters}.
 *
 * <p>Confined to the engine thread, except {@link #inbox()}, which other threads use to reach it.
 */
final class EventLoop implements Runnable {
    private static final System.Logger LOG = System.getLogger("tofu");
    private static final int IO_BUFFER_SIZE = 256 * 1024;
    private static final long IDLE_SELECT_MILLIS = 1_000;

    final int engineId;
    final Options options;
    final Selector selector;
    final MessagePool pool;
    final ChannelNumbers numbers;
    final ByteBuffer readBuffer = ByteBuffer.allocateDirect(IO_BUFFER_SIZE);
    final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(IO_BUFFER_SIZE);
    final FrameEncoder encoder = new FrameEncoder();
    final Resolver resolver;
    private final Inbox inbox;
    private final Lifecycle lifecycle;
    /** The engine thread, which names itself when it starts running the loop. */
    private final EngineThread thread = new EngineThread();
    private final Recycler recycler;
    private final LoopGroups groups;
    private final PostRouter posts;
    private final List<IoChannel> dirty = new ArrayList<>();
    /** What channels see of the loop. */
    final ChannelContext context = new LoopContext(this);
    private final HandshakeClock handshakes;
    private final ReadyChannels readiness;
    private volatile boolean running = true;
    final EngineCounters counters = new EngineCounters();
    /** Everything handed to applications, in batches per group and loop iteration. */
    final Deliveries deliveries;
    /** Receive messages taken and written ones given back, in batches. */
    final PoolExchange poolExchange;
    /** Per-channel limits derived from the options. */
    final Limits limits;
    /** Channels waiting for pool messages. */
    final Starvation starvation = new Starvation();
    /** Channels whose peer left a frame unfinished. */
    final FrameClock frameClock;
    /** Connect and idle limits of IO channels ({@link ChannelDeadline}). */
    final DeadlineClock deadlines = new DeadlineClock();
    /** The cap on accepted connections and what became of them before they said hello. */
    final Admission admission;
    /** How channels secure their bytes: plain, or TLS when the options have a context. */
    final Transports transports;
    /** Channels whose transport holds bytes already read from the socket: served without readiness. */
    final PendingReads pendingReads = new PendingReads();

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
        this.options = options;
        this.pool = pool;
        this.numbers = numbers;
        this.lifecycle = lifecycle;
        this.selector = Selector.open();
        try {
            this.inbox = new Inbox(selector);
        } catch (IOException e) {
            selector.close();
            throw e;
        }
        this.recycler = new Recycler(pool, inbox);
        this.groups = new LoopGroups(thread, groups, recycler);
        this.limits = new Limits(options);
        this.frameClock = new FrameClock(options.frameTimeout());
        this.admission = new Admission(options.maxConnections());
        this.transports = new Transports(options);
        this.deliveries = new Deliveries(thread, counters, recycler);
        this.poolExchange = new PoolExchange(thread, counters, starvation, pool, IO_BUFFER_SIZE,
                limits.maxEngineAllocated);
        this.resolver = new Resolver(engineId, inbox);
        ChannelOpener opener = new ChannelOpener(thread, context, numbers, recycler, transports, resolver);
        this.posts = new PostRouter(thread, engineId, inbox.posts, opener, deliveries, recycler);
        this.handshakes = new HandshakeClock(options.handshakeTimeout());
        this.readiness = new ReadyChannels(thread, engineId, selector, inbox, pendingReads);
    }

    /** Where other threads put work for this loop. Any thread. */
    Inbox inbox() {
        return inbox;
    }

    /**
     * True on this engine's thread. Methods confined to it start with {@code assert inEngineThread()}: tests run with
     * assertions on, so a call from an application thread fails there instead of racing in production.
     */
    boolean inEngineThread() {
        return thread.isCurrent();
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
        flushDirty();
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
        flushDirty();
        deliveries.flush();
        if (poolExchange.hasWritten()) {
            giveBackToPool();
        }
    }

    /** Runs the clocks, then waits for readiness or a wake-up (not at all if work is waiting). */
    private void select() throws IOException {
        long timeoutMillis = handshakes.expire(IDLE_SELECT_MILLIS);
        timeoutMillis = frameClock.expire(timeoutMillis);
        timeoutMillis = deadlines.expire(timeoutMillis);
        timeoutMillis = starvation.report(timeoutMillis);
        deliveries.flush(); // what the clocks ended or reported goes out before the engine sleeps
        giveBackToPool(); // an idle engine holds no pool message
        inbox.sleepBegins();
        if (inbox.hasWork() || !running || !pendingReads.isEmpty()) {
            inbox.awake();
            readiness.selectNow();
            return;
        }
        readiness.select(timeoutMillis);
        inbox.awake();
    }

    /** Starts the handshake clock of an accepted connection (when a limit is configured). */
    void awaitHandshake(IoChannel channel) {
        assert inEngineThread();
        handshakes.start(channel);
    }

    /** Closes the sockets of cancelled keys now ({@link ReadyChannels#flushCancelledKeys}). */
    void flushCancelledKeys() {
        readiness.flushCancelledKeys();
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
        } else {
            Command.Resolved c = (Command.Resolved) command; // the last kind of Command
            c.then().accept(c.address());
        }
    }

    /** Asks for the channel to be flushed once the current batch of posts is handled. */
    void markDirty(IoChannel channel) {
        assert inEngineThread();
        dirty.add(channel);
    }

    private void flushDirty() {
        for (int i = 0; i < dirty.size(); i++) {
            dirty.get(i).flushIfDirty();
        }
        dirty.clear();
    }

    /** Gives the engine's batches back to the pool; resumes starving channels next round if that refilled it. */
    private void giveBackToPool() {
        if (poolExchange.giveBack()) {
            inbox.poolRefilled();
        }
    }

    /** Takes a consistent snapshot of the engine's figures. Engine thread (run as a command). */
    tofu.EngineStats stats() {
        assert inEngineThread();
        return groups.stats(counters, pool, admission);
    }

    /**
     * {@code Ampe.destroy}, on the engine thread: posts queued before it are handled first (this group's come back),
     * the group is torn down, and the engine's own batches go back, so that when destroy returns every message the
     * group held is in the pool — wherever it sat: posted, in a channel, in the outbox or in the receive queue.
     */
    void destroyGroup(GroupImpl group) {
        assert inEngineThread();
        posts.drain();
        groups.teardown(group);
        giveBackToPool();
    }

    /** {@link #destroyGroup} for every group, as {@code Reactor.close} starts. Engine thread. */
    void destroyAllGroups() {
        assert inEngineThread();
        posts.drain();
        groups.teardownAll();
        giveBackToPool();
    }

    /** Gives a message back to the pool; resumes starving channels if that ends a starvation episode. */
    void recycle(Message m) {
        assert inEngineThread();
        recycler.recycle(m);
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
            inbox.posts.close(leftovers);
            recycler.recycleAll(leftovers);
            runCommands();
            deliveries.flush();
            giveBackToPool();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "tofu engine " + engineId + ": failure while shutting down", e);
        } finally {
            readiness.close();
            inbox.close();
            resolver.close();
            int idle = pool.size();
            pool.close();
            Jfr.engineStopped(engineId);
            LOG.log(Level.DEBUG, "tofu engine {0} stopped with {1} idle messages", engineId, idle);
            lifecycle.loopStopped(idle);
        }
    }
}
