package tofu.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tofu.ChannelStats;
import tofu.EngineStats;

/**
 * The engine thread's side of its channel groups: tears a group down (its channels silenced, its undelivered messages
 * and its receive queue back to the pool) and walks the groups for the stats snapshot. The set itself is shared with
 * the front end, which adds created groups and removes destroyed ones (a concurrent set); everything else here is
 * confined to the engine thread.
 */
final class LoopGroups {
    private final EngineThread thread;
    private final Set<GroupImpl> groups;
    private final Recycler recycler;

    LoopGroups(EngineThread thread, Set<GroupImpl> groups, Recycler recycler) {
        this.thread = thread;
        this.groups = groups;
        this.recycler = recycler;
    }

    /** Closes every channel of a group without notifications, then its queue; nothing if already done. */
    void teardown(GroupImpl group) {
        assert thread.isCurrent();
        if (group.isTornDown()) {
            return;
        }
        group.markTornDown();
        for (GroupMember channel : new ArrayList<>(group.members)) {
            channel.abort();
        }
        group.members.clear();
        recycler.recycleAll(group.outbox);
        MessageList leftovers = new MessageList();
        group.queue.close(leftovers);
        recycler.recycleAll(leftovers);
    }

    /** {@link #teardown} for every group. */
    void teardownAll() {
        assert thread.isCurrent();
        for (GroupImpl group : groups) {
            teardown(group);
        }
    }

    /** Takes a consistent snapshot of the engine's figures and of every open channel of its live groups. */
    EngineStats stats(EngineCounters counters, MessagePool pool, Admission admission) {
        assert thread.isCurrent();
        List<ChannelStats> channels = new ArrayList<>();
        int live = 0;
        int unnumbered = 0;
        for (GroupImpl group : groups) {
            if (group.isTornDown()) {
                continue;
            }
            live++;
            for (GroupMember channel : group.members) {
                ChannelStats cs = channel.stats();
                if (cs == null) {
                    unnumbered++;
                } else {
                    channels.add(cs);
                }
            }
        }
        return counters.snapshot(live, channels, unnumbered, pool, admission);
    }
}
