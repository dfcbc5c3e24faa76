package tofu.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tofu.AmpeStatus;
import tofu.Message;
import tofu.OpCode;
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
 * <p>Helpers of the loop, each confined to the engine thread like the loop itself: {@link Deliveries} (what goes to
 * the applications), {@link PoolExchange} (receive messages and written messages, in batches), {@link ChannelOpener},
 * {@link HandshakeClock}, {@link DeadlineClock} (connect and idle limits), {@link EngineCounters}.
 *
 * <p>Confined to the engine thread, except {@link #inbox()}, which other threads use to reach it.
 */
final class EventLoop implements Runnable {
    private static final System.Logger LOG = System.getLogger("tofu");
    private static final MessageAccess M = MessageAccess.get();
    private static final int IO_BUFFER_SIZE = 256 * 1024;
    private static final long IDLE_SELECT_MILLIS = 1_000;
    /** Posts handled in one round before the loop flushes and serves readiness: bounds the delay of everything else. */
    private static final int MAX_POSTS_PER_ROUND = 4096;

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
    private final Set<GroupImpl> groups;
    private final Lifecycle lifecycle;
    /** The engine thread, set by itself when it starts running the loop (other threads read null: not it). */
    private Thread thread;
    private final MessageList batch = new MessageList();
    private final List<ChannelContext.Flush> dirty = new ArrayList<>();
    private final List<Runnable> afterBatch = new ArrayList<>();
    /** What channels see of the loop. */
    final ChannelContext context = new LoopContext(this);
    private final HandshakeClock handshakes;
    private final ChannelOpener opener;
    private volatile boolean running = true;
    private final java.util.function.Consumer<SelectionKey> onSelected = this::collectReady;
    private final List<SelectionKey> ready = new ArrayList<>();
    private static final java.util.function.Consumer<SelectionKey> IGNORE_KEY = key -> { };
    private final java.util.function.Consumer<ChannelContext.PendingReader> readPending = this::readPending;
    final EngineCounters counters = new EngineCounters();
    /** Everything handed to applications, in batches per group and loop iteration. */
    final Deliveries deliveries = new Deliveries(this);
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
        this.groups = groups;
        this.lifecycle = lifecycle;
        this.selector = Selector.open();
        try {
            this.inbox = new Inbox(selector);
        } catch (IOException e) {
            selector.close();
            throw e;
        }
        this.limits = new Limits(options);
        this.frameClock = new FrameClock(options.frameTimeout());
        this.admission = new Admission(options.maxConnections());
        this.transports = new Transports(options);
        this.poolExchange = new PoolExchange(this, pool, IO_BUFFER_SIZE, limits.maxEngineAllocated);
        this.resolver = new Resolver(engineId, inbox);
        this.opener = new ChannelOpener(this);
        this.handshakes = new HandshakeClock(options.handshakeTimeout());
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
        return Thread.currentThread() == thread;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
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
        drainPosts();
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
        drainPosts();
        serveReady();
        if (!pendingReads.isEmpty()) {
            pendingReads.serve(readPending);
        }
        flushDirty();
        deliveries.flush();
        if (poolExchange.hasWritten()) {
            giveBackToPool();
        }
    }

    /**
     * Waits for readiness (or a wake-up) and collects the ready keys. The action form of {@code select} hands keys
     * straight to {@link #onSelected}: no selected-key set, no iterator, nothing allocated per round.
     */
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
            selector.selectNow(onSelected);
            return;
        }
        selector.select(onSelected, timeoutMillis);
        inbox.awake();
    }

    private void collectReady(SelectionKey key) {
        if (!inbox.owns(key)) {
            ready.add(key);
            return;
        }
        try {
            inbox.drainWakeUps();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "tofu engine " + engineId + ": draining the wake-up pipe failed", e);
        }
    }

    private void serveReady() {
        for (int i = 0; i < ready.size(); i++) {
            SelectionKey key = ready.get(i);
            if (key.isValid()) {
                serve((Channel) key.attachment(), key.readyOps());
            }
        }
        ready.clear();
    }

    /** Starts the handshake clock of an accepted connection (when a limit is configured). */
    void awaitHandshake(ChannelContext.HandshakeWaiter channel) {
        assert inEngineThread();
        handshakes.start(channel);
    }

    /**
     * Makes the operating system really close the sockets of cancelled keys now instead of at the next selection (a
     * registered channel's descriptor is closed only when its key is flushed). Called only between selections. Ready
     * keys it sees are ignored: readiness is level-triggered, so the next selection reports them again.
     */
    void flushCancelledKeys() {
        assert inEngineThread();
        try {
            selector.selectNow(IGNORE_KEY);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "flushing cancelled keys failed", e);
        }
    }

    /** Serves one ready channel; a failure inside is that channel's, never the engine's. */
    private void serve(Channel channel, int readyOps) {
        try {
            channel.onReady(readyOps);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "tofu engine " + engineId + ": unexpected failure on " + channel, e);
            channel.fail(AmpeStatus.PROCESSING_FAILED);
        }
    }

    /** Reads what a channel's transport already holds; a failure inside is that channel's. */
    private void readPending(ChannelContext.PendingReader channel) {
        try {
            channel.readPending();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "tofu engine " + engineId + ": unexpected failure on " + channel, e);
            channel.fail(AmpeStatus.PROCESSING_FAILED);
        }
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

    private void drainPosts() {
        int handled = 0;
        do {
            inbox.posts.drainTo(batch);
            Message m;
            while ((m = batch.poll()) != null) {
                handled++;
                try {
                    handlePost(m);
                } catch (RuntimeException e) {
                    // A bug must cost one message, never the engine: log it once, with context, and go on.
                    LOG.log(Level.ERROR, "tofu engine " + engineId + ": failed to handle a posted message", e);
                }
            }
            // Posts that arrived meanwhile join this round, so the flush that follows writes more per system call.
        } while (handled < MAX_POSTS_PER_ROUND && !inbox.posts.isEmpty());
        runAfterBatch();
    }

    private void handlePost(Message m) {
        PostTarget target = M.target(m);
        M.target(m, null);
        if (target instanceof OpenRequest) {
            opener.open((OpenRequest) target, m);
            return;
        }
        ChannelSlot slot = (ChannelSlot) target; // the only other kind of PostTarget
        if (slot.group.torndown) {
            recycle(m);
            return;
        }
        Channel channel = slot.channel;
        if (channel == null) {
            // The channel closed before this post was processed: the message comes back, with no further signal.
            deliveries.report(slot.group, m, AmpeStatus.CHANNEL_CLOSED);
        } else if (M.header(m).opCode() == OpCode.BYE_SIGNAL) {
            deliveries.report(slot.group, m, AmpeStatus.CHANNEL_CLOSED);
            channel.teardown(AmpeStatus.CHANNEL_CLOSED, false);
        } else {
            ((IoChannel) channel).enqueue(m);
        }
    }

    /** Runs {@code action} once the current batch of posts has been handled. */
    void afterBatch(Runnable action) {
        assert inEngineThread();
        afterBatch.add(action);
    }

    private void runAfterBatch() {
        for (int i = 0; i < afterBatch.size(); i++) {
            try {
                afterBatch.get(i).run();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "tofu engine " + engineId + ": failed to open a channel", e);
            }
        }
        afterBatch.clear();
    }

    /** Asks for the channel to be flushed once the current batch of posts is handled. */
    void markDirty(ChannelContext.Flush channel) {
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
        return counters.snapshot(groups, pool, admission);
    }

    /**
     * {@code Ampe.destroy}, on the engine thread: posts queued before it are handled first (this group's come back),
     * the group is torn down, and the engine's own batches go back, so that when destroy returns every message the
     * group held is in the pool — wherever it sat: posted, in a channel, in the outbox or in the receive queue.
     */
    void destroyGroup(GroupImpl group) {
        assert inEngineThread();
        drainPosts();
        teardownGroup(group);
        giveBackToPool();
    }

    /** {@link #destroyGroup} for every group, as {@code Reactor.close} starts. Engine thread. */
    void destroyAllGroups() {
        assert inEngineThread();
        drainPosts();
        for (GroupImpl group : groups) {
            teardownGroup(group);
        }
        giveBackToPool();
    }

    /** Closes every channel of a group without notifications, then its queue. Engine thread. */
    void teardownGroup(GroupImpl group) {
        assert inEngineThread();
        if (group.torndown) {
            return;
        }
        group.torndown = true;
        group.markDestroyed();
        for (Channel channel : new ArrayList<>(group.channels)) {
            channel.abort();
        }
        group.channels.clear();
        recycleAll(group.outbox);
        MessageList leftovers = new MessageList();
        group.queue.close(leftovers);
        recycleAll(leftovers);
    }

    /** Gives a message back to the pool; resumes starving channels if that ends a starvation episode. */
    void recycle(Message m) {
        if (pool.put(m)) {
            inbox.poolRefilled();
        }
    }

    void recycleAll(MessageList list) {
        Message m;
        while ((m = list.poll()) != null) {
            recycle(m);
        }
    }

    private void shutdown() {
        running = false;
        lifecycle.loopEnding();
        try {
            deliveries.flush();
            runCommands();
            for (GroupImpl group : groups) {
                teardownGroup(group);
            }
            recycleAll(batch); // posts of a round an unexpected error cut short
            MessageList leftovers = new MessageList();
            inbox.posts.close(leftovers);
            recycleAll(leftovers);
            runCommands();
            deliveries.flush();
            giveBackToPool();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "tofu engine " + engineId + ": failure while shutting down", e);
        } finally {
            closeSelector();
            inbox.close();
            resolver.close();
            int idle = pool.size();
            pool.close();
            Jfr.engineStopped(engineId);
            LOG.log(Level.DEBUG, "tofu engine {0} stopped with {1} idle messages", engineId, idle);
            lifecycle.loopStopped(idle);
        }
    }

    private void closeSelector() {
        try {
            for (SelectionKey key : new ArrayList<>(selector.keys())) {
                if (key.attachment() instanceof Channel) {
                    ((Channel) key.attachment()).abort();
                }
            }
        } catch (ClosedSelectorException ignored) {
            // already closed
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing the selector failed", e);
        }
    }
}
