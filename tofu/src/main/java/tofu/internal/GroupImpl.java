package tofu.internal;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * No method takes a monitor: a receiver or poster on a virtual thread never pins its carrier.
 */
final class GroupImpl implements ChannelGroup {
    private static final MessageAccess M = MessageAccess.get();

    final Engine engine;
    final ReceiveQueue queue;
    private final AtomicBoolean destroyed = new AtomicBoolean();

    /** Channels of this group, including accepted connections not yet announced; engine thread. */
    final Set<Channel> channels = new LinkedHashSet<>();
    /** When the last POOL_EMPTY signal went to this group (System.nanoTime), or 0; engine thread. */
    long lastPoolEmptyNanos;
    boolean poolEmptyReported;
    /**
     * Deliveries collected during one loop iteration, newest first, handed to {@link #queue} in one batch; engine
     * thread.
     */
    final MessageList outbox = new MessageList();
    /** True once the engine has closed this group's channels and queue; engine thread. */
    boolean torndown;

    GroupImpl(Engine engine) {
        this.engine = engine;
        this.queue = new ReceiveQueue(engine::recycle);
    }

    @Override
    public BinaryHeader post(Message msg) {
        return engine.post(this, msg, new BinaryHeader());
    }

    @Override
    public BinaryHeader post(Message msg, BinaryHeader into) {
        if (into == null) {
            throw new NullPointerException("into");
        }
        return engine.post(this, msg, into);
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
        engine.destroy(this);
    }

    boolean isDestroyed() {
        return destroyed.get();
    }

    /** Marks the group destroyed; returns false if it already was. */
    boolean markDestroyed() {
        return destroyed.compareAndSet(false, true);
    }

    void checkAlive() {
        if (destroyed.get()) {
            throw destroyedException();
        }
    }

    private static AmpeException destroyedException() {
        return new AmpeException(AmpeStatus.SHUTDOWN_STARTED, "the channel group is destroyed");
    }

    @Override
    public String toString() {
        return "ChannelGroup@" + Integer.toHexString(System.identityHashCode(this)) + (destroyed.get() ? " destroyed" : "");
    }
}
