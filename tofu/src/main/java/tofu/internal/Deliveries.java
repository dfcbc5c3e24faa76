package tofu.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import tofu.AmpeStatus;
import tofu.Message;
import tofu.OpCode;

/**
 * Everything the engine hands to applications: peers' frames, returned messages and engine signals.
 *
 * <p>Deliveries are collected per group during one loop iteration and moved to the group's receive queue in one batch
 * ({@link #flush()}): one CAS and at most one wake-up of the receiver per batch instead of per message. Order per
 * group is unchanged, since every engine delivery takes this path.
 *
 * <p>Confined to the engine thread. A delivered message belongs to its group's queue (or, if the group is gone, back
 * to the pool).
 */
final class Deliveries {
    private static final MessageAccess M = MessageAccess.get();
    private static final long POOL_EMPTY_INTERVAL_NANOS = 1_000_000_000L;
    /** Text header of the CHANNEL_CLOSED signal naming the teardown's reason. */
    static final String REASON_HEADER = "~reason";

    private final EngineThread thread;
    private final EngineCounters counters;
    /** Where deliveries to a group whose queue has closed go. */
    private final Recycler recycler;
    private final List<GroupImpl> groupsWithDeliveries = new ArrayList<>();

    Deliveries(EngineThread thread, EngineCounters counters, Recycler recycler) {
        this.thread = thread;
        this.counters = counters;
        this.recycler = recycler;
    }

    /** Hands a message to its group (at the end of this loop iteration). */
    void deliver(GroupImpl group, Message m) {
        assert thread.isCurrent();
        M.posted(m, true);
        if (group.outbox.isEmpty()) {
            groupsWithDeliveries.add(group);
        }
        group.outbox.add(m);
    }

    /** Hands a whole data frame to its group as bytes, to which the pool lent a message (at the end of this round). */
    void deliverEncoded(GroupImpl group, ByteBuffer src, int at, int length, int channelNumber) {
        assert thread.isCurrent();
        if (group.outbox.isEmpty()) {
            groupsWithDeliveries.add(group);
        }
        group.outbox.addEncoded(src, at, length, channelNumber);
    }

    /**
     * Moves every collected delivery to its group's receive queue (or back to the pool if the group is gone, the loans
     * of frames delivered as bytes ended).
     */
    void flush() {
        assert thread.isCurrent();
        for (int i = 0; i < groupsWithDeliveries.size(); i++) {
            GroupImpl group = groupsWithDeliveries.get(i);
            if (!group.outbox.flush()) {
                recycler.recycleAll(group.outbox);
            }
        }
        groupsWithDeliveries.clear();
    }

    /** Returns an application's message as an engine report with {@code status}. */
    void report(GroupImpl group, Message m, AmpeStatus status) {
        assert thread.isCurrent();
        counters.returned(status);
        M.markEngineReport(m, status);
        deliver(group, m);
    }

    /**
     * Adds a {@code ~reason} header saying in words why a message comes back; a block with no room left keeps the
     * status alone.
     */
    void explain(Message m, String why) {
        assert thread.isCurrent();
        try {
            M.textHeaders(m).append(REASON_HEADER, why);
        } catch (tofu.AmpeException e) {
            // no room left in its header block: the status alone must do
        }
    }

    /** Delivers a new engine SIGNAL with {@code status} for a channel. */
    void signal(GroupImpl group, int channelNumber, long messageId, AmpeStatus status) {
        assert thread.isCurrent();
        Message s = Message.create();
        M.header(s).opCode(OpCode.SIGNAL).channelNumber(channelNumber).messageId(messageId);
        M.markEngineReport(s, status);
        deliver(group, s);
    }

    /**
     * Delivers a channel's last message: a SIGNAL with status CHANNEL_CLOSED. Its {@code ~reason} header names why the
     * channel ended (e.g. PEER_DISCONNECTED), so an application can tell a vanished peer from a bye even when nothing
     * was left unsent. A {@code detail} (e.g. which limit ended the channel) follows the status name after ": ".
     */
    void closedSignal(GroupImpl group, int channelNumber, long messageId, AmpeStatus reason, String detail) {
        assert thread.isCurrent();
        Message s = Message.create();
        M.header(s).opCode(OpCode.SIGNAL).channelNumber(channelNumber).messageId(messageId);
        M.textHeaders(s).append(REASON_HEADER, detail == null ? reason.name() : reason.name() + ": " + detail);
        M.markEngineReport(s, AmpeStatus.CHANNEL_CLOSED);
        deliver(group, s);
    }

    /** Reports that a channel of {@code group} started starving, at most once per group per second. */
    void reportPoolEmpty(GroupImpl group, int channelNumber) {
        assert thread.isCurrent();
        long now = System.nanoTime();
        if (group.poolEmptyReported && now - group.lastPoolEmptyNanos < POOL_EMPTY_INTERVAL_NANOS) {
            return;
        }
        group.poolEmptyReported = true;
        group.lastPoolEmptyNanos = now;
        signal(group, channelNumber, 0, AmpeStatus.POOL_EMPTY);
    }
}
