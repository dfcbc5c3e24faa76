package tofu.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.LinkedHashSet;
import java.util.Set;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.BinaryHeader;
import tofu.ChannelGroup;
import tofu.Message;
import tofu.OpCode;

/**
 * The implementation of {@link ChannelGroup}: a receive queue plus the bookkeeping the engine keeps per group.
 *
 * <p>{@code post}, {@code updateReceiver} and {@code close} run on application threads and are thread-safe;
 * {@code waitReceive} is for one thread. The fields marked "engine thread" are touched only by the engine thread.
 * No method waits while it holds a monitor (the pool's and the post queue's are held for a few stores, never across a
 * park or I/O): a receiver or poster on a virtual thread never pins its carrier.
 *
 * <p>Its life is one {@link GroupLife}, changed only by {@link #markDestroyed()} (any thread) and
 * {@link #markTornDown()} (engine thread). It reaches its engine only through {@link Owner}, and holds its
 * channels as {@link GroupMember}s.
 */
final class GroupImpl implements ChannelGroup {
    private static final MessageAccess M = MessageAccess.get();
    private static final VarHandle LIFE;

    static {
        try {
            LIFE = MethodHandles.lookup().findVarHandle(GroupImpl.class, "life", GroupLife.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * What a group asks of the engine that created it, implemented by {@link Engine}: the group is the application's
     * handle and forwards to its engine, which it never names. As the {@link ReceiveQueue.Pool} of the group's queue
     * it takes back the queue's messages and decodes its frames delivered as bytes. Thread-safe, as the group's own
     * methods are.
     */
    interface Owner extends ReceiveQueue.Pool {
        /** {@code ChannelGroup.post} for {@code group}: the synchronous checks, then the hand-over to the engine. */
        BinaryHeader post(GroupImpl group, Message msg, BinaryHeader into);

        /** {@code Ampe.destroy} for {@code group}. */
        void destroy(ChannelGroup group);

        /** Gives a message back to the engine's pool. */
        @Override
        void recycle(Message msg);

        /** How long a receiver busy-waits before it parks ({@code Options.spinBeforePark}), in nanoseconds. */
        default long spinNanos() {
            return 0;
        }
    }

    /** The engine that created this group. */
    final Owner owner;
    final ReceiveQueue queue;
    /** Written through {@link #LIFE}; a plain volatile read on the post path and the engine's routing. */
    private volatile GroupLife life = GroupLife.LIVE;

    /** Channels of this group, including accepted connections not yet announced; engine thread. */
    final Set<GroupMember> members = new LinkedHashSet<>();
    /** When the last POOL_EMPTY signal went to this group (System.nanoTime), or 0; engine thread. */
    long lastPoolEmptyNanos;
    boolean poolEmptyReported;
    /** Deliveries collected during one loop iteration, handed to {@link #queue} in one batch; engine thread. */
    final Outbox outbox;

    GroupImpl(Owner owner) {
        this.owner = owner;
        this.queue = new ReceiveQueue(owner, owner.spinNanos());
        this.outbox = new Outbox(queue);
    }

    @Override
    public BinaryHeader post(Message msg) {
        return owner.post(this, msg, new BinaryHeader());
    }

    @Override
    public BinaryHeader post(Message msg, BinaryHeader into) {
        if (into == null) {
            throw new NullPointerException("into");
        }
        return owner.post(this, msg, into);
    }

    @Override
    public Message waitReceive(long timeoutNanos) throws InterruptedException {
        if (timeoutNanos < 0) {
            throw new IllegalArgumentException("timeout must be >= 0 ns, was " + timeoutNanos);
        }
        checkAlive();
        // Whatever this group still held when it was destroyed went back to the pool with the destroy (ReceiveQueue).
        Message m = queue.poll(timeoutNanos);
        if (m != null) {
            M.posted(m, false);
        }
        return m;
    }

    @Override
    public void updateReceiver(Message update) {
        checkAlive();
        if (update == null) {
            Message signal = Message.create();
            M.header(signal).opCode(OpCode.SIGNAL);
            M.markEngineReport(signal, AmpeStatus.RECEIVER_UPDATE);
            if (!queue.offer(signal)) {
                throw destroyedException();
            }
            return;
        }
        if (M.isPosted(update)) {
            throw new IllegalStateException("message is owned by the engine: it was posted and not handed back");
        }
        BinaryHeader h = M.header(update);
        tofu.Origin origin = h.origin();
        AmpeStatus status = h.status();
        M.markApplication(update, AmpeStatus.RECEIVER_UPDATE);
        M.posted(update, true);
        if (!queue.offer(update)) {
            Refusal.restore(update, origin, status);
            throw destroyedException();
        }
    }

    @Override
    public void close() {
        owner.destroy(this);
    }

    /** True once destroy started: posts and receives are refused. Any thread. */
    boolean isDestroyed() {
        return life != GroupLife.LIVE;
    }

    /** True once the engine thread has closed this group's channels and queue. */
    boolean isTornDown() {
        return life == GroupLife.TORN_DOWN;
    }

    /** LIVE → DESTROYED; returns false if destroy already started. Any thread. */
    boolean markDestroyed() {
        return LIFE.compareAndSet(this, GroupLife.LIVE, GroupLife.DESTROYED);
    }

    /**
     * LIVE or DESTROYED → TORN_DOWN, as the engine thread starts closing the group's channels and queue. Called once:
     * a second call is a bug in the caller, which checks {@link #isTornDown()} first.
     */
    void markTornDown() {
        GroupLife now;
        do {
            now = life;
            assert now.mayBecome(GroupLife.TORN_DOWN) : this + " torn down twice";
        } while (!LIFE.compareAndSet(this, now, GroupLife.TORN_DOWN));
    }

    void checkAlive() {
        if (isDestroyed()) {
            throw destroyedException();
        }
    }

    private static AmpeException destroyedException() {
        return new AmpeException(AmpeStatus.SHUTDOWN_STARTED, "the channel group is destroyed");
    }

    @Override
    public String toString() {
        return "ChannelGroup@" + Integer.toHexString(System.identityHashCode(this))
                + (isDestroyed() ? " destroyed" : "");
    }
}
