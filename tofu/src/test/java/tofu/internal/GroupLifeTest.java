package tofu.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tofu.AmpeFailures.assertFailsWith;

import org.junit.jupiter.api.Test;
import tofu.AmpeStatus;
import tofu.Message;

/** A group's life is one state moving forward only; going back, or tearing down twice, fails loudly. */
class GroupLifeTest {
    private final GroupImpl group = new TestOwner().group();

    @Test
    void onlyForwardMovesAreAllowed() {
        assertThat(GroupLife.LIVE.mayBecome(GroupLife.DESTROYED)).isTrue();
        assertThat(GroupLife.LIVE.mayBecome(GroupLife.TORN_DOWN)).isTrue();
        assertThat(GroupLife.DESTROYED.mayBecome(GroupLife.TORN_DOWN)).isTrue();
        assertThat(GroupLife.DESTROYED.mayBecome(GroupLife.LIVE)).isFalse();
        assertThat(GroupLife.TORN_DOWN.mayBecome(GroupLife.DESTROYED)).isFalse();
        for (GroupLife life : GroupLife.values()) {
            assertThat(life.mayBecome(life)).as(life + " to itself").isFalse();
        }
    }

    @Test
    void destroyThenTeardown() {
        assertThat(group.isDestroyed()).isFalse();
        assertThat(group.markDestroyed()).isTrue();
        assertThat(group.markDestroyed()).as("destroy counts once").isFalse();
        assertThat(group.isDestroyed()).isTrue();
        assertThat(group.isTornDown()).isFalse();

        group.markTornDown();

        assertThat(group.isTornDown()).isTrue();
        assertThat(group.isDestroyed()).isTrue();
        assertThat(group.markDestroyed()).isFalse();
    }

    @Test
    void aLiveGroupIsTornDownDirectlyWhenTheEngineEndsOnItsOwn() {
        group.markTornDown();

        assertThat(group.isDestroyed()).isTrue();
        assertThat(group.isTornDown()).isTrue();
    }

    @Test
    void tearingDownTwiceFailsItsAssertion() {
        group.markTornDown();

        assertThatThrownBy(group::markTornDown).isInstanceOf(AssertionError.class);
    }

    @Test
    void aDestroyedGroupRefusesReceivesAndUpdates() {
        group.markDestroyed();

        assertFailsWith(AmpeStatus.SHUTDOWN_STARTED, () -> group.waitReceive(0));
        assertFailsWith(AmpeStatus.SHUTDOWN_STARTED, () -> group.updateReceiver(Message.create()));
        assertThat(group.toString()).endsWith(" destroyed");
    }
}
