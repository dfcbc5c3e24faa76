package tofu.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import tofu.AllocationStrategy;
import tofu.Ampe;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.Options;

/**
 * The application-facing half of an engine: implements {@link Ampe}, runs the synchronous {@code post} checks on the
 * caller's thread and hands work to the {@link EventLoop} through two queues — posted messages (a short monitor,
 * arrays, no allocation in steady state) and rare control commands (group destroy, resolver results, shutdown).
 *
 * <p>Thread-safe. The lifecycle is one state, RUNNING → CLOSING → CLOSED, changed only by {@link #close()}. It is the
 * {@link GroupImpl.Owner} of the groups it creates.
 */
public final class Engine implements Ampe, GroupImpl.Owner {
    private static final System.Logger LOG = System.getLogger("tofu");
    private static final MessageAccess M = MessageAccess.get();
    private static final AtomicInteger ENGINE_IDS = new AtomicInteger();
    /** Process-wide message ids, shared by every engine; the first id handed out is 1. */
    private static final AtomicLong MESSAGE_IDS = new AtomicLong();
    private static final long CLOSE_WAIT_MILLIS = 5_000;
    private static final long EXIT_POLL_NANOS = 20_000;

    private enum State { RUNNING, CLOSING, CLOSED }

    private final int id = ENGINE_IDS.incrementAndGet();
    private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);
    final Options options;
    final MessagePool pool;
    final ChannelNumbers numbers = new ChannelNumbers();
    final Set<GroupImpl> groups = ConcurrentHashMap.newKeySet();
    private final EventLoop loop;
    /** The loop's inbox: everything this front end hands the engine thread goes through it. */
    private final Inbox inbox;
    private final Recycler recycler;
    /** Writes a post straight to an idle channel's socket when the engine sleeps. */
    final DirectWriter direct;
    /** {@link Options#directWrite()}. */
    private final boolean directWrite;
    /** Whether {@code tls|} addresses may be posted. */
    private final boolean tls;
    /** The engine (I/O) thread; read by {@link EventLoop#inEngineThread()}. */
    final Thread thread;
    /** Released when the engine thread has finished, whatever the cause. */
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile int idleAtStop = -1;

    private Engine(Options options) {
        this.options = options;
        this.pool = new MessagePool(options.initialPoolMsgs(), options.maxPoolMsgs());
        try {
            this.loop = new EventLoop(id, options, pool, numbers, groups, new EventLoop.Lifecycle() {
                @Override
                public void loopEnding() {
                    state.compareAndSet(State.RUNNING, State.CLOSING);
                }

                @Override
                public void loopStopped(int idleMessages) {
                    idleAtStop = idleMessages;
                    stopped.countDown();
                }
            });
        } catch (IOException e) {
            throw new AmpeException(AmpeStatus.ALLOCATION_FAILED, "cannot open a selector: " + e.getMessage());
        }
        this.inbox = loop.inbox();
        this.direct = loop.directWriter();
        this.directWrite = options.directWrite();
        this.recycler = new Recycler(pool, inbox::poolRefilled);
        this.tls = options.tlsContext() != null;
        this.thread = new Thread(loop, "tofu-reactor-" + id);
        thread.setDaemon(true);
    }

    /** Creates an engine and starts its thread. */
    public static Engine start(Options options) {
        Engine engine = new Engine(options);
        engine.thread.start();
        Jfr.engineStarted(engine.id, options.initialPoolMsgs(), options.maxPoolMsgs());
        LOG.log(Level.DEBUG, "tofu engine {0} started", engine.id);
        return engine;
    }

    @Override
    public ChannelGroup create() {
        checkRunning();
        GroupImpl group = new GroupImpl(this);
        groups.add(group);
        if (state.get() != State.RUNNING) {
            // close() may have missed the group: it snapshots the set after changing state.
            groups.remove(group);
            group.markDestroyed();
            throw shutdown();
        }
        return group;
    }

    @Override
    public void destroy(ChannelGroup group) {
        if (group == null) {
            throw new NullPointerException("group");
        }
        if (!(group instanceof GroupImpl) || ((GroupImpl) group).owner != this) {
            throw new IllegalArgumentException("the channel group belongs to another engine");
        }
        GroupImpl g = (GroupImpl) group;
        if (!g.markDestroyed()) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        inbox.send(new Command.DestroyGroup(g, done));
        awaitEngine(done);
        settle(g);
        groups.remove(g);
    }

    /** Waits for a batch the group's receiver was moving when its queue closed to be back in the pool. */
    private void settle(GroupImpl g) {
        if (!g.queue.awaitSettled()) {
            LOG.log(Level.WARNING, "tofu engine {0}: a receiver of {1} did not hand back its batch in time", id, g);
        }
    }

    @Override
    public Message get(AllocationStrategy strategy) {
        if (strategy == null) {
            throw new NullPointerException("strategy");
        }
        checkRunning();
        Message m = pool.get();
        if (m == null && strategy == AllocationStrategy.ALWAYS) {
            m = MessagePool.create(); // a message like the pool's: it may well end up there
        }
        return m;
    }

    @Override
    public void put(Message msg) {
        if (msg == null) {
            return;
        }
        if (M.isPosted(msg)) {
            throw new IllegalStateException("message is owned by the engine: it was posted and not handed back");
        }
        recycler.recycle(msg);
    }

    /** Returns a message to the pool and wakes the loop if that ends a starvation episode. Any thread. */
    @Override
    public void recycle(Message msg) {
        recycler.recycle(msg);
    }

    /** Decodes a frame its group received as bytes, on the receiving thread. Any thread. */
    @Override
    public Message decodeLent(ByteBuffer frame) {
        return recycler.decodeLent(frame);
    }

    /** Ends the pool's loans to frames a destroyed group will never decode. Any thread. */
    @Override
    public void releaseLoans(int n) {
        recycler.releaseLoans(n);
    }

    /** How long a receiver of this engine's groups busy-waits before it parks ({@link Options#spinBeforePark()}). */
    @Override
    public long spinNanos() {
        return options.spinBeforePark().toNanos();
    }

    /** {@code ChannelGroup.post}: runs the checks on the caller's thread and hands the message to the loop. */
    @Override
    public BinaryHeader post(GroupImpl group, Message msg, BinaryHeader into) {
        PostTarget target = PostValidator.check(msg, group, numbers, state.get() == State.RUNNING, tls);
        BinaryHeader h = M.header(msg);
        long oldId = h.messageId();
        tofu.Origin oldOrigin = h.origin();
        AmpeStatus oldStatus = h.status();
        M.markApplication(msg, AmpeStatus.SUCCESS);
        if (oldId == 0) {
            h.messageId(MESSAGE_IDS.incrementAndGet());
        }
        if (target instanceof OpenRequest) {
            h.channelNumber(((OpenRequest) target).slot().number);
        }
        into.copyFrom(h);
        M.posted(msg, true);
        if (directWrite && target instanceof ChannelSlot
                && direct.tryWrite(((ChannelSlot) target).writeOwner, msg)) {
            return into; // written straight to an idle channel's socket
        }
        // A received message posted back (a reply in it) is left to the engine, which decoded it and has it in cache.
        if (target instanceof ChannelSlot && SmallFrames.POST_LIMIT > 0 && !M.received(msg)) {
            int frame = FrameEncoder.frameLength(msg);
            if (frame <= SmallFrames.POST_LIMIT && SmallFrames.isData(h.opCode())
                    && inbox.postEncoded(msg, target, frame, pool)) {
                return into; // encoded here; the message is back in the pool, warm for this thread's next get
            }
        }
        if (!inbox.post(msg, target)) {
            // Lost the race with close(): the caller gets the message back unchanged.
            boolean opened = target instanceof OpenRequest;
            if (opened) {
                numbers.cancel(((OpenRequest) target).slot());
            }
            Refusal.restorePost(msg, oldOrigin, oldStatus, oldId, opened);
            throw shutdown();
        }
        return into;
    }

    /**
     * Returns a consistent snapshot of the engine's figures, taken on the engine thread.
     *
     * @throws AmpeException with SHUTDOWN_STARTED once the engine is closed
     */
    public tofu.EngineStats stats() {
        checkRunning();
        java.util.concurrent.CompletableFuture<tofu.EngineStats> result =
                new java.util.concurrent.CompletableFuture<>();
        inbox.send(new Command.TakeStats(result));
        CountDownLatch done = new CountDownLatch(1);
        result.whenComplete((s, e) -> done.countDown());
        awaitEngine(done);
        tofu.EngineStats stats = result.getNow(null);
        if (stats == null) {
            throw shutdown();
        }
        return stats;
    }

    /**
     * Stops the engine: destroys every group (their messages back in the pool), stops the thread and waits for it
     * (bounded). Idempotent, any thread.
     */
    public void close() {
        boolean engineThread = Thread.currentThread() == thread;
        if (state.compareAndSet(State.RUNNING, State.CLOSING)) {
            if (!engineThread) {
                destroyAllGroups();
            }
            inbox.send(new Command.Stop());
        }
        if (!engineThread) {
            awaitStopped();
        }
        state.set(State.CLOSED);
    }

    /**
     * Destroys every group as {@link #destroy} would, before the thread stops: the pool is still open while
     * receivers caught moving a batch hand it back, so every message is back before the pool is dropped.
     */
    private void destroyAllGroups() {
        CountDownLatch done = new CountDownLatch(1);
        inbox.send(new Command.DestroyAll(done));
        awaitEngine(done);
        for (GroupImpl g : groups) {
            settle(g);
        }
    }

    /**
     * Waits for the engine thread to finish (bounded): a latch it releases last, then its exit. Not
     * {@code Thread.join}, which waits on the thread's monitor and would pin a virtual thread calling {@code close}
     * on JDK 21 to 23.
     */
    private void awaitStopped() {
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
        while (stopped.getCount() > 0 && deadline - System.nanoTime() > 0) {
            try {
                stopped.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        // Released, the thread has only its exit left: a few microseconds, unless it is descheduled meanwhile.
        while (thread.isAlive() && deadline - System.nanoTime() > 0) {
            LockSupport.parkNanos(EXIT_POLL_NANOS);
        }
        if (thread.isAlive()) {
            LOG.log(Level.WARNING, "tofu engine {0}: I/O thread did not stop within {1} ms", id, CLOSE_WAIT_MILLIS);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for a command to complete, or for the engine thread to end (it then completed everything it could). */
    private void awaitEngine(CountDownLatch done) {
        boolean interrupted = false;
        while (true) {
            try {
                if (done.await(50, TimeUnit.MILLISECONDS) || stopped.getCount() == 0) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Idle messages the pool held when the engine stopped, after every group gave its messages back; -1 while
     * running. Every message the pool handed out and got back leaves this at least {@code initialPoolMsgs}.
     */
    int idleAtStop() {
        return idleAtStop;
    }

    /** The loop's inbox (for the tests' engine probe). */
    Inbox inbox() {
        return inbox;
    }

    int id() {
        return id;
    }

    private void checkRunning() {
        if (state.get() != State.RUNNING) {
            throw shutdown();
        }
    }

    private static AmpeException shutdown() {
        return new AmpeException(AmpeStatus.SHUTDOWN_STARTED, "the engine is closed");
    }

    @Override
    public String toString() {
        return "tofu-reactor-" + id + " " + state.get();
    }
}
