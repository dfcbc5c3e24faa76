package tofu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tofu.AmpeStatus;
import tofu.ChannelStats;
import tofu.EngineStats;
import tofu.Message;

/**
 * The engine thread's side of its groups, without a loop or a socket: a teardown silences every channel once and
 * gives back every message the group held; the stats walk counts live groups and their channels.
 */
class LoopGroupsTest {
    private final EngineThread thread = new EngineThread();
    private final MessagePool pool = new MessagePool(0, 100);
    private final Set<GroupImpl> groups = ConcurrentHashMap.newKeySet();
    private final LoopGroups loopGroups = new LoopGroups(thread, groups, new Recycler(pool, () -> { }));
    private final TestOwner owner = new TestOwner();

    /** A channel as a group sees it: its figures, and how often it was ended each way. */
    private static final class Member extends GroupMember {
        private final ChannelStats stats;
        int aborts;
        int teardowns;

        Member(ChannelStats stats) {
            this.stats = stats;
        }

        @Override
        ChannelStats stats() {
            return stats;
        }

        @Override
        void teardown(AmpeStatus reason, boolean graceful) {
            teardowns++;
        }

        @Override
        void abort() {
            aborts++;
        }
    }

    @BeforeEach
    void playEngineThread() {
        thread.enter();
    }

    @Test
    void teardownSilencesEveryChannelOnceAndGivesEveryMessageBack() {
        GroupImpl group = owner.group();
        groups.add(group);
        Member first = new Member(null);
        Member second = new Member(null);
        group.members.add(first);
        group.members.add(second);
        group.outbox.add(Message.create());
        group.outbox.add(Message.create());
        for (int i = 0; i < 3; i++) {
            assertThat(group.queue.offer(Message.create())).isTrue();
        }

        loopGroups.teardown(group);
        loopGroups.teardownAll();

        assertThat(first.aborts).isEqualTo(1);
        assertThat(second.aborts).isEqualTo(1);
        assertThat(first.teardowns + second.teardowns).as("silent: no notifications").isZero();
        assertThat(group.members).isEmpty();
        assertThat(pool.size()).as("outbox and receive queue").isEqualTo(5);
        assertThat(group.isTornDown()).isTrue();
        assertThat(group.queue.isClosed()).isTrue();
    }

    @Test
    void statsCountLiveGroupsAndTheirChannelsInNumberOrder() {
        GroupImpl live = owner.group();
        GroupImpl gone = owner.group();
        groups.add(live);
        groups.add(gone);
        live.members.add(new Member(channel(9, ChannelStats.Kind.CLIENT)));
        live.members.add(new Member(channel(2, ChannelStats.Kind.LISTENER)));
        live.members.add(new Member(null)); // accepted, no HelloRequest yet
        gone.members.add(new Member(channel(5, ChannelStats.Kind.ACCEPTED)));
        loopGroups.teardown(gone);

        EngineStats stats = loopGroups.stats(new EngineCounters(), pool, new Admission(0));

        assertThat(stats.groups()).isEqualTo(1);
        assertThat(stats.listeners()).isEqualTo(1);
        assertThat(stats.ioChannels()).isEqualTo(1);
        assertThat(stats.pendingHandshakes()).isEqualTo(1);
        assertThat(stats.channels()).extracting(ChannelStats::channelNumber).containsExactly(2, 9);
    }

    private static ChannelStats channel(int number, ChannelStats.Kind kind) {
        return new ChannelStats(number, kind, "tcp|127.0.0.1|1", 0, 0, 0, 0, 0);
    }
}
