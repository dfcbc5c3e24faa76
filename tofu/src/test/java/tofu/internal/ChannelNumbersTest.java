package tofu.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PROTOCOL.md §1 and §6.6: channel numbers 1..65534, fresh first, released ones reused FIFO after 1024 others. */
class ChannelNumbersTest {
    private static final int ALL = 65534;

    private final ChannelNumbers numbers = new ChannelNumbers();

    @Test
    void freshNumbersStartAtOneAndAscend() {
        for (int n = 1; n <= 5; n++) {
            ChannelSlot slot = numbers.allocate(null, ChannelSlot.Kind.IO);
            assertThat(slot.number).isEqualTo(n);
            assertThat(slot.closed).isFalse();
            assertThat(numbers.slot(n)).isSameAs(slot);
        }
    }

    @Test
    void slotRemembersKind() {
        ChannelSlot listener = numbers.allocate(null, ChannelSlot.Kind.LISTENER);
        ChannelSlot io = numbers.allocate(null, ChannelSlot.Kind.IO);
        assertThat(listener.kind).isEqualTo(ChannelSlot.Kind.LISTENER);
        assertThat(io.kind).isEqualTo(ChannelSlot.Kind.IO);
        assertThat(io.group).isNull();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 65535, -1, 65536, 2, 500, 65534, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void slotOfANumberNeverAssignedIsNull(int n) {
        numbers.allocate(null, ChannelSlot.Kind.IO);
        assertThat(numbers.slot(n)).isNull();
    }

    @Test
    void everyNumberFrom1To65534IsHandedOutOnceThenNone() {
        boolean[] seen = new boolean[ALL + 2];
        for (int i = 0; i < ALL; i++) {
            int n = numbers.allocate(null, ChannelSlot.Kind.IO).number;
            assertThat(n).isBetween(1, ALL);
            assertThat(seen[n]).isFalse();
            seen[n] = true;
        }
        assertThat(numbers.allocate(null, ChannelSlot.Kind.IO)).isNull();
        assertThat(numbers.slot(0)).isNull();
        assertThat(numbers.slot(65535)).isNull();
    }

    @Test
    void freshNumbersAreUsedBeforeReleasedOnes() {
        ChannelSlot first = numbers.allocate(null, ChannelSlot.Kind.IO);
        numbers.release(first);
        assertThat(numbers.allocate(null, ChannelSlot.Kind.IO).number).isEqualTo(2);
    }

    @Test
    void aReleasedSlotIsClosedAndStaysFindableUntilReused() {
        ChannelSlot slot = numbers.allocate(null, ChannelSlot.Kind.IO);
        numbers.release(slot);
        assertThat(slot.closed).isTrue();
        assertThat(slot.channel).isNull();
        assertThat(numbers.slot(slot.number)).isSameAs(slot);
    }

    @Test
    void aReleasedNumberIsReusedOnlyAfter1024OthersWereReleased() {
        ChannelSlot[] slots = allocateAll();
        for (int n = 1; n <= 1024; n++) {
            numbers.release(slots[n]);
            assertThat(numbers.allocate(null, ChannelSlot.Kind.IO)).as("after %d releases", n).isNull();
        }
        numbers.release(slots[1025]);
        ChannelSlot reused = numbers.allocate(null, ChannelSlot.Kind.LISTENER);
        assertThat(reused.number).as("the oldest release comes back first").isEqualTo(1);
        assertThat(reused).isNotSameAs(slots[1]);
        assertThat(reused.closed).isFalse();
        assertThat(numbers.slot(1)).isSameAs(reused);
        assertThat(numbers.allocate(null, ChannelSlot.Kind.IO)).as("1024 releases left, all too recent").isNull();
        assertThat(numbers.slot(2)).as("still the closed slot").isSameAs(slots[2]);
    }

    @Test
    void releasedNumbersComeBackInReleaseOrder() {
        ChannelSlot[] slots = allocateAll();
        int[] order = {500, 7, 65534, 1, 3000};
        for (int n : order) {
            numbers.release(slots[n]);
        }
        for (int n = 10_000; n < 10_000 + 1024; n++) {
            numbers.release(slots[n]);
        }
        for (int expected : order) {
            assertThat(numbers.allocate(null, ChannelSlot.Kind.IO).number).isEqualTo(expected);
        }
        assertThat(numbers.allocate(null, ChannelSlot.Kind.IO)).isNull();
    }

    @Test
    void aReusedNumberCanBeReleasedAndReusedAgain() {
        ChannelSlot[] slots = allocateAll();
        for (int n = 1; n <= 1025; n++) {
            numbers.release(slots[n]);
        }
        ChannelSlot again = numbers.allocate(null, ChannelSlot.Kind.IO);
        assertThat(again.number).isEqualTo(1);
        numbers.release(again);
        // Queue now: 2..1025, 1. Number 2 has 1024 releases behind it, 3 only 1023.
        assertThat(numbers.allocate(null, ChannelSlot.Kind.IO).number).isEqualTo(2);
        assertThat(numbers.allocate(null, ChannelSlot.Kind.IO)).isNull();
        for (int n = 2000; n < 2000 + 1023; n++) {
            numbers.release(slots[n]);
        }
        for (int n = 3; n <= 1025; n++) {
            assertThat(numbers.allocate(null, ChannelSlot.Kind.IO).number).isEqualTo(n);
        }
        assertThat(numbers.allocate(null, ChannelSlot.Kind.IO)).as("1 has only 1023 releases behind it").isNull();
        numbers.release(slots[5000]);
        assertThat(numbers.allocate(null, ChannelSlot.Kind.IO).number).isEqualTo(1);
    }

    @Test
    void cancelForgetsTheSlot() {
        ChannelSlot slot = numbers.allocate(null, ChannelSlot.Kind.IO);
        numbers.cancel(slot);
        assertThat(numbers.slot(slot.number)).isNull();
        assertThat(slot.closed).isTrue();
        assertThat(numbers.allocate(null, ChannelSlot.Kind.IO).number).as("fresh numbers first").isEqualTo(2);
    }

    @Test
    void aCancelledNumberIsReusedLikeAReleasedOne() {
        ChannelSlot[] slots = allocateAll();
        numbers.cancel(slots[42]);
        for (int n = 100; n < 100 + 1024; n++) {
            numbers.release(slots[n]);
        }
        ChannelSlot reused = numbers.allocate(null, ChannelSlot.Kind.IO);
        assertThat(reused.number).isEqualTo(42);
        assertThat(numbers.slot(42)).isSameAs(reused);
    }

    /** Allocates all 65534 numbers; index i of the result holds number i. */
    private ChannelSlot[] allocateAll() {
        ChannelSlot[] slots = new ChannelSlot[ALL + 1];
        for (int i = 1; i <= ALL; i++) {
            ChannelSlot s = numbers.allocate(null, ChannelSlot.Kind.IO);
            slots[s.number] = s;
        }
        assertThat(numbers.allocate(null, ChannelSlot.Kind.IO)).isNull();
        return slots;
    }
}
