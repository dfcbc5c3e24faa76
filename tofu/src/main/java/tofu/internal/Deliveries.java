package tofu.internal;

import java.util.ArrayList;
import java.util.List;
import tofu.AmpeException;
import tofu.AmpeStatus;
import tofu.Message;
import tofu.OpCode;

/**
 * Everything the engine hands to applications: peers' frames, returned messages and engine signals.
 *
 * <p>Deliveries are collected per group during one loop iteration and moved to the group's receive queue in one batch
 * ({@link #flush()}): one lock and at most one wake-up of the receiver per batch instead of per message. Order per
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

    private final EventLoop loop;
    private final List<GroupImpl> groupsWithDeliveries = new ArrayList<>();

    Deliveries(EventLoop loop) {
        this.loop = loop;
    }

    /** Hands a message to its group (at the end of this loop iteration). */
    void deliver(GroupImpl group, Message m) {
        assert loop.inEngineThread();
        M.posted(m, true);
        if (group.outbox.isEmpty()) {
            groupsWithDeliveries.add(group);
        }
        group.outbox.add(m);
    }

    /** Moves every collected delivery to its group's receive queue (or back to the pool if the group is gone). */
    void flush() {
        assert loop.inEngineThread();
        for (int i = 0; i < groupsWithDeliveries.size(); i++) {
            GroupImpl group = groupsWithDeliveries.get(i);
            if (!group.queue.offerAll(group.outbox)) {
                loop.recycleAll(group.outbox);
            }
        }
        groupsWithDeliveries.clear();
    }

    /** Returns an application's message as an engine report with {@code status}. */
    void report(GroupImpl group, Message m, AmpeStatus status) {
        assert loop.inEngineThread();
        loop.counters.returned(status);
        M.markEngineReport(m, status);
        deliver(group, m);
    }

    /**
     * Returns an application's message as an engine report with {@code status} and, when {@code words} is not null, a
     * {@code ~reason} header saying why in words. A message whose text headers have no room left for the header comes
     * back without it.
     */
    void report(GroupImpl group, Message m, AmpeStatus status, String words) {
        if (words != null) {
            try {
                M.textHeaders(m).append(REASON_HEADER, words);
            } catch (AmpeException full) {
                // INVALID_HEADERS_LEN: the status alone still says what happened
            }
        }
        report(group, m, status);
    }

    /** Delivers a new engine SIGNAL with {@code status} for a channel. */
    void signal(GroupImpl group, int channelNumber, long messageId, AmpeStatus status) {
        assert loop.inEngineThread();
        Message s = Message.create();
        M.header(s).opCode(OpCode.SIGNAL).channelNumber(channelNumber).messageId(messageId);
        M.markEngineReport(s, status);
        deliver(group, s);
    }

    /**
     * Delivers a channel's last message: a SIGNAL with status CHANNEL_CLOSED. Its {@code ~reason} header names why the
     * channel ended (e.g. PEER_DISCONNECTED), so an application can tell a vanished peer from a bye even when nothing
     * was left unsent.
     */
    void closedSignal(GroupImpl group, int channelNumber, long messageId, AmpeStatus reason) {
        closedSignal(group, channelNumber, messageId, reason, null);
    }

    /**
     * As {@link #closedSignal(GroupImpl, int, long, AmpeStatus)}; when {@code words} is not null the {@code ~reason}
     * value is the reason's name, a colon and the words ({@code PEER_DISCONNECTED: idle timeout: ...}), so it still
     * starts with the name.
     */
    void closedSignal(GroupImpl group, int channelNumber, long messageId, AmpeStatus reason, String words) {
        assert loop.inEngineThread();
        Message s = Message.create();
        M.header(s).opCode(OpCode.SIGNAL).channelNumber(channelNumber).messageId(messageId);
        M.textHeaders(s).append(REASON_HEADER, words == null ? reason.name() : reason.name() + ": " + words);
        M.markEngineReport(s, AmpeStatus.CHANNEL_CLOSED);
        deliver(group, s);
    }

    /** Reports that a channel of {@code group} started starving, at most once per group per second. */
    void reportPoolEmpty(GroupImpl group, int channelNumber) {
        assert loop.inEngineThread();
        long now = System.nanoTime();
        if (group.poolEmptyReported && now - group.lastPoolEmptyNanos < POOL_EMPTY_INTERVAL_NANOS) {
            return;
        }
        group.poolEmptyReported = true;
        group.lastPoolEmptyNanos = now;
        signal(group, channelNumber, 0, AmpeStatus.POOL_EMPTY);
    }
}
